"""The pages of a PDF as PNG images, for the signing page (rendered with PDFium).

PDFium is not safe to call from several threads at once, so renderings take turns; the
images of a content-addressed PDF never change, so a few recent ones are kept in memory (a
cache of immutable renderings, not state: any process renders the same bytes).
"""

from __future__ import annotations

import functools
import threading
from io import BytesIO

from docflow.errors import InvalidInput

__all__ = ["MAX_WIDTH", "page_count", "page_png"]

MAX_WIDTH = 1600
_LOCK = threading.Lock()


@functools.lru_cache(maxsize=32)
def _count(sha256: str, pdf: bytes) -> int:
    import pypdfium2 as pdfium

    with _LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def page_count(sha256: str, pdf: bytes) -> int:
    """How many pages the PDF (stored under ``sha256``) has."""
    return _count(sha256, pdf)


@functools.lru_cache(maxsize=64)
def _render(sha256: str, pdf: bytes, index: int, width: int) -> bytes:
    import pypdfium2 as pdfium

    with _LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[index]
            bitmap = page.render(scale=width / page.get_width())
            image = bitmap.to_pil()
        finally:
            document.close()
    out = BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def page_png(sha256: str, pdf: bytes, number: int, width: int) -> bytes:
    """Page ``number`` (from 1) as a PNG ``width`` pixels wide (at most MAX_WIDTH)."""
    if not 1 <= number <= page_count(sha256, pdf):
        raise InvalidInput(f"the document has no page {number}")
    return _render(sha256, pdf, number - 1, max(200, min(width, MAX_WIDTH)))
