"""Whole processes: start-up of status, log and --help against ``import click``, and
``docflow advance`` emitting the requirement memo."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from bench.report import Check, ratio
from bench.timing import BenchFailure, Sample, bench_env, docflow_argv, run_process, time_processes

__all__ = ["run_advance", "run_startup"]

STARTUP_TARGETS = {"status": 8.0, "log": 8.0, "--help": 3.0}
ADVANCE_TARGET_S = 1.5


def run_startup(memo_ws: Path, runs: int) -> tuple[dict[str, Any], list[Check]]:
    """Median whole-process times, interleaved, and each command's ratio to ``import click``."""
    docflow = docflow_argv()
    commands = {
        "import click": [sys.executable, "-c", "import click"],
        "status": [*docflow, "status"],
        "log": [*docflow, "log"],
        "--help": [*docflow, "--help"],
    }
    samples = time_processes(commands, runs, cwd=memo_ws)
    click = samples["import click"]
    result: dict[str, Any] = {name: s.to_dict() for name, s in samples.items()}
    checks = [Check("startup", "python -c 'import click'", click.wall, "s", "", None)]
    for name, target in STARTUP_TARGETS.items():
        wall = ratio(samples[name].wall, click.wall)
        result[name]["ratio"] = round(wall, 3)
        result[name]["cpu_ratio"] = round(ratio(samples[name].cpu, click.cpu), 3)
        checks.append(Check("startup", f"docflow {name}", samples[name].wall, "s", "", None))
        checks.append(
            Check("startup", f"{name} / import click", wall, "x", f"<= {target:g}x", wall <= target)
        )
        # CPU time is what the command costs; wall time also counts waiting for a busy machine.
        checks.append(
            Check(
                "startup", f"{name} / import click, CPU", result[name]["cpu_ratio"], "x", "", None
            )
        )
    return result, checks


def run_advance(memo_ws: Path, work: Path, runs: int) -> tuple[dict[str, Any], list[Check]]:
    """``docflow advance`` issuing the requirement memo, each run on a fresh copy."""
    walls, cpus = [], []
    for index in range(runs + 1):  # the first run warms caches and is not counted
        target = work / f"advance-{index}"
        shutil.copytree(memo_ws, target)
        try:
            wall, cpu, proc = run_process(
                [*docflow_argv(), "-C", str(target), "advance", "--json"], env=bench_env()
            )
        except BenchFailure as exc:
            raise BenchFailure(f"advance did not issue the requirement memo: {exc}") from exc
        if index:
            walls.append(wall)
            cpus.append(cpu)
        shutil.rmtree(target)
    import json
    import statistics

    emitted = [d["id"] for d in json.loads(proc.stdout)["documents"]]
    sample = Sample(statistics.median(walls), statistics.median(cpus), runs)
    result = {**sample.to_dict(), "documents": emitted}
    ok = sample.wall < ADVANCE_TARGET_S
    check = Check(
        "advance",
        f"advance emitting {', '.join(emitted)}",
        sample.wall,
        "s",
        f"< {ADVANCE_TARGET_S} s",
        ok,
    )
    cpu_check = Check("advance", "advance, CPU (user + system)", sample.cpu, "s", "", None)
    return result, [check, cpu_check]
