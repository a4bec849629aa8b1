"""Appending a revision to a PDF: changed and new objects, then their cross-reference.

The counterpart of :mod:`docflow.sign._pdfread`. The original bytes are kept as they are
and the new revision follows them (ISO 32000-1, 7.5.6), so signatures over earlier
revisions stay valid. The new section has the kind of the newest one before it (a
cross-reference stream after a stream, a table after a table), and its trailer repeats the
previous trailer's entries, as the standard asks. Output depends on the input only.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from docflow.sign._pdfread import PdfFile
from docflow.sign._pdfsyntax import PdfSyntax, Ref, Stream

__all__ = ["Revision", "dump", "text_string"]

# Entries of a cross-reference stream's dictionary that describe that stream only.
_XREF_STREAM_KEYS = {"Type", "W", "Index", "Filter", "DecodeParms", "Length", "Prev", "XRefStm"}
_NAME_SAFE = re.compile(rb"[^!-~]|[#()<>\[\]{}/%]")
_STRING_UNSAFE = re.compile(rb"[\\()]|[^ -~]")


def text_string(text: str) -> bytes:
    """A PDF text string: ASCII as is, anything else UTF-16BE with its byte order mark."""
    if text.isascii():
        return text.encode("ascii")
    return b"\xfe\xff" + text.encode("utf-16-be")


def _real(value: float) -> bytes:
    if value != value or abs(value) == float("inf"):
        raise ValueError(f"{value} cannot be written in a PDF")
    text = repr(value)
    if "e" in text:  # PDF numbers have no exponent
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text.removesuffix(".0").encode("ascii")


def _escape_string(match: re.Match[bytes]) -> bytes:
    char = match.group()
    return b"\\" + char if char in b"\\()" else b"\\%03o" % char[0]


def dump(value: Any) -> bytes:
    """The PDF syntax of a value as :mod:`docflow.sign._pdfsyntax` reads them."""
    if value is None:
        return b"null"
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, float):
        return _real(value)
    if isinstance(value, str):
        raw = value.encode("latin-1")
        return b"/" + _NAME_SAFE.sub(lambda m: b"#%02X" % m.group()[0], raw)
    if isinstance(value, bytes):
        return b"(" + _STRING_UNSAFE.sub(_escape_string, value) + b")"
    if isinstance(value, Ref):
        return b"%d %d R" % (value.num, value.gen)
    if isinstance(value, list):
        return b"[" + b" ".join(dump(v) for v in value) + b"]"
    if isinstance(value, dict):
        items = b"".join(dump(k) + b" " + dump(v) + b"\n" for k, v in value.items())
        return b"<<\n" + items + b">>"
    if isinstance(value, Stream):
        attrs = {**value.attrs, "Length": len(value.data)}
        return dump(attrs) + b"\nstream\n" + value.data + b"\nendstream"
    raise TypeError(f"cannot write {type(value).__name__} into a PDF")


class Revision:
    """New and changed objects of a PDF, written after it as one incremental update."""

    def __init__(self, pdf: PdfFile) -> None:
        self.pdf = pdf
        size = pdf.trailer.get("Size")
        if not isinstance(size, int) or size < 1:
            raise PdfSyntax("the trailer has no valid /Size")
        self.size = size
        self._objects: dict[int, tuple[int, Any]] = {}

    def add(self, value: Any) -> Ref:
        """Give ``value`` a new object number; return its reference."""
        ref = Ref(self.size, 0)
        self.size += 1
        self._objects[ref.num] = (0, value)
        return ref

    def get(self, ref: Ref) -> Any:
        """Object ``ref`` as this revision has it: changed if changed, else as read."""
        if ref.num in self._objects:
            return self._objects[ref.num][1]
        return self.pdf.get(ref.num)

    def put(self, ref: Ref, value: Any) -> None:
        """Replace object ``ref`` in this revision."""
        self._objects[ref.num] = (ref.gen, value)

    def write(self, document_id: list[bytes]) -> bytes:
        """The original bytes, then this revision with trailer /ID ``document_id``."""
        out = bytearray(self.pdf.data)
        if not out.endswith((b"\n", b"\r")):
            out += b"\n"
        offsets: dict[int, tuple[int, int]] = {}
        for num in sorted(self._objects):
            gen, value = self._objects[num]
            offsets[num] = (len(out), gen)
            out += b"%d %d obj\n" % (num, gen) + dump(value) + b"\nendobj\n"
        trailer = {k: v for k, v in self.pdf.trailer.items() if k not in _XREF_STREAM_KEYS}
        trailer["ID"] = document_id
        trailer["Prev"] = self.pdf.startxref
        start = len(out)
        if self.pdf.stream_xref:
            out += self._xref_stream(trailer, offsets, start)
        else:
            trailer["Size"] = self.size
            out += b"xref\n"
            for first, nums in _runs(sorted(offsets)):
                out += b"%d %d\n" % (first, len(nums))
                out += b"".join(b"%010d %05d n\r\n" % offsets[n] for n in nums)
            out += b"trailer\n" + dump(trailer) + b"\n"
        out += b"startxref\n%d\n%%%%EOF\n" % start
        return bytes(out)

    def _xref_stream(
        self, trailer: dict[str, Any], offsets: dict[int, tuple[int, int]], start: int
    ) -> bytes:
        num = self.size
        offsets = {**offsets, num: (start, 0)}
        width = max(1, (start.bit_length() + 7) // 8)
        rows = b"".join(
            b"\x01" + offsets[n][0].to_bytes(width, "big") + offsets[n][1].to_bytes(2, "big")
            for n in sorted(offsets)
        )
        index: list[int] = []
        for first, nums in _runs(sorted(offsets)):
            index += [first, len(nums)]
        attrs = {
            "Type": "XRef",
            **trailer,
            "Size": num + 1,
            "W": [1, width, 2],
            "Index": index,
            "Filter": "FlateDecode",
        }
        stream = Stream(attrs, zlib.compress(rows, 9))
        return b"%d 0 obj\n" % num + dump(stream) + b"\nendobj\n"


def _runs(nums: list[int]) -> list[tuple[int, list[int]]]:
    """Sorted object numbers grouped into runs of consecutive numbers."""
    runs: list[tuple[int, list[int]]] = []
    for num in nums:
        if runs and runs[-1][1][-1] == num - 1:
            runs[-1][1].append(num)
        else:
            runs.append((num, [num]))
    return runs
