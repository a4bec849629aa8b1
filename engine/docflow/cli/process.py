"""The ``docflow`` program's own process: how it paces the garbage collector, and how it ends.

A command run as the program (the ``docflow`` script, ``python -m docflow``) is a short
process that allocates a few million objects and exits; :func:`main` is also called by tests
and front ends inside longer processes, so only :func:`run` does what follows.

- **The collector.** Reference counting frees nearly everything a command makes. CPython's
  cyclic collector still runs a pass every 700 new container objects, and every so often
  one over every object alive (the imported modules, the spec models, WeasyPrint's layout):
  a measurable share of a short command's CPU. The program starts a generation-0
  pass only every ``COMMAND_THRESHOLD`` new objects, which keeps the memory of reference
  cycles bounded (at most about that many objects wait) and makes the full passes rare.
  Commands that run until stopped (``serve``, ``worker``) call :func:`long_running` for the
  interpreter's own pacing.
- **The end.** Once the command has returned, tearing the interpreter down frees every
  object one by one, a measurable share of the wall time of ``advance``, for a process whose
  memory the system takes back anyway. :func:`end` does what that teardown does and matters
  (waits for the threads that keep a process alive, runs the exit handlers: pooled store
  connections closed, child processes joined, logs flushed; flushes stdout and stderr) and
  then ends the process with the command's exit code. Where another thread still runs, the
  usual exit is taken instead. What it gives up: finalisers of objects still alive at the
  end. A file left open with unwritten buffered data would lose it (docflow writes files in
  ``with`` blocks, atomically), and an SQLite connection never closed would leave its
  write-ahead log beside the database, committed but not yet folded in (the stores close
  theirs; tests/cli/test_cli_process.py checks that none is left after ``advance``).

The figures are in bench/RESULTS.md (``python -m bench.against``).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

__all__ = ["COMMAND_THRESHOLD", "end", "exit_code", "long_running", "run"]

COMMAND_THRESHOLD = 1_000_000
_INTERPRETER_THRESHOLDS = gc.get_threshold()
# What CPython exits with when it cannot flush stdout at exit (e.g. a closed pipe).
_FLUSH_FAILED = 120


def run(main: Callable[[], object]) -> NoReturn:
    """Run ``main`` (the command line) as the program: see the module's docstring."""
    gc.set_threshold(COMMAND_THRESHOLD, *_INTERPRETER_THRESHOLDS[1:])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exit_code(exc.code)
    end(code)


def long_running() -> None:
    """Give the collector back its usual pace, for a command that runs until it is stopped."""
    gc.set_threshold(*_INTERPRETER_THRESHOLDS)


def exit_code(code: object) -> int:
    """The process exit code for ``sys.exit(code)``, as the interpreter reckons it; a
    message given instead of a number is printed to stderr, as the interpreter does."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _other_threads_run() -> bool:
    main = threading.main_thread()
    return any(t is not main and not t.daemon and t.is_alive() for t in threading.enumerate())


def end(code: int) -> NoReturn:
    """End the process with ``code`` after the exit handlers, without the teardown."""
    if _other_threads_run():
        sys.exit(code)  # the interpreter waits for them, as it always does
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the descriptor closed: nothing was written
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            if stream is sys.stdout and code == 0:
                code = _FLUSH_FAILED
    os._exit(code)
