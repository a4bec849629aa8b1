"""Reading PDF bytes with pyHanko, turning parse failures into docflow errors."""

from __future__ import annotations

import logging
from io import BytesIO
from typing import TYPE_CHECKING

from docflow.errors import InvalidInput

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader

__all__ = ["open_pdf"]

# pyHanko logs an untrusted certificate as a warning with a traceback; without a handler of
# its own, Python's last-resort handler would print that to the user's terminal. The verdict
# reaches users through SignatureCheck instead; applications that configure logging still
# receive these records through propagation.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


def open_pdf(data: bytes, what: str, *, strict: bool = True) -> PdfFileReader:
    """Parse `data` as a PDF; `what` names it in the error (e.g. "the issued PDF").

    ``strict=False`` tolerates the small syntax slips of scanner software.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data.startswith(b"%PDF-"):
        raise InvalidInput(f"{what} is not a PDF file (it does not start with %PDF-).")
    try:
        reader = PdfFileReader(BytesIO(data), strict=strict)
        reader.root  # noqa: B018 -- forces the catalog to load, so a broken file fails here
    except (PdfError, KeyError, ValueError, TypeError) as exc:
        raise InvalidInput(f"{what} cannot be read as a PDF: {exc}") from exc
    return reader
