"""Document rendering: one Jinja template, two files (DOCX and PDF) with the same text.

``render_document`` runs the kind template once, parses its HTML into a block tree and gives
that tree to both renderers. It is a pure function of the request: the same request gives
the same bytes. This module imports nothing heavy; Jinja, WeasyPrint and python-docx load
inside the functions that need them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from docflow.render.meta import DocMeta, RenderedDocument, RenderRequest, SigBox

# Starts laying out a PDF elsewhere and returns a function that waits for (pdf, boxes).
PdfStarter = Callable[
    [str, DocMeta, tuple[Path, ...]], Callable[[], tuple[bytes, dict[str, SigBox]]]
]

__all__ = [
    "DocMeta",
    "PdfStarter",
    "RenderRequest",
    "RenderedDocument",
    "SigBox",
    "render_document",
    "render_html",
    "render_register_pdf",
]


def render_html(request: RenderRequest) -> str:
    """The complete HTML page the PDF is made from (a preview; the stylesheet is inlined)."""
    from docflow.render.pipeline import prepare

    return prepare(request).html


def render_document(
    request: RenderRequest, start_pdf: PdfStarter | None = None
) -> RenderedDocument:
    """Render the request's document kind to DOCX and PDF, with each party's signature box.

    With ``start_pdf`` the PDF is laid out elsewhere (another process) while the DOCX is
    made here. The result carries the page HTML too, so a caller that records its hash
    need not render the template a second time through :func:`render_html`.
    """
    from docflow.render.docx import render_docx
    from docflow.render.pipeline import prepare

    prepared = prepare(request)
    if start_pdf is None:
        from docflow.render.pdf import render_pdf

        pdf, boxes = render_pdf(prepared.html, request.meta, prepared.dirs)
        docx = render_docx(prepared)
    else:
        wait = start_pdf(prepared.html, request.meta, prepared.dirs)
        docx = render_docx(prepared)
        pdf, boxes = wait()
    return RenderedDocument(docx=docx, pdf=pdf, signature_boxes=boxes, html=prepared.html)


def render_register_pdf(
    locale: str,
    project_code: str,
    project_name: str,
    contract_number: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    contract: Mapping[str, Any] | None = None,
    parties: Mapping[str, str] | None = None,
    letterhead: str = "",
) -> bytes:
    """The register of contract annexes as a PDF; see :mod:`docflow.render.register`."""
    from docflow.render import register

    return register.render_register_pdf(
        locale,
        project_code,
        project_name,
        contract_number,
        rows,
        contract=contract,
        parties=parties,
        letterhead=letterhead,
    )
