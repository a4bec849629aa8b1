"""Timing helpers: medians of in-process calls and of whole processes (wall and CPU time)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "BenchFailure",
    "Sample",
    "bench_env",
    "docflow_argv",
    "run_process",
    "time_calls",
    "time_interleaved",
    "time_processes",
]


class BenchFailure(RuntimeError):
    """A measurement could not be taken (a document did not render, a command failed)."""


@dataclass(frozen=True)
class Sample:
    """Medians of several runs: wall-clock seconds and CPU seconds (user + system)."""

    wall: float
    cpu: float
    runs: int

    def to_dict(self) -> dict[str, float | int]:
        """JSON form."""
        return {"wall_s": round(self.wall, 4), "cpu_s": round(self.cpu, 4), "runs": self.runs}


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def time_calls(fn: Callable[[], Any], runs: int, warmup: int = 1) -> Sample:
    """Median time of ``fn()`` in this process, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    walls, cpus = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return Sample(_median(walls), _median(cpus), runs)


def bench_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of measured commands: no DOCFLOW_* settings leak in from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env["DOCFLOW_ACTOR"] = "bench"
    env.pop("PYTHONWARNINGS", None)
    if extra:
        env.update(extra)
    return env


def docflow_argv() -> list[str]:
    """The installed ``docflow`` console script next to this interpreter, else ``-m docflow``."""
    script = Path(sys.executable).parent / "docflow"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "docflow"]


def run_process(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run one whole process; return its wall time, its CPU time and the finished process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        list(argv), cwd=cwd, env=env or bench_env(), capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if check and proc.returncode != 0:
        raise BenchFailure(
            f"`{' '.join(argv)}` exited {proc.returncode}: {proc.stderr.strip()[-800:]}"
        )
    return wall, cpu, proc


def time_processes(
    commands: Mapping[str, Sequence[str]],
    runs: int,
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Sample]:
    """Median wall and CPU time of each command, runs interleaved so load drifts hit all alike."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm the page cache and .pyc files
        run_process(argv, cwd=cwd, env=env)
    for _ in range(runs):
        for name, argv in commands.items():
            wall, cpu, _ = run_process(argv, cwd=cwd, env=env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {name: Sample(_median(walls[name]), _median(cpus[name]), runs) for name in commands}


def time_interleaved(
    fns: dict[str, Callable[[], Any]], runs: int, warmup: int = 1
) -> dict[str, Sample]:
    """Median time of each in-process call, runs interleaved (A, B, A, B, ...)."""
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    walls: dict[str, list[float]] = {name: [] for name in fns}
    cpus: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            c0, w0 = time.process_time(), time.perf_counter()
            fn()
            walls[name].append(time.perf_counter() - w0)
            cpus[name].append(time.process_time() - c0)
    return {name: Sample(_median(walls[name]), _median(cpus[name]), runs) for name in fns}
