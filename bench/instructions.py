"""Instruction counts of whole processes under callgrind: start-up ratios that a busy machine
does not blur.

``python -m bench.instructions [--advance]`` counts the instructions (valgrind's ``Ir``,
child processes included) of ``python -c "import click"``, ``docflow status``, ``docflow
log`` and ``docflow --help`` in the example project, twice each (the second run is the one
reported: it sees the .pyc files and, for status and log, the memo of the first), and with
``--advance`` of ``docflow advance`` issuing the requirement memo against ``python -c
"import weasyprint"``. Wall-time ratios are in ``python -m bench --only startup``; these
are what to compare when the machine is shared.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.timing import bench_env, docflow_argv

__all__ = ["count", "main"]

_COLLECTED = re.compile(r"==\d+== Collected : (\d+)")


def count(argv: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> int:
    """Instructions executed by ``argv`` and its children (callgrind), in ``env`` (default
    :func:`bench_env`)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    proc = subprocess.run(
        [
            valgrind,
            "--tool=callgrind",
            "--trace-children=yes",
            "--callgrind-out-file=/dev/null",
            *argv,
        ],
        cwd=cwd,
        env=env or bench_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"`{' '.join(argv)}` exited {proc.returncode}: {proc.stderr[-800:]}")
    return sum(int(n) for n in _COLLECTED.findall(proc.stderr))


def _twice(argv: Sequence[str], cwd: Path | None = None) -> int:
    count(argv, cwd)
    return count(argv, cwd)


def main(argv: list[str] | None = None) -> int:
    """Print each command's instructions and its ratio to its baseline."""
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__)
    parser.add_argument("--advance", action="store_true", help="also advance vs weasyprint")
    args = parser.parse_args(argv)
    from bench.workspaces import memo_workspace

    docflow = docflow_argv()
    with tempfile.TemporaryDirectory(prefix="docflow-instr-") as tmp:
        ws = memo_workspace(Path(tmp) / "memo")
        click = _twice([sys.executable, "-c", "import click"])
        print(f"python -c 'import click'   {click / 1e6:8.0f} M")
        for name in ("status", "log", "--help"):
            n = _twice([*docflow, name], ws)
            print(f"docflow {name:<18} {n / 1e6:8.0f} M  {n / click:5.2f}x import click")
        if args.advance:
            weasy = _twice([sys.executable, "-c", "import weasyprint"])
            print(f"python -c 'import weasyprint' {weasy / 1e6:5.0f} M")
            target = Path(tmp) / "advance"
            shutil.copytree(ws, target)
            n = count([*docflow, "-C", str(target), "advance"])
            print(
                f"docflow advance (RM-1)    {n / 1e6:8.0f} M  {n / weasy:5.2f}x import weasyprint"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
