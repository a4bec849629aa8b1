"""Fixtures shared by every layer: running the ``docflow`` command (in this process, or in a
process of its own), example workspaces."""

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

# The language of docflow's output follows LANG; the tests speak each project's own language
# unless a test chooses otherwise, whatever the machine running them has set.
for _name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"


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


def run_process(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input: str | None = None,
) -> Run:
    """Run the real command in a process of its own (exit codes, imports, crashes)."""
    proc = subprocess.run(
        [sys.executable, "-m", "docflow", *args],
        cwd=cwd,
        env=_env(env),
        capture_output=True,
        text=True,
        input=input,
        timeout=300,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def run_in_process(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input: str | None = None,
) -> Run:
    """Run the command's ``main`` in this process through click's CliRunner isolation: the
    same arguments, environment, working folder, exit code, stdout and stderr as a process,
    without paying for a Python start and docflow's imports each time."""
    from click.testing import CliRunner

    from docflow.cli import main

    overrides: dict[str, str | None] = {k: None for k in os.environ if k.startswith("DOCFLOW_")}
    overrides["DOCFLOW_ACTOR"] = "tester"
    overrides.update(env or {})
    here = os.getcwd()
    with CliRunner().isolation(input=input, env=overrides) as (out, err, _):
        if cwd is not None:
            os.chdir(cwd)
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            os.chdir(here)
            sys.stdout.flush()
            sys.stderr.flush()
        return Run(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))


@pytest.fixture
def docflow() -> Callable[..., Run]:
    """Run the command in this process: ``docflow("status", "--json", cwd=ws)``."""
    return run_in_process


@pytest.fixture
def docflow_process() -> Callable[..., Run]:
    """Run the real command in a subprocess, for what only a process shows (exit codes of
    the interpreter, start-up imports, crashes)."""
    return run_process


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


def drive(ws: Path, until: str, actor: str = "tester", issued_on: str | None = None) -> None:
    """Take the example project along the main path, signing as needed, until ``until``;
    documents are dated ``issued_on`` (YYYY-MM-DD) when given, else today."""
    from docflow.api import Workspace
    from docflow.app.demo import walk

    saved = os.environ.get("DOCFLOW_TODAY")
    if issued_on is not None:
        os.environ["DOCFLOW_TODAY"] = issued_on
    try:
        walk(Workspace(ws), actor=actor, say=lambda _m: None, until=until)
    finally:
        if saved is None:
            os.environ.pop("DOCFLOW_TODAY", None)
        else:
            os.environ["DOCFLOW_TODAY"] = saved


@pytest.fixture
def confirmed_workspace(example_workspace: Path) -> Path:
    """The example project with its requirement baseline frozen (survey.confirmed)."""
    drive(example_workspace, "survey.confirmed")
    return example_workspace


@pytest.fixture(scope="session")
def confirmed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One confirmed workspace per test session, copied by ``confirmed_copy``."""
    from docflow import api

    ws = tmp_path_factory.mktemp("confirmed") / "ws"
    api.init(ws, example=True, actor="tester")
    drive(ws, "survey.confirmed")
    return ws


@pytest.fixture
def confirmed_copy(confirmed_template: Path, tmp_path: Path) -> Path:
    """A private copy of a workspace at survey.confirmed (SQLite store included)."""
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(confirmed_template, ws)
    return ws


@pytest.fixture
def drive_to() -> Callable[[Path, str], None]:
    """The ``drive`` function: take a workspace along the main path up to a state."""
    return drive
