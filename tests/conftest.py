"""Fixtures shared by every layer: running the real ``docflow`` command, example workspaces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "workflows" / "examples"


@dataclass
class Run:
    """A finished ``docflow`` process."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout parsed as the one JSON document ``--json`` promises."""
        return json.loads(self.out)


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env.update({"DOCFLOW_ACTOR": "tester", "PYTHONWARNINGS": "error::DeprecationWarning:docflow"})
    if extra:
        env.update(extra)
    return env


@pytest.fixture
def docflow() -> Callable[..., Run]:
    """Run the real command in a subprocess: ``docflow("status", "--json", cwd=ws)``."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            input: str | None = None) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "docflow", *args],
            cwd=cwd, env=_env(env), capture_output=True, text=True, input=input, timeout=300,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture
def example_workspace(tmp_path: Path, docflow: Callable[..., Run]) -> Path:
    """A workspace initialised with the zh-CN example project (state contract.drafting)."""
    ws = tmp_path / "ws"
    result = docflow("init", str(ws), "--example")
    assert result.code == 0, result.err
    return ws


def snapshot_tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its bytes (to prove a command changed nothing)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


@pytest.fixture
def tree_snapshot() -> Callable[[Path], dict[str, bytes]]:
    """The snapshot_tree function."""
    return snapshot_tree
