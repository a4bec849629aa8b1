"""The chain head an issued PDF carries: ``docflow-anchor:<seq>:<hash>`` in its /Keywords."""

from __future__ import annotations

import re

from docflow.errors import InvalidInput

__all__ = ["read_anchor"]

_ANCHOR = re.compile(r"docflow-anchor:(\d+):([0-9a-f]{64})")


def read_anchor(pdf: bytes) -> tuple[int, str] | None:
    """The (event seq, event hash) a PDF was issued at, or None when it carries none.

    Read with pypdf, leniently: a PDF that cannot be read carries no anchor.
    """
    from docflow.sign._pypdf import open_pypdf, pypdf_errors

    errors: tuple[type[BaseException], ...] = (InvalidInput, *pypdf_errors())
    try:
        info = open_pypdf(pdf, "the PDF", strict=False).metadata
        keywords = info.get("/Keywords") if info is not None else None
    except errors:
        return None
    match = _ANCHOR.search(str(keywords)) if keywords is not None else None
    return (int(match.group(1)), match.group(2)) if match else None
