"""Reading PDF bytes with pypdf, turning parse failures into docflow errors.

pypdf is the strict second reader of signed files (pyHanko is the first) and writes the
empty signature fields. It is imported inside these functions only.
"""

from __future__ import annotations

import logging
import struct
import zlib
from io import BytesIO
from typing import TYPE_CHECKING

from docflow.errors import InvalidInput

if TYPE_CHECKING:
    from pypdf import PdfReader

__all__ = ["open_pypdf", "pypdf_errors"]

# pypdf logs what it tolerates in a damaged file as warnings; without a handler of its own,
# Python's last-resort handler would print them to the user's terminal. docflow's verdict
# reaches users as one sentence instead; applications that configure logging still get them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def pypdf_errors() -> tuple[type[BaseException], ...]:
    """What pypdf raises on a damaged or hostile file.

    Beyond its own errors, pypdf lets the standard library's escape on some damaged input
    (and asserts its expectations about the file), so those are caught too.
    """
    from pypdf.errors import PyPdfError

    return (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        AssertionError,
        RecursionError,
        OverflowError,
        zlib.error,
        struct.error,
    )


def open_pypdf(data: bytes, what: str, *, strict: bool = True) -> PdfReader:
    """Parse `data` with pypdf; `what` names it in the error (e.g. "the signed PDF").

    ``strict=False`` tolerates the small syntax slips of scanner software.
    """
    from pypdf import PdfReader

    if not data.startswith(b"%PDF-"):
        raise InvalidInput(f"{what} is not a PDF file (it does not start with %PDF-).")
    try:
        reader = PdfReader(BytesIO(data), strict=strict)
        if "/Encrypt" in reader.trailer:
            raise InvalidInput(f"{what} is encrypted")
        reader.root_object  # noqa: B018 -- loads the catalog, so a broken file fails here
    except pypdf_errors() as exc:
        raise InvalidInput(f"{what} cannot be read as a PDF: {exc}") from exc
    return reader
