"""Start-up stays light: read-only commands never import the rendering libraries, and on
the default SQLite store not SQLAlchemy either."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("weasyprint", "docx", "docxtpl", "pyhanko", "pypdf", "alembic", "sqlalchemy")

PROBE = """
import json, sys
from docflow.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "mods": sorted(sys.modules)}), file=sys.stderr)
"""


def _modules(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report["code"], set(report["mods"])


@pytest.mark.parametrize(
    "args",
    [["--help"], ["status"], ["log"], ["status", "--json"]],
    ids=["help", "status", "log", "status-json"],
)
def test_no_heavy_imports(args: list[str], example_workspace: Path) -> None:
    code, mods = _modules(args, example_workspace)
    assert code == 0
    loaded = sorted(m for m in mods if m.split(".")[0] in HEAVY)
    assert loaded == []
