"""Reading PDF bytes with pyHanko, turning parse failures into docflow errors."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from docflow.errors import InvalidInput

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader

__all__ = ["open_pdf"]


def open_pdf(data: bytes, what: str) -> PdfFileReader:
    """Parse `data` as a PDF; `what` names it in the error (e.g. "the issued PDF")."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data.startswith(b"%PDF-"):
        raise InvalidInput(f"{what} is not a PDF file (it does not start with %PDF-).")
    try:
        reader = PdfFileReader(BytesIO(data), strict=True)
        reader.root  # noqa: B018 -- forces the catalog to load, so a broken file fails here
    except (PdfError, KeyError, ValueError, TypeError) as exc:
        raise InvalidInput(f"{what} cannot be read as a PDF: {exc}") from exc
    return reader
