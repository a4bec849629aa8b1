"""Whole processes: start-up of status, log and --help against ``python -c "import click"``,
and ``docflow advance`` issuing the requirement memo against ``python -c "import weasyprint"``,
each pair measured interleaved in the same run."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from bench.report import Check, ratio
from bench.timing import BenchFailure, Sample, bench_env, docflow_argv, run_process, time_processes

__all__ = ["run_advance", "run_startup"]

STARTUP_TARGETS = {"status": 4.0, "log": 4.0, "--help": 3.0}
ADVANCE_TARGET = 1.6  # advance issuing RM-1 / python -c "import weasyprint", wall time


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
    """``docflow advance`` issuing the requirement memo, each run on a fresh copy, interleaved
    with ``python -c "import weasyprint"``; the ratio of their medians is the target."""
    import json
    import statistics

    walls: dict[str, list[float]] = {"advance": [], "weasyprint": []}
    cpus: dict[str, list[float]] = {"advance": [], "weasyprint": []}
    weasyprint = [sys.executable, "-c", "import weasyprint"]
    for index in range(runs + 1):  # the first round warms caches and is not counted
        target = work / f"advance-{index}"
        shutil.copytree(memo_ws, target)
        try:
            wall, cpu, proc = run_process(
                [*docflow_argv(), "-C", str(target), "advance", "--json"], env=bench_env()
            )
        except BenchFailure as exc:
            raise BenchFailure(f"advance did not issue the requirement memo: {exc}") from exc
        shutil.rmtree(target)
        w_wall, w_cpu, _ = run_process(weasyprint)
        if index:
            walls["advance"].append(wall)
            cpus["advance"].append(cpu)
            walls["weasyprint"].append(w_wall)
            cpus["weasyprint"].append(w_cpu)
    emitted = [d["id"] for d in json.loads(proc.stdout)["documents"]]
    advance = Sample(statistics.median(walls["advance"]), statistics.median(cpus["advance"]), runs)
    floor = Sample(
        statistics.median(walls["weasyprint"]), statistics.median(cpus["weasyprint"]), runs
    )
    wall_ratio = ratio(advance.wall, floor.wall)
    cpu_ratio = ratio(advance.cpu, floor.cpu)
    result = {
        **advance.to_dict(),
        "documents": emitted,
        "import_weasyprint": floor.to_dict(),
        "ratio": round(wall_ratio, 3),
        "cpu_ratio": round(cpu_ratio, 3),
    }
    names = ", ".join(emitted)
    checks = [
        Check("advance", "python -c 'import weasyprint'", floor.wall, "s", "", None),
        Check("advance", f"advance issuing {names}", advance.wall, "s", "", None),
        Check(
            "advance",
            "advance / import weasyprint",
            wall_ratio,
            "x",
            f"<= {ADVANCE_TARGET:g}x",
            wall_ratio <= ADVANCE_TARGET,
        ),
        Check("advance", "advance / import weasyprint, CPU", cpu_ratio, "x", "", None),
    ]
    return result, checks
