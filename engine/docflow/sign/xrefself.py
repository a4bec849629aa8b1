"""The cross-reference stream of an update lists itself and keeps the document information.

pypdf writes the incremental update that adds the empty signature fields with a
cross-reference stream that has no entry for its own object. ISO 32000-1 7.5.8.1 has every
object of a revision listed, the stream included; qpdf warns ("xref entry for the xref
stream itself is missing") and a PDF/A validator may refuse. pypdf also leaves the previous
trailer's /Info out when the update does not change it, though 7.5.6 has an update's trailer
carry every entry of the previous one: readers take the last trailer, so the document's
title, author and dates would be lost. :func:`list_itself` rewrites that last section, at the
same offset, with both added; everything before it is kept byte for byte.
"""

from __future__ import annotations

import re
import struct
import zlib

__all__ = ["list_itself"]

_TAIL = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
# The section as pypdf writes it: one object, a flate-compressed /XRef stream with a direct
# /Length, its entries 1 + 4 + 1 bytes wide.
_SECTION = re.compile(rb"(?P<num>\d+) 0 obj\s*<<(?P<dict>.*?)>>\s*stream\r?\n", re.S)
_ARRAY = rb"/%s\s*\[(?P<items>[\d\s]*)\]"


def _array(body: bytes, name: bytes) -> list[int] | None:
    found = re.search(_ARRAY % name, body)
    return None if found is None else [int(n) for n in found.group("items").split()]


def list_itself(pdf: bytes, info: tuple[int, int] | None = None) -> bytes:
    """``pdf`` with its last cross-reference stream listing its own object and, when the
    stream has no /Info, naming ``info`` (the previous trailer's object number, generation).

    A file whose last section is a table, a stream that lists itself already, or one not in
    the form pypdf writes is returned unchanged.
    """
    tail = _TAIL.search(pdf, max(0, len(pdf) - 64))
    if tail is None:
        return pdf
    at = int(tail.group(1))
    section = _SECTION.match(pdf, at)
    if section is None:
        return pdf  # a cross-reference table, or not pypdf's form
    body = section.group("dict")
    length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", body)
    index, widths = _array(body, b"Index"), _array(body, b"W")
    if (
        b"/XRef" not in body
        or b"/FlateDecode" not in body
        or length is None
        or widths != [1, 4, 1]
        or not index
        or len(index) % 2
    ):
        return pdf
    number = int(section.group("num"))
    pairs = list(zip(index[::2], index[1::2], strict=True))
    if any(first <= number < first + count for first, count in pairs) or any(
        first + count > number for first, count in pairs
    ):
        return pdf  # listed already, or a new entry would not come last
    start = section.end()
    data = zlib.decompress(pdf[start : start + int(length.group(1))])
    data += struct.pack(">BIB", 1, at, 0)
    packed = zlib.compress(data)
    items = " ".join(str(n) for n in [*index, number, 1])
    body = re.sub(_ARRAY % b"Index", f"/Index [ {items} ]".encode(), body, count=1)
    body = body.replace(length.group(0), f"/Length {len(packed)}".encode(), 1)
    if info is not None and b"/Info" not in body:
        body = body.rstrip() + f"\n/Info {info[0]} {info[1]} R\n".encode()
    return b"".join(
        [
            pdf[:at],
            f"{number} 0 obj\n<<".encode(),
            body,
            b">>\nstream\n",
            packed,
            f"\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n".encode(),
        ]
    )
