"""``docflow advance`` of this checkout against an earlier revision, in the same run.

``python -m bench.against REV [--runs N] [--instructions] [--pdf-text]`` unpacks revision
``REV`` of this repository (``git archive``) into a temporary folder and, round after round,
runs ``docflow advance`` issuing the requirement memo with this checkout's engine and with
REV's (the same interpreter and packages, each engine first on ``PYTHONPATH``, both run as
``python -m docflow``), each on a fresh copy of the same workspace, and ``python -c "import
weasyprint"``, in an order that turns each round. It prints the medians (wall and CPU,
children included), each command's ratio to the import, and the 1-minute load average before
and after; it fails if the two engines issue documents whose bytes differ (with ``--pdf-
text``, PDFs whose text differs). With ``--instructions`` it also counts the instructions of
each command once under callgrind (see :mod:`bench.instructions`), after one untimed run of
each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.timing import BenchFailure, bench_env, run_process

__all__ = ["main"]

_ROOT = Path(__file__).resolve().parents[1]
# ``python -m docflow``, not the installed script: the script names this checkout's entry
# point, which an earlier revision may not have.
_DOCFLOW = [sys.executable, "-m", "docflow"]


def _unpack(rev: str, into: Path) -> Path:
    """REV's files under ``into``; the folder to put first on PYTHONPATH."""
    archive = subprocess.run(
        ["git", "-C", str(_ROOT), "archive", rev], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "engine"


def _compile(engine: Path) -> None:
    """Byte-compile an engine, as scripts/setup.sh does: where PYTHONDONTWRITEBYTECODE is
    set, an engine without .pyc files would compile its modules in every measured run."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(engine / "docflow")],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _load() -> float:
    return os.getloadavg()[0]


def _documents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "documents").glob("*"))}


def _pdf_text(pdf: bytes) -> list[str]:
    """The text of each page, line by line, as pdftotext extracts it (reading order)."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    return out.decode("utf-8").split("\f")


def _compare(first: dict[str, bytes], second: dict[str, bytes], pdf_bytes: bool) -> str:
    """How the two engines' documents agree; BenchFailure where they do not."""
    if first == second:
        return f"documents identical: {', '.join(first)}"
    if pdf_bytes or sorted(first) != sorted(second):
        raise BenchFailure(f"the documents differ: {sorted(first)} vs {sorted(second)}")
    for name in first:
        same = (
            _pdf_text(first[name]) == _pdf_text(second[name])
            if name.endswith(".pdf")
            else first[name] == second[name]
        )
        if not same:
            raise BenchFailure(f"{name} differs between the two engines")
    return f"documents identical, PDFs by their text (pdftotext): {', '.join(first)}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the medians and ratios of both engines against ``import weasyprint``."""
    parser = argparse.ArgumentParser(prog="python -m bench.against", description=__doc__)
    parser.add_argument("rev", help="the revision to compare with, e.g. main or a commit")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    parser.add_argument(
        "--pdf-text",
        action="store_true",
        help="compare the PDFs by their text, not their bytes (for a change to the PDF's objects)",
    )
    args = parser.parse_args(argv)
    from bench.instructions import count
    from bench.workspaces import memo_workspace

    with tempfile.TemporaryDirectory(prefix="docflow-against-") as tmp:
        work = Path(tmp)
        (work / "rev").mkdir()
        engine = _unpack(args.rev, work / "rev")
        _compile(engine)
        _compile(_ROOT / "engine")
        # Both engines come first on PYTHONPATH, so that both processes search the same path.
        envs = {
            "this checkout": bench_env({"PYTHONPATH": str(_ROOT / "engine")}),
            args.rev: bench_env({"PYTHONPATH": str(engine)}),
        }
        ws = memo_workspace(work / "memo")
        weasyprint = [sys.executable, "-c", "import weasyprint"]
        names = [*envs, "import weasyprint"]
        walls: dict[str, list[float]] = {n: [] for n in names}
        cpus: dict[str, list[float]] = {n: [] for n in names}
        issued: dict[str, dict[str, bytes]] = {}
        loads = [_load()]
        for index in range(args.runs + 1):  # the first round compiles .pyc files: not counted
            turn = names[index % 3 :] + names[: index % 3]
            for name in turn:
                if name == "import weasyprint":
                    wall, cpu, _ = run_process(weasyprint)
                else:
                    target = work / f"run-{index}"
                    shutil.rmtree(target, ignore_errors=True)
                    shutil.copytree(ws, target)
                    wall, cpu, _ = run_process(
                        [*_DOCFLOW, "-C", str(target), "advance", "--json"], env=envs[name]
                    )
                    issued.setdefault(name, _documents(target))
                    if _documents(target) != issued[name]:
                        raise BenchFailure(f"{name}: advance issued other bytes in round {index}")
                if index:
                    walls[name].append(wall)
                    cpus[name].append(cpu)
        loads.append(_load())
        first, second = (issued[n] for n in envs)
        agreement = _compare(first, second, pdf_bytes=not args.pdf_text)
        base_wall = statistics.median(walls["import weasyprint"])
        base_cpu = statistics.median(cpus["import weasyprint"])
        print(f"load average (1 min) {loads[0]:.2f} before, {loads[1]:.2f} after")
        print(f"{'':28} {'wall s':>8} {'ratio':>7} {'CPU s':>8} {'ratio':>7}")
        for name in names:
            wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
            label = "import weasyprint" if name == names[-1] else f"advance ({name})"
            print(
                f"{label:28} {wall:8.3f} {wall / base_wall:6.2f}x {cpu:8.3f} {cpu / base_cpu:6.2f}x"
            )
        print(agreement)
        if args.instructions:
            counts = {}
            for name in names:
                if name == "import weasyprint":
                    counts[name] = count(weasyprint)
                    continue
                target = work / f"instr-{len(counts)}"
                shutil.copytree(ws, target)
                advance = [*_DOCFLOW, "-C", str(target), "advance"]
                counts[name] = count(advance, env=envs[name])
            for name in names:
                label = "import weasyprint" if name == names[-1] else f"advance ({name})"
                ratio = counts[name] / counts["import weasyprint"]
                print(f"{label:28} {counts[name] / 1e6:8.0f} M instructions {ratio:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
