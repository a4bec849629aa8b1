"""The queue is for PostgreSQL stores: on SQLite every queue command is a usage error (exit 2)
that changes nothing, and the read-only commands never load procrastinate."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Any


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One example workspace on its own SQLite store, shared by these read-only cases."""
    from docflow import api

    ws = tmp_path_factory.mktemp("refusals") / "ws"
    api.init(ws, example=True, actor="tester")
    return ws


@pytest.mark.parametrize(
    "args",
    [
        ["projects", "render", "--queue"],
        ["projects", "render", "--queue", "--filter", "HIS"],
        ["worker"],
        ["jobs"],
        ["jobs", "--json"],
    ],
    ids=["render-queue", "render-queue-filter", "worker", "jobs", "jobs-json"],
)
def test_queue_commands_refuse_sqlite(
    args: list[str],
    workspace: Path,
    docflow: Callable[..., Run],
    tree_snapshot: Callable[[Path], dict[str, bytes]],
) -> None:
    """On the workspace's SQLite store the queue commands exit 2 with one clear sentence."""
    before = tree_snapshot(workspace)

    result = docflow(*args, cwd=workspace)

    assert result.code == 2, result.err
    assert "needs a shared PostgreSQL store" in result.err
    assert "Traceback" not in result.err
    assert tree_snapshot(workspace) == before
    if "--json" in args:
        assert result.json()["error"] == "usage"


def test_queue_and_jobs_options_do_not_mix(workspace: Path, docflow: Callable[..., Run]) -> None:
    """--jobs counts local processes; with --queue the workers render: a usage error."""
    result = docflow("projects", "render", "--queue", "--jobs", "2", cwd=workspace)

    assert result.code == 2
    assert "--jobs 与 --queue 不能同时使用" in result.err  # the workspace speaks zh-CN
    result = docflow("--lang", "en", "projects", "render", "--queue", "--jobs", "2", cwd=workspace)
    assert result.code == 2 and "--jobs and --queue do not go together" in result.err


PROBE = """
import json, sys
from docflow.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["status"], ["log"]], ids=["help", "status", "log"])
def test_read_commands_do_not_load_the_queue(args: list[str], workspace: Path) -> None:
    """procrastinate (and psycopg) load only on the queue's own code paths."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=120,
    )
    modules = json.loads(proc.stderr.strip().splitlines()[-1])
    assert [m for m in modules if m.split(".")[0] in ("procrastinate", "psycopg")] == []
