"""The docflow program's process: the collector's pace, and an end that keeps what matters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from docflow.cli.process import COMMAND_THRESHOLD, exit_code


@dataclass(frozen=True)
class Run:
    """A finished process: its exit code, stdout and stderr."""

    code: int
    out: str
    err: str


def _python(code: str, tmp_path: Path, env: dict[str, str] | None = None) -> Run:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.parametrize(
    ("code", "expected"), [(None, 0), (0, 0), (3, 3), (True, 1), (256 + 4, 4), (-1, 255)]
)
def test_exit_codes_are_the_interpreters(code: object, expected: int) -> None:
    """sys.exit(code) ends the program with the code the interpreter would give."""
    assert exit_code(code) == expected


def test_a_message_instead_of_a_code_is_printed_and_gives_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """sys.exit("text") prints the text to stderr and exits 1, as the interpreter does."""
    assert exit_code("no such thing") == 1
    assert capsys.readouterr().err == "no such thing\n"


def test_the_program_paces_the_collector_and_long_commands_restore_it(tmp_path: Path) -> None:
    """run() raises generation 0's threshold for the command; long_running() restores it."""
    result = _python(
        """
        import gc
        from docflow.cli import process
        before = gc.get_threshold()
        def command():
            print(gc.get_threshold())
            process.long_running()
            print(gc.get_threshold() == before)
        process.run(command)
        """,
        tmp_path,
    )
    assert result.code == 0, result.err
    first, second = result.out.splitlines()
    assert first == f"({COMMAND_THRESHOLD}, 10, 10)"
    assert second == "True"


def test_the_end_runs_exit_handlers_waits_for_threads_and_flushes(tmp_path: Path) -> None:
    """Exit handlers run, a thread still working is waited for, buffered output is written,
    and the process exits with the command's code."""
    result = _python(
        """
        import atexit, pathlib, sys, threading, time
        from docflow.cli import process
        atexit.register(lambda: pathlib.Path("handler").write_text("ran"))
        def late():
            time.sleep(0.3)
            pathlib.Path("thread").write_text("done")
        def command():
            threading.Thread(target=late).start()
            sys.stdout.write("x" * 200_000)
            sys.exit(5)
        process.run(command)
        """,
        tmp_path,
    )
    assert result.code == 5
    assert len(result.out) == 200_000
    assert (tmp_path / "handler").read_text() == "ran"
    assert (tmp_path / "thread").read_text() == "done"


def test_the_program_ends_early_after_its_handlers(tmp_path: Path) -> None:
    """With no other thread, the end comes right after the exit handlers: an object's
    finaliser that only the interpreter's teardown would call does not run."""
    result = _python(
        """
        import atexit, pathlib
        from docflow.cli import process
        class Torn:
            def __del__(self):
                pathlib.Path("teardown").write_text("ran")
        kept = Torn()
        atexit.register(lambda: pathlib.Path("handler").write_text("ran"))
        process.run(lambda: print("done"))
        """,
        tmp_path,
    )
    assert (result.code, result.out) == (0, "done\n")
    assert (tmp_path / "handler").exists()
    assert not (tmp_path / "teardown").exists()


def test_a_step_taken_by_the_program_is_recorded_and_its_store_closed(
    example_workspace: Path,
    docflow_process: Callable[..., Run],
    docflow: Callable[..., Run],
) -> None:
    """`python -m docflow advance` issues and records its documents, prints its whole JSON
    and leaves the SQLite store closed (no write-ahead log left beside it)."""
    assert docflow_process("advance", cwd=example_workspace).code == 0
    result = docflow_process("advance", "--json", cwd=example_workspace)
    assert result.code == 0, result.err
    issued = json.loads(result.out)["documents"]
    assert issued, result.out
    for doc in issued:
        for path in doc["files"].values():
            assert (example_workspace / path).stat().st_size > 1000
    store = example_workspace / ".docflow"
    assert not list(store.glob("*-wal"))
    status = docflow("status", "--json", cwd=example_workspace)
    assert status.code == 0
    assert docflow("verify", cwd=example_workspace).code == 0
    failed = docflow_process("advance", "nonesuch", cwd=example_workspace)
    assert failed.code == 2, failed.err


@pytest.mark.parametrize("closed", [1, 2], ids=["stdout", "stderr"])
def test_a_program_started_with_a_closed_stream_ends_cleanly(tmp_path: Path, closed: int) -> None:
    """Started with stdout or stderr closed (``>&-``), the interpreter has no such stream;
    the end skips it instead of failing on it."""
    streams = {1: "stdout", 2: "stderr"}
    proc = subprocess.run(
        [sys.executable, "-m", "docflow", "--version"],
        stdout=subprocess.PIPE if closed == 2 else None,
        stderr=subprocess.PIPE if closed == 1 else None,
        timeout=60,
        cwd=tmp_path,
        preexec_fn=lambda: os.close(closed),
    )
    assert proc.returncode == 0, (streams[closed], proc.stderr)
    if closed == 2:
        assert b"docflow, version" in proc.stdout
    else:
        assert b"Traceback" not in proc.stderr
