"""``python -m bench.large_bench``: a project of 20,000 requirements, loaded and its memo issued.

Every figure is also given as a ratio to the same measure of the example project (24
requirements) taken in the same run, since absolute times on a shared machine drift:

- load: ``docflow status`` as a whole process, and ``parse_project`` in process;
- memo: ``docflow advance`` issuing the requirement memo (whole process, render worker
  included), with the pages of the PDF it wrote;
- peak memory: the largest resident set of each ``advance`` (its render worker included);
- template work: the steps the memo's template took, against the sandbox's default bound;
- with ``--stages``: where the large memo's time goes (template, HTML, DOCX, PDF), in process.

Not part of ``python -m bench`` (it takes minutes) and not a timed test. Results go to
``bench/large_results.json`` (``--out`` elsewhere).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.report import Check, ratio, table
from bench.timing import BenchFailure, bench_env, docflow_argv
from bench.workspaces import memo_workspace

HERE = Path(__file__).resolve().parent
KINDS = ("functional", "non_functional", "interface")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.large_bench", description=__doc__)
    parser.add_argument("--requirements", type=int, default=20_000, help="size of the project")
    parser.add_argument("--runs", type=int, default=3, help="runs per median of the small ones")
    parser.add_argument("--stages", action="store_true", help="also time each rendering stage")
    parser.add_argument("--out", type=Path, default=HERE / "large_results.json")
    return parser.parse_args(argv)


def with_requirements(project: Path, count: int) -> None:
    """Replace the requirements of ``project`` (a project.yaml) by ``count`` generated ones."""
    lines = project.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("requirements:"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\n", "#"))
    items = "".join(
        f"  - id: R-{i:05d}\n    title: 需求 {i}\n"
        f"    description: 支持第 {i} 项业务的录入、查询、统计与导出。\n"
        f"    type: {KINDS[i % 3]}\n    priority: {'must' if i % 2 else 'should'}\n"
        f"    source: 门诊部\n"
        for i in range(1, count + 1)
    )
    project.write_text("".join(lines[: start + 1]) + items + "".join(lines[end:]), "utf-8")


def run_measured(argv: Sequence[str], cwd: Path) -> tuple[float, float, float, str]:
    """Wall s, CPU s and peak resident MiB of one whole process (its children included).

    Call it in a fresh interpreter (:func:`_isolated`): the figures are those of every
    process this interpreter started.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=bench_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise BenchFailure(f"`{' '.join(argv)}` exited {proc.returncode}: {err.strip()[-800:]}")
    # In the fresh interpreter of _isolated, the only child is this process (and the
    # processes it started and reaped): its CPU time and its largest resident set.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def _isolated(argv: Sequence[str], cwd: Path) -> tuple[float, float, float, str]:
    """:func:`run_measured` in a fresh interpreter, so the peak memory is this process's."""
    code = (
        "import json, sys; from pathlib import Path; from bench.large_bench import run_measured;"
        "print(json.dumps(run_measured(sys.argv[2:], Path(sys.argv[1]))))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(cwd), *argv],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise BenchFailure(proc.stderr.strip()[-800:])
    wall, cpu, peak, out = json.loads(proc.stdout)
    return float(wall), float(cpu), float(peak), str(out)


def _median_of(runs: int, measure: Callable[[], tuple[float, float, float, str]]) -> list[float]:
    samples = [measure() for _ in range(runs)]
    return [float(statistics.median(s[i] for s in samples)) for i in range(3)]


def _status(ws: Path, runs: int) -> list[float]:
    return _median_of(runs, lambda: _isolated([*docflow_argv(), "status", "--json"], ws))


def _advance(ws: Path, work: Path, runs: int) -> tuple[list[float], dict[str, Any]]:
    """Median of ``runs`` memos issued, each on a fresh copy; the last one's document."""
    samples, document = [], {}
    for index in range(runs):
        target = work / f"{ws.name}-advance-{index}"
        shutil.copytree(ws, target)
        wall, cpu, peak, out = _isolated(
            [*docflow_argv(), "advance", "issue_requirement_memo", "--json"], target
        )
        samples.append((wall, cpu, peak))
        document = json.loads(out)["documents"][0]
        document["pages"] = _pages(target / document["files"]["pdf"])
        document["docx_bytes"] = (target / document["files"]["docx"]).stat().st_size
        shutil.rmtree(target)
    return [float(statistics.median(s[i] for s in samples)) for i in range(3)], document


def _pages(pdf: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(pdf).pages)


def _in_process(ws: Path, runs: int, stages: bool) -> dict[str, float]:
    """parse_project time, template steps and time; with ``stages``, each rendering stage."""
    import datetime as dt

    from docflow.documents.context import build_context
    from docflow.documents.identity import DocId
    from docflow.documents.jobs import make_meta
    from docflow.render import RenderRequest, context
    from docflow.runtime.session import open_session
    from docflow.runtime.workspace import Workspace
    from docflow.spec.loader import parse_project

    text = (ws / "project.yaml").read_text("utf-8")
    load = statistics.median(
        _timed(lambda: parse_project(text, "project.yaml")) for _ in range(runs)
    )
    session = open_session(Workspace(ws), None, "bench")
    meta = make_meta(session, DocId("RM", 1), 1, 1, dt.date(2026, 11, 23))
    request = RenderRequest(meta, build_context(session), session.template_dirs())
    envs: list[Any] = []
    build = context.build_environment

    def spy(*args: Any, **kwargs: Any) -> Any:
        envs.append(build(*args, **kwargs))
        return envs[-1]

    context.build_environment = spy  # type: ignore[assignment]
    try:
        template = _timed(lambda: context.render_template(request))
    finally:
        context.build_environment = build  # type: ignore[assignment]
    steps = envs[-1].limits.steps - envs[-1].steps_left
    found = {"parse_project_s": load, "template_s": template, "template_steps": steps}
    if stages:
        found.update(_stages(request))
    return found


def _stages(request: Any) -> dict[str, float]:
    from docflow.render.docx import render_docx
    from docflow.render.libs import import_weasyprint
    from docflow.render.pdf import render_pdf
    from docflow.render.pipeline import prepare

    import_weasyprint()
    holder: list[Any] = []
    prepare_s = _timed(lambda: holder.append(prepare(request)))
    prepared = holder[0]
    docx_s = _timed(lambda: render_docx(prepared))
    pdf_s = _timed(lambda: render_pdf(prepared.html, prepared.meta, prepared.dirs))
    return {"prepare_s": prepare_s, "docx_s": docx_s, "pdf_s": pdf_s}


def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run(args: argparse.Namespace, work: Path) -> tuple[dict[str, Any], list[Check]]:
    """Measure the example and the large project side by side."""
    from docflow.render.sandbox import DEFAULT_MAX_STEPS

    base = memo_workspace(work / "example")
    large = work / "large"
    shutil.copytree(base, large)
    with_requirements(large / "project.yaml", args.requirements)
    sizes = {"example": base, f"{args.requirements:,} requirements": large}
    results: dict[str, Any] = {}
    for label, ws in sizes.items():
        status = _status(ws, args.runs)
        runs = args.runs if ws is base else 1
        advance, document = _advance(ws, work, runs)
        inner = _in_process(ws, args.runs, args.stages and ws is large)
        results[label] = {
            "status": dict(zip(("wall_s", "cpu_s", "peak_mib"), status, strict=True)),
            "advance": dict(zip(("wall_s", "cpu_s", "peak_mib"), advance, strict=True)),
            "memo": document,
            **inner,
        }
    small, big = results["example"], results[f"{args.requirements:,} requirements"]
    name = f"{args.requirements:,} req."
    pairs = {
        "status / example": (big["status"]["wall_s"], small["status"]["wall_s"]),
        "parse_project / example": (big["parse_project_s"], small["parse_project_s"]),
        "template / example": (big["template_s"], small["template_s"]),
        "advance (memo) / example": (big["advance"]["wall_s"], small["advance"]["wall_s"]),
        "advance CPU / example": (big["advance"]["cpu_s"], small["advance"]["cpu_s"]),
        "advance peak memory / example": (
            big["advance"]["peak_mib"],
            small["advance"]["peak_mib"],
        ),
        "memo pages / example": (big["memo"]["pages"], small["memo"]["pages"]),
    }
    checks = [
        Check("large", f"{name}: {what}", ratio(a, b), "x", "", None)
        for what, (a, b) in pairs.items()
    ]
    steps = big["template_steps"]
    checks.append(Check("large", f"{name}: template steps, millions", steps / 1e6, "M", "", None))
    checks.append(
        Check(
            "large",
            f"{name}: template steps / default bound",
            ratio(steps, DEFAULT_MAX_STEPS),
            "x",
            "< 1x",
            steps < DEFAULT_MAX_STEPS,
        )
    )
    if args.stages:
        total = big["prepare_s"] + big["docx_s"] + big["pdf_s"]
        for stage in ("prepare_s", "docx_s", "pdf_s"):
            share = big[stage] / total
            checks.append(Check("large", f"{name}: {stage[:-2]} share", share, "x", "", None))
    return results, checks


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table and write the JSON."""
    args = _arguments(argv)
    with tempfile.TemporaryDirectory(prefix="docflow-large-") as tmp:
        try:
            results, checks = run(args, Path(tmp))
        except BenchFailure as exc:
            print(f"bench: {exc}", file=sys.stderr)
            return 1
    document = {
        "requirements": args.requirements,
        "load_average_1m": os.getloadavg()[0],
        **results,
        "checks": [c.to_dict() for c in checks],
    }
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(table(checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
