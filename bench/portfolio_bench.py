"""The portfolio (``docflow projects``) on a store of 5,000 projects: this docflow against
another checkout's (``--baseline DIR``, e.g. the main branch's ``engine``), side by side.

``python -m bench.portfolio_bench WORK --baseline /path/to/main/engine [--runs 7]`` fills
``WORK/big.db`` with 5,000 generated projects and 500,000 events (bench.genstore), registers
50 skeleton projects with their workspaces (codes sorting first, so the first page is theirs:
their blockers are evaluated on their project.yaml), and times ``projects --json`` on the
first page (the 50 workspaces) and on a page of generated projects (no workspace here), each
command alternating between the two checkouts. Prints medians and ratios as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["main"]


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> None:
    """Command line: WORK, --baseline DIR, --runs N, --workspaces N."""
    parser = argparse.ArgumentParser(prog="python -m bench.portfolio_bench")
    parser.add_argument("work", type=Path)
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workspaces", type=int, default=50)
    args = parser.parse_args(argv)
    from bench.genstore import fill_store
    from docflow import api

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{work / 'big.db'}"
    if not (work / "big.db").exists():
        for i in range(args.workspaces):
            api.init(work / f"a{i:03d}", store=url, actor="bench")
        fill_store(url, 5000 + args.workspaces, 500_000)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    base_env = {**env, "PYTHONPATH": str(args.baseline.resolve())}
    cmd = [sys.executable, "-m", "docflow", "--store", url, "projects", "--json"]
    pages = {"workspaces": ["--page", "1"], "generated": ["--page", "20"]}
    result: dict[str, dict[str, float]] = {}
    for label, page in pages.items():
        times: dict[str, list[float]] = {"this": [], "baseline": []}
        _run(cmd + page, env)
        _run(cmd + page, base_env)
        for _ in range(args.runs):
            times["this"].append(_run(cmd + page, env))
            times["baseline"].append(_run(cmd + page, base_env))
        this, base = statistics.median(times["this"]), statistics.median(times["baseline"])
        result[label] = {
            "this_s": round(this, 3),
            "baseline_s": round(base, 3),
            "ratio": round(this / base, 3),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
