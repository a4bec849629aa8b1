"""``python -m bench``: run every section, print the table, write results.json.

Exit 0 when every measurement was taken (targets missed are reported, not failures);
exit 1 when a document could not be rendered or a command failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import batch_bench, cli_bench, portal_bench, render_bench, scale_bench, size_bench
from bench.report import Check, markdown, table
from bench.timing import BenchFailure
from bench.workspaces import memo_workspace

HERE = Path(__file__).resolve().parent
SECTIONS = ("floor", "size", "startup", "advance", "batch", "scale", "portal")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few runs at a small scale (CI)")
    parser.add_argument("--runs", type=int, help="runs per median (default 10, quick 3)")
    parser.add_argument("--batch-docs", type=int, help="documents re-rendered (200, quick 6)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers (cores)")
    parser.add_argument("--scale-projects", type=int, help="projects (5000, quick 100)")
    parser.add_argument("--scale-events", type=int, help="events (500000, quick 5000)")
    parser.add_argument("--portal-clients", type=int, help="concurrent clients (50, quick 5)")
    parser.add_argument("--portal-projects", type=int, help="projects signed (4, quick 1)")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run only these")
    parser.add_argument("--out", type=Path, default=HERE / "results.json", help="JSON file")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    args = parser.parse_args(argv)
    quick = args.quick
    args.runs = args.runs or (3 if quick else 10)
    args.batch_docs = args.batch_docs or (6 if quick else 200)
    args.scale_projects = args.scale_projects or (100 if quick else 5000)
    args.scale_events = args.scale_events or (5000 if quick else 500_000)
    args.portal_clients = args.portal_clients or (5 if quick else 50)
    args.portal_projects = args.portal_projects or (1 if quick else 4)
    args.only = args.only or list(SECTIONS)
    return args


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1m": _load(),
    }


def _byte_compile() -> None:
    """Byte-compile docflow's modules, as installing a wheel does (and scripts/setup.sh).

    The whole-process figures are for an installed docflow: where PYTHONDONTWRITEBYTECODE is
    set, an uncompiled checkout would compile every module again in every process.
    """
    import compileall

    import docflow

    compileall.compile_dir(Path(docflow.__file__).parent, quiet=1)


def run(args: argparse.Namespace, work: Path) -> tuple[dict[str, Any], list[Check]]:
    """Run the chosen sections in ``work``; raise BenchFailure when one cannot measure."""
    results: dict[str, Any] = {}
    checks: list[Check] = []
    memo_ws = None
    if {"floor", "startup", "advance"} & set(args.only):
        try:
            memo_ws = memo_workspace(work / "memo")
        except Exception as exc:  # the example project must reach the memo step
            raise BenchFailure(f"preparing the example project failed: {exc}") from exc

    def section(name: str, outcome: tuple[dict[str, Any], list[Check]]) -> None:
        results[name], found = outcome
        # Parallel and wall-clock figures only mean something next to how busy the machine was.
        results[name]["load_average_1m"] = _load()
        checks.extend(found)
        print(table(found), end="\n\n", flush=True)

    if {"startup", "advance", "batch", "scale"} & set(args.only):
        _byte_compile()
    if "floor" in args.only and memo_ws:
        section("floor", render_bench.run(memo_ws, args.runs))
    if "size" in args.only:
        section("size", size_bench.run(work))
    if "startup" in args.only and memo_ws:
        section("startup", cli_bench.run_startup(memo_ws, args.runs))
    if "advance" in args.only and memo_ws:
        section("advance", cli_bench.run_advance(memo_ws, work, max(1, args.runs // 2)))
    if "batch" in args.only:
        section("batch", batch_bench.run(work, args.batch_docs, args.jobs, max(1, args.runs // 3)))
    if "scale" in args.only:
        section(
            "scale",
            scale_bench.run(work / "scale", args.scale_projects, args.scale_events, args.runs),
        )
    if "portal" in args.only:
        per_client = 2 if args.quick else 10
        section(
            "portal",
            portal_bench.run(
                work / "portal",
                args.portal_clients,
                per_client,
                args.portal_projects,
                most_signatures=1 if args.quick else None,
            ),
        )
    return results, checks


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit code."""
    args = _arguments(argv)
    started = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="docflow-bench-") as tmp:
        try:
            results, checks = run(args, Path(tmp))
        except BenchFailure as exc:
            print(f"bench: {exc}", file=sys.stderr)
            return 1
    document = {
        "date": started.isoformat(timespec="seconds"),
        "seconds": round((dt.datetime.now(dt.UTC) - started).total_seconds(), 1),
        "quick": args.quick,
        "settings": {
            "runs": args.runs,
            "batch_docs": args.batch_docs,
            "jobs": args.jobs,
            "scale_projects": args.scale_projects,
            "scale_events": args.scale_events,
        },
        "machine": _machine(),
        **results,
        "checks": [c.to_dict() for c in checks],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print("summary:")
    print(table(checks))
    if args.markdown:
        args.markdown.write_text(markdown(checks) + "\n", "utf-8")
    missed = [c for c in checks if c.ok is False]
    print(f"\n{len(missed)} target(s) missed; results in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
