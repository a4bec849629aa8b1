"""Documents that must say what they are on every page: a convenience translation, a letter.

The same template, block tree and renderers as an issued document, with three differences
made here, after the template ran, so that no template (a workspace's own included) can leave
them out: the running header's title carries a ``mark`` (both the PDF's and the DOCX's
header print it on every page), a ``note`` paragraph opens the first page, and the signature
table is taken out, so the file has no signature fields and no place to sign: it is never the
binding version. The PDF carries no data snapshot.
"""

from __future__ import annotations

import dataclasses

from docflow.render.blocks import Block, Document, Paragraph, Run, Table
from docflow.render.meta import RenderedDocument, RenderRequest

__all__ = ["mark_document", "render_marked"]


def _signs(block: Block) -> bool:
    """True for the signature table (its signing cells carry ids ``sig-<party>``)."""
    if not isinstance(block, Table):
        return False
    return any((cell.id or "").startswith("sig-") for row in block.rows for cell in row.cells)


def mark_document(document: Document, mark: str, note: str) -> Document:
    """The document with ``mark`` after its running-header title, ``note`` first, and no
    signature table."""
    title = f"{document.title} — {mark}" if mark else document.title
    blocks: tuple[Block, ...] = tuple(b for b in document.blocks if not _signs(b))
    if note:
        blocks = (Paragraph((Run(note, bold=True),), small=True), *blocks)
    return dataclasses.replace(document, title=title, blocks=blocks)


def render_marked(request: RenderRequest, mark: str, note: str) -> RenderedDocument:
    """Render the request's kind to DOCX and PDF, marked on every page and unsignable."""
    from docflow.render.docx import render_docx
    from docflow.render.htmlout import document_html
    from docflow.render.pdf import render_pdf
    from docflow.render.pipeline import prepare, stylesheet

    prepared = prepare(request)
    document = mark_document(prepared.document, mark, note)
    page = document_html(
        document, prepared.meta, prepared.words, prepared.letterhead, stylesheet(prepared.dirs)
    )
    prepared = dataclasses.replace(prepared, document=document, html=page)
    pdf, _boxes = render_pdf(page, prepared.meta, prepared.dirs)
    docx = render_docx(prepared)
    return RenderedDocument(docx=docx, pdf=pdf, signature_boxes={}, html=page)
