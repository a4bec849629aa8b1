"""Writing commands on the default SQLite store do not import SQLAlchemy or Alembic: only
creating or upgrading the schema does (``init`` here, before the probe runs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from test_cli_imports import PROBE

STORE_LIBRARIES = ("sqlalchemy", "alembic")


def _advance(cwd: Path) -> tuple[int, dict[str, Any], set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "advance", "--json"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report["code"], json.loads(proc.stdout), set(report["mods"])


def test_advance_writes_without_sqlalchemy(example_workspace: Path) -> None:
    # The first step records a transition; the second renders and stores a document too.
    for trigger, issued in (("sign_contract", []), ("plan_survey", ["SP-1"])):
        code, result, mods = _advance(example_workspace)
        assert code == 0
        assert result["trigger"] == trigger
        assert [d["id"] for d in result["documents"]] == issued
        assert sorted(m for m in mods if m.split(".")[0] in STORE_LIBRARIES) == []
