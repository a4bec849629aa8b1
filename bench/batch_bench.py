"""Batch re-rendering: ``docflow render --all`` with one worker and with several, its CPU per
document against the bare WeasyPrint floor of the same memo, and LibreOffice converting the
same DOCX files to PDF in one ``soffice`` call, compared per core (documents per CPU second).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from bench.report import Check, ratio
from bench.timing import BenchFailure, docflow_argv, run_process
from bench.workspaces import batch_workspace, bump_letterhead

__all__ = ["run"]

WORKERS_TARGET = 1.7
FLOOR_TARGET = 1.1  # CPU per document in render --all / the bare Jinja + WeasyPrint memo


def _render_all(ws: Path, jobs: int, revision: int, expected: int) -> tuple[float, float]:
    """Re-render every document after a letterhead edit; fail unless all of them re-rendered."""
    bump_letterhead(ws, revision)
    wall, cpu, proc = run_process(
        [*docflow_argv(), "-C", str(ws), "render", "--all", "--jobs", str(jobs), "--json"],
        check=False,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise BenchFailure(f"render --jobs {jobs} failed: {proc.stderr.strip()[-800:]}") from exc
    if report["failed"] or len(report["rerendered"]) != expected:
        failed = "; ".join(f"{f['id']}: {f['message']}" for f in report["failed"][:5])
        raise BenchFailure(
            f"render --jobs {jobs} re-rendered {len(report['rerendered'])} of {expected} "
            f"documents ({failed or proc.stderr.strip()[-400:]})"
        )
    return wall, cpu


def _soffice(ws: Path, work: Path) -> dict[str, Any] | None:
    """LibreOffice converting the newest DOCX of every document in one call (None if absent)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    inbox, outbox = work / "soffice-in", work / "soffice-out"
    inbox.mkdir()
    newest: dict[str, Path] = {}
    for path in sorted((ws / "documents").glob("*.docx")):
        doc_id, _, version = path.stem.rpartition("-v")
        if doc_id not in newest or int(version) > int(newest[doc_id].stem.rpartition("-v")[2]):
            newest[doc_id] = path
    for path in newest.values():
        shutil.copy(path, inbox / path.name)
    files = sorted(str(p) for p in inbox.glob("*.docx"))
    # A private profile: another soffice running on the machine must not share its lock.
    profile = (work / "soffice-profile").as_uri()
    argv = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    wall, cpu, _ = run_process([*argv, "--outdir", str(outbox), *files])
    made = len(list(outbox.glob("*.pdf")))
    if made != len(files):
        raise BenchFailure(f"soffice converted {made} of {len(files)} DOCX files")
    return {"documents": len(files), "wall_s": round(wall, 4), "cpu_s": round(cpu, 4)}


def _floor_cpu(ws: Path, runs: int) -> float:
    """CPU seconds of the bare Jinja + WeasyPrint floor of the batch's memo, in a warm process."""
    from dataclasses import asdict

    from bench.floor import floor_pdf
    from bench.timing import time_calls
    from bench.workspaces import memo_request

    request = memo_request(ws, rows=None)
    context = {
        "p": request.context["p"],
        "doc": asdict(request.meta),
        "requirements": request.context["requirements"],
    }
    return time_calls(lambda: floor_pdf(context), runs).cpu


def run(work: Path, documents: int, jobs: int, runs: int = 3) -> tuple[dict[str, Any], list[Check]]:
    """Throughput of ``render --all`` at 1 and ``jobs`` workers, its CPU per document against
    the floor, and LibreOffice's CPU per document."""
    try:
        ws = batch_workspace(work / "batch" / "ws", documents)
    except Exception as exc:  # any failure here means documents could not be issued
        raise BenchFailure(f"issuing {documents} documents failed: {exc}") from exc
    one_wall, one_cpu = _render_all(ws, 1, 1, documents)
    many_wall, many_cpu = _render_all(ws, jobs, 2, documents)
    floor = _floor_cpu(ws, runs)
    one = documents / one_wall
    many = documents / many_wall
    speedup = ratio(many, one)
    # The whole command, start-up and recording included, spread over its documents.
    per_doc = one_cpu / documents
    versus_floor = ratio(per_doc, floor)
    result: dict[str, Any] = {
        "documents": documents,
        "jobs": jobs,
        "jobs_1": {
            "wall_s": round(one_wall, 4),
            "cpu_s": round(one_cpu, 4),
            "docs_per_s": round(one, 3),
        },
        f"jobs_{jobs}": {
            "wall_s": round(many_wall, 4),
            "cpu_s": round(many_cpu, 4),
            "docs_per_s": round(many, 3),
        },
        "speedup": round(speedup, 3),
        "cpu_per_doc_s": round(per_doc, 4),
        "floor_cpu_s": round(floor, 4),
        "floor_ratio": round(versus_floor, 3),
    }
    checks = [
        Check("batch", f"{documents} docs, --jobs 1", one, "docs/s", "", None),
        Check("batch", f"{documents} docs, --jobs {jobs}", many, "docs/s", "", None),
        Check(
            "batch",
            f"--jobs {jobs} / --jobs 1",
            speedup,
            "x",
            f">= {WORKERS_TARGET}x",
            speedup >= WORKERS_TARGET if jobs > 1 else None,
        ),
        Check("batch", "floor: bare Jinja + WeasyPrint memo, CPU", floor, "s", "", None),
        Check("batch", "render --all, CPU per document (DOCX + PDF)", per_doc, "s", "", None),
        Check(
            "batch",
            "CPU per document / floor",
            versus_floor,
            "x",
            f"<= {FLOOR_TARGET:g}x",
            versus_floor <= FLOOR_TARGET,
        ),
    ]
    office = _soffice(ws, work / "batch")
    result["soffice"] = office
    if office is None:
        checks.append(Check("batch", "per core: docflow / LibreOffice", None, "x", "", None))
        return result, checks
    office_rate = office["documents"] / office["wall_s"]
    office["docs_per_s"] = round(office_rate, 3)
    office_per_doc = office["cpu_s"] / office["documents"]
    office["cpu_per_doc_s"] = round(office_per_doc, 4)
    # Documents per CPU second, docflow (DOCX + PDF) against LibreOffice (PDF of the DOCX).
    per_core = ratio(office_per_doc, per_doc)
    result["vs_soffice"] = round(ratio(many, office_rate), 3)
    result["per_core_vs_soffice"] = round(per_core, 3)
    checks += [
        Check("batch", "LibreOffice DOCX->PDF, CPU per document", office_per_doc, "s", "", None),
        Check("batch", "per core: docflow / LibreOffice (docs per CPU s)", per_core, "x", "", None),
        Check(
            "batch",
            f"throughput: docflow --jobs {jobs} / LibreOffice",
            result["vs_soffice"],
            "x",
            "",
            None,
        ),
    ]
    return result, checks
