"""Scanned signature pages: which file types are accepted, told by their first bytes."""

from __future__ import annotations

from docflow.errors import InvalidInput

__all__ = ["check_scan"]

# Magic numbers, not file name extensions: the extension is whatever the scanner chose.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)


def check_scan(data: bytes, filename: str) -> str:
    """Return "pdf", "png" or "jpeg" for a scan's bytes, or raise InvalidInput naming the file."""
    if not data:
        raise InvalidInput(f"The scan {filename} is empty.")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    raise InvalidInput(f"The scan {filename} is not a PDF, PNG or JPEG file.")
