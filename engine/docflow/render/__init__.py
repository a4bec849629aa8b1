"""Document rendering: one Jinja template, two files (DOCX and PDF) with the same text.

``render_document`` runs the kind template once, parses its HTML into a block tree and gives
that tree to both renderers. It is a pure function of the request (and of the snapshot the
caller makes): the same request gives the same bytes. The PDF is PDF/A-3a and carries the
snapshot as its associated file data.json. This module imports nothing heavy; Jinja,
WeasyPrint and python-docx load inside the functions that need them.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from docflow.render.meta import DocMeta, RenderedDocument, RenderRequest, SigBox

# Starts laying out a PDF elsewhere and returns a function that waits for (pdf, boxes).
# Called as (html, meta, template_dirs), or (html, meta, template_dirs, data) when the PDF
# is to carry a data snapshot.
PdfStarter = Callable[..., Callable[[], tuple[bytes, dict[str, SigBox]]]]
# Makes the data snapshot a PDF carries, from the SHA-256 (hex) of the page HTML.
Snapshot = Callable[[str], bytes]

__all__ = [
    "DocMeta",
    "PdfStarter",
    "RenderRequest",
    "RenderedDocument",
    "SigBox",
    "Snapshot",
    "html_sha256",
    "render_document",
    "render_html",
    "render_register_pdf",
]


def render_html(request: RenderRequest) -> str:
    """The complete HTML page the PDF is made from (a preview; the stylesheet is inlined)."""
    from docflow.render.pipeline import prepare

    return prepare(request).html


def html_sha256(html: str) -> str:
    """The SHA-256 (hex) of a page HTML, as a data snapshot records it."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def render_document(
    request: RenderRequest,
    start_pdf: PdfStarter | None = None,
    snapshot: Snapshot | None = None,
) -> RenderedDocument:
    """Render the request's document kind to DOCX and PDF, with each party's signature box.

    With ``start_pdf`` the PDF is laid out elsewhere (another process) while the DOCX is
    made here. With ``snapshot``, the PDF embeds ``snapshot(html_sha256(page html))`` as
    its data.json, byte for byte, and the result carries those bytes as ``data``. The result
    carries the page HTML too, so a caller that records its hash need not render the
    template a second time through :func:`render_html`.
    """
    from docflow.render.docx import render_docx
    from docflow.render.pipeline import prepare

    prepared = prepare(request)
    data = snapshot(html_sha256(prepared.html)) if snapshot is not None else b""
    pdf_args: tuple[Any, ...] = (prepared.html, request.meta, prepared.dirs)
    if data:
        pdf_args += (data,)
    if start_pdf is None:
        from docflow.render.pdf import render_pdf

        pdf, boxes = render_pdf(*pdf_args)
        # WeasyPrint's layout leaves its boxes in reference cycles (tens of thousands of
        # objects a document); collecting the young generation now keeps a process that
        # lays out many documents at one document's garbage, whatever the collector's pace.
        gc.collect(0)
        docx = render_docx(prepared)
    else:
        wait = start_pdf(*pdf_args)
        docx = render_docx(prepared)
        pdf, boxes = wait()
    return RenderedDocument(
        docx=docx, pdf=pdf, signature_boxes=boxes, html=prepared.html, data=data
    )


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
