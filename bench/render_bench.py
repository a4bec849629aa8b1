"""Floor vs docflow: the 40-row requirement memo as PDF and as DOCX, in this process."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.floor import floor_docx, floor_pdf
from bench.report import Check, ratio
from bench.timing import BenchFailure, time_interleaved
from bench.workspaces import MEMO_ROWS, memo_request

__all__ = ["run"]

TARGET = 1.25


def run(memo_ws: Path, runs: int) -> tuple[dict[str, Any], list[Check]]:
    """Medians of ``runs`` renders each; ratios docflow / floor for PDF and DOCX."""
    from docflow.errors import DocflowError
    from docflow.render.docx import render_docx
    from docflow.render.pdf import render_pdf
    from docflow.render.pipeline import prepare

    request = memo_request(memo_ws)
    context = {
        "p": request.context["p"],
        "doc": asdict(request.meta),
        "requirements": request.context["requirements"],
    }

    def docflow_pdf() -> bytes:
        prepared = prepare(request)
        return render_pdf(prepared.html, request.meta, prepared.dirs)[0]

    def docflow_docx() -> bytes:
        return render_docx(prepare(request))

    try:
        sizes = {
            "floor_pdf": len(floor_pdf(context)),
            "docflow_pdf": len(docflow_pdf()),
            "floor_docx": len(floor_docx(context)),
            "docflow_docx": len(docflow_docx()),
        }
        pdf = time_interleaved({"floor": lambda: floor_pdf(context), "docflow": docflow_pdf}, runs)
        dx = time_interleaved({"floor": lambda: floor_docx(context), "docflow": docflow_docx}, runs)
    except DocflowError as exc:
        raise BenchFailure(f"the requirement memo did not render: {exc.message}") from exc
    pdf_ratio = ratio(pdf["docflow"].wall, pdf["floor"].wall)
    docx_ratio = ratio(dx["docflow"].wall, dx["floor"].wall)
    result = {
        "rows": MEMO_ROWS,
        "bytes": sizes,
        "pdf": {"floor": pdf["floor"].to_dict(), "docflow": pdf["docflow"].to_dict()},
        "docx": {"floor": dx["floor"].to_dict(), "docflow": dx["docflow"].to_dict()},
        "pdf_ratio": round(pdf_ratio, 3),
        "docx_ratio": round(docx_ratio, 3),
    }
    checks = [
        Check("floor", "PDF floor", pdf["floor"].wall, "s", "", None),
        Check("floor", "PDF docflow", pdf["docflow"].wall, "s", "", None),
        Check("floor", "PDF docflow / floor", pdf_ratio, "x", f"<= {TARGET}x", pdf_ratio <= TARGET),
        Check("floor", "DOCX floor", dx["floor"].wall, "s", "", None),
        Check("floor", "DOCX docflow", dx["docflow"].wall, "s", "", None),
        Check(
            "floor", "DOCX docflow / floor", docx_ratio, "x", f"<= {TARGET}x", docx_ratio <= TARGET
        ),
    ]
    return result, checks
