"""Just enough of a PDF reader to add form fields to docflow's own PDFs.

pyHanko reads PDFs too, but importing its reader costs more than the rest of the signing
layer (it pulls in certificate validation, cryptography and asn1crypto), and issuing a
document only needs the catalog, the page tree, the trailer and the objects it changes.
This module reads classic and stream cross-reference sections (with their /Prev chain),
object streams and FlateDecode data, which covers what WeasyPrint writes and the
revisions docflow appends. Anything else (encryption, other filters, damaged files) raises
:class:`PdfSyntax` so the caller can refuse the file with a clear message.

Objects are the Python values of :mod:`docflow.sign._pdfsyntax`.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from docflow.sign._pdfsyntax import INT, WS, Parser, PdfSyntax, Ref, Stream, ints

__all__ = ["PdfFile"]

# One cross-reference entry: kind 0 free, 1 at offset ``a`` with generation ``b``, 2 inside
# object stream ``a`` at index ``b``.
_Entry = tuple[int, int, int]

_OBJ_HEADER = re.compile(WS + rb"*(\d+)" + WS + rb"+(\d+)" + WS + rb"+obj")
_XREF_ENTRY = re.compile(rb"(\d+) +(\d+) +([nf])")


def _flate(stream: Stream) -> bytes:
    """A stream's decoded data: no filter or FlateDecode, with or without a PNG predictor."""
    filters = stream.attrs.get("Filter")
    params = stream.attrs.get("DecodeParms")
    if isinstance(filters, list):
        if len(filters) > 1:
            raise PdfSyntax(f"unsupported filters {filters}")
        filters = filters[0] if filters else None
        params = params[0] if isinstance(params, list) and params else params
    if filters is None:
        return stream.data
    if filters != "FlateDecode":
        raise PdfSyntax(f"unsupported filter /{filters}")
    try:
        data = zlib.decompress(stream.data)
    except zlib.error as exc:
        raise PdfSyntax(f"damaged compressed stream: {exc}") from exc
    if not isinstance(params, dict) or params.get("Predictor", 1) == 1:
        return data
    predictor, colors, bits, columns = (
        params.get(key, default)
        for key, default in (
            ("Predictor", 1),
            ("Colors", 1),
            ("BitsPerComponent", 8),
            ("Columns", 1),
        )
    )
    if not all(isinstance(v, int) and v > 0 for v in (predictor, colors, bits, columns)):
        raise PdfSyntax(f"bad /DecodeParms {params}")
    if predictor < 10:
        raise PdfSyntax(f"unsupported predictor {predictor}")
    return _unpredict_png(data, -(-colors * bits // 8), -(-colors * bits * columns // 8))


def _unpredict_png(data: bytes, bpp: int, width: int) -> bytes:
    """Undo PNG row filters (ISO 32000-1, 7.4.4.4): rows of ``width`` bytes after a tag."""
    out = bytearray()
    previous = bytearray(width)
    for start in range(0, len(data), width + 1):
        tag, row = data[start], bytearray(data[start + 1 : start + 1 + width])
        row.extend(bytes(width - len(row)))
        for i in range(width):
            left = row[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            if tag == 1:
                row[i] = (row[i] + left) & 0xFF
            elif tag == 2:
                row[i] = (row[i] + up) & 0xFF
            elif tag == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif tag == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                row[i] = (row[i] + best) & 0xFF
            elif tag != 0:
                raise PdfSyntax(f"bad PNG predictor tag {tag}")
        out += row
        previous = row
    return bytes(out)


class PdfFile:
    """A parsed PDF: its newest trailer, cross-reference and objects read on demand."""

    def __init__(self, data: bytes, startxref: int) -> None:
        self.data = data
        self.startxref = startxref  # offset of the newest cross-reference section
        self.trailer: dict[str, Any] = {}
        self.stream_xref = False  # the newest section is a cross-reference stream
        self._xref: dict[int, _Entry] = {}
        self._objects: dict[int, Any] = {}
        self._object_streams: dict[int, tuple[bytes, int, list[int]]] = {}

    @classmethod
    def parse(cls, data: bytes) -> PdfFile:
        """Read the trailer and every cross-reference section; raise PdfSyntax if broken."""
        tail = data.rfind(b"startxref")
        parser = Parser(data, tail + 9)
        parser.skip()
        match = INT.match(data, parser.pos)
        if tail < 0 or not match:
            raise PdfSyntax("no startxref at the end of the file")
        pdf = cls(data, int(match.group()))
        pdf._read_sections()
        if not isinstance(pdf.trailer.get("Root"), Ref):
            raise PdfSyntax("the trailer names no catalog (/Root)")
        if "Encrypt" in pdf.trailer:
            raise PdfSyntax("the file is encrypted")
        return pdf

    def _read_sections(self) -> None:
        offset: Any = self.startxref
        seen: set[int] = set()
        newest = True
        while isinstance(offset, int):
            if offset in seen or not 0 <= offset < len(self.data):
                raise PdfSyntax(f"bad cross-reference offset {offset}")
            seen.add(offset)
            parser = Parser(self.data, offset)
            if parser.keyword(b"xref"):
                trailer = self._read_table(parser)
                is_stream = False
            else:
                trailer = self._read_stream(offset)
                is_stream = True
            if newest:
                self.trailer, self.stream_xref, newest = trailer, is_stream, False
            offset = trailer.get("Prev")

    def _read_table(self, parser: Parser) -> dict[str, Any]:
        data = self.data
        found: dict[int, _Entry] = {}
        while not parser.keyword(b"trailer"):
            first, count = parser.value(), parser.value()
            if not isinstance(first, int) or not isinstance(count, int):
                raise parser.fail("bad cross-reference subsection")
            for num in range(first, first + count):
                parser.skip()
                entry = _XREF_ENTRY.match(data, parser.pos)
                if not entry:
                    raise parser.fail("bad cross-reference entry")
                kind = 1 if entry.group(3) == b"n" else 0
                found.setdefault(num, (kind, int(entry.group(1)), int(entry.group(2))))
                parser.pos = entry.end()
        trailer = parser.value()
        if not isinstance(trailer, dict):
            raise parser.fail("the trailer is not a dictionary")
        if isinstance(trailer.get("XRefStm"), int):
            # A hybrid file: its stream section lists the objects the table leaves free.
            self._read_stream(trailer["XRefStm"])
        for num, item in found.items():
            self._xref.setdefault(num, item)
        return trailer

    def _read_stream(self, offset: int) -> dict[str, Any]:
        _, stream = self._read_indirect(offset)
        if not isinstance(stream, Stream) or stream.attrs.get("Type") != "XRef":
            raise PdfSyntax(f"no cross-reference at byte {offset}")
        info = stream.attrs
        widths = info.get("W")
        index = info.get("Index", [0, info.get("Size")])
        if not ints(widths) or len(widths) != 3 or not ints(index) or len(index) % 2:
            raise PdfSyntax(f"bad /W or /Index in the cross-reference stream at byte {offset}")
        rows = _flate(stream)
        size, pos = sum(widths), 0
        for first, count in zip(index[::2], index[1::2], strict=True):
            for num in range(first, first + count):
                row = rows[pos : pos + size]
                if len(row) < size:
                    raise PdfSyntax("a cross-reference stream is too short")
                pos += size
                values, at = [], 0
                for width in widths:
                    values.append(int.from_bytes(row[at : at + width], "big"))
                    at += width
                kind = values[0] if widths[0] else 1
                if kind in (0, 1, 2):
                    self._xref.setdefault(num, (kind, values[1], values[2]))
        return info

    def _read_indirect(self, offset: int, expect: int | None = None) -> tuple[int, Any]:
        header = _OBJ_HEADER.match(self.data, offset)
        if not header or (expect is not None and int(header.group(1)) != expect):
            raise PdfSyntax(f"object {expect if expect is not None else ''} not at byte {offset}")
        parser = Parser(self.data, header.end())
        value = parser.value()
        if isinstance(value, dict) and parser.keyword(b"stream"):
            start = parser.pos + (2 if self.data.startswith(b"\r\n", parser.pos) else 1)
            length = self.resolve(value.get("Length"))
            if not isinstance(length, int) or start + length > len(self.data):
                raise PdfSyntax(f"bad stream length in the object at byte {offset}")
            value = Stream(value, self.data[start : start + length])
        return int(header.group(1)), value

    def resolve(self, value: Any) -> Any:
        """The object ``value`` refers to, or ``value`` itself when it is direct."""
        return self.get(value.num) if isinstance(value, Ref) else value

    def get(self, num: int) -> Any:
        """Object ``num`` as of the newest revision (None when free or missing)."""
        if num in self._objects:
            return self._objects[num]
        self._objects[num] = None  # a reference cycle through /Length reads as null
        kind, a, b = self._xref.get(num, (0, 0, 0))
        value = None
        if kind == 1:
            value = self._read_indirect(a, num)[1]
        elif kind == 2:
            value = self._from_object_stream(a, b, num)
        self._objects[num] = value
        return value

    def _from_object_stream(self, stream_num: int, index: int, num: int) -> Any:
        if stream_num not in self._object_streams:
            stream = self.get(stream_num)
            if not isinstance(stream, Stream) or stream.attrs.get("Type") != "ObjStm":
                raise PdfSyntax(f"object {stream_num} is not an object stream")
            data = _flate(stream)
            first, count = stream.attrs.get("First"), stream.attrs.get("N")
            if not isinstance(first, int) or not isinstance(count, int):
                raise PdfSyntax(f"bad /First or /N in object stream {stream_num}")
            parser = Parser(data[:first])
            pairs = [parser.value() for _ in range(2 * count)]
            if not ints(pairs):
                raise PdfSyntax(f"bad header in object stream {stream_num}")
            self._object_streams[stream_num] = (data, first, pairs)
        data, first, pairs = self._object_streams[stream_num]
        if 2 * index + 1 >= len(pairs) or pairs[2 * index] != num:
            raise PdfSyntax(f"object {num} is not in object stream {stream_num}")
        return Parser(data, first + pairs[2 * index + 1]).value()

    def page_refs(self) -> list[Ref]:
        """The pages in document order, as references."""
        root = self.resolve(self.trailer["Root"])
        if not isinstance(root, dict) or not isinstance(root.get("Pages"), Ref):
            raise PdfSyntax("the catalog has no page tree")
        pages: list[Ref] = []
        todo: list[Ref] = [root["Pages"]]
        seen: set[Ref] = set()
        while todo:
            ref = todo.pop()
            node = self.get(ref.num)
            if ref in seen or not isinstance(node, dict):
                raise PdfSyntax(f"bad page tree node {ref.num} {ref.gen} R")
            seen.add(ref)
            if node.get("Type") == "Pages":
                kids = node.get("Kids")
                if not isinstance(kids, list) or not all(isinstance(k, Ref) for k in kids):
                    raise PdfSyntax(f"bad /Kids in page tree node {ref.num}")
                todo.extend(reversed(kids))
            else:
                pages.append(ref)
        return pages
