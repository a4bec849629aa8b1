"""The revisions a signed file appends to the file it extends, read strictly, byte by byte.

A signed copy is the issued file followed by incremental updates (ISO 32000-1, 7.5.6).
Readers find the newest update through the last ``startxref`` and the older ones through
each cross-reference section's /Prev. A file can be made to mean different things to
different readers (an orphaned revision, one object listed twice, bytes no section lists),
so this module accounts for every byte after the issued ones:

- the newest section's /Prev chain reaches exactly the section that ends the issued file,
  each section followed by its own ``startxref`` and ``%%EOF``, nothing skipped or orphaned;
- each update's body is exactly the objects its section lists, in order, separated by
  whitespace only, every one parsed (by pypdf) up to its ``endobj``;
- a section lists each object once, frees nothing, uses generation 0, and objects kept in
  an object stream are listed by that stream exactly as by the section;
- no trailer names encryption or a hybrid cross-reference stream.

Anything else raises IntegrityFailure naming the first thing wrong and where.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, TypeGuard

from docflow.errors import IntegrityFailure
from docflow.sign._pypdf import pypdf_errors

__all__ = ["Revision", "last_startxref", "read_revisions"]

_WS = b" \t\r\n\x0c\x00"
_END = re.compile(rb"startxref[ \t\r\n\x0c\x00]+(\d+)[ \t\r\n\x0c\x00]+%%EOF")
_TAIL = re.compile(rb"startxref[ \t\r\n\x0c\x00]+(\d+)[ \t\r\n\x0c\x00]+%%EOF[ \t\r\n\x0c\x00]*\Z")
_HEADER = re.compile(rb"(\d+)[ \t\r\n\x0c\x00]+(\d+)[ \t\r\n\x0c\x00]+obj")
_SUBSECTION = re.compile(rb"(\d+) +(\d+)[ \t]*(?:\r\n|\r|\n)")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf]) ?(?:\r\n|\r|\n)")
_ENDOBJ = b"endobj"
_MAX_REVISIONS = 64
_MAX_OBJECTS = 200_000


@dataclass
class Revision:
    """One incremental update: where it lies and the objects its section lists.

    ``objects`` maps each object stored in the body to its (start, end) bytes; ``packed``
    maps each object kept in an object stream to (stream number, index); ``containers``
    are the object streams and the cross-reference stream, which are structure, not content.
    """

    start: int
    xref: int
    end: int
    kind: str
    trailer: Any
    objects: dict[int, tuple[int, int]] = field(default_factory=dict)
    packed: dict[int, tuple[int, int]] = field(default_factory=dict)
    containers: set[int] = field(default_factory=set)
    parsed: dict[int, Any] = field(default_factory=dict)

    @property
    def listed(self) -> set[int]:
        """The numbers of the content objects this update defines."""
        return (set(self.objects) | set(self.packed)) - self.containers


def _fail(message: str) -> IntegrityFailure:
    return IntegrityFailure(f"The signed PDF's structure is not accepted: {message}.")


def last_startxref(pdf: bytes) -> int:
    """The offset the file's final ``startxref`` gives, which must end the file."""
    match = _TAIL.search(pdf, max(0, len(pdf) - 1024))
    if match is None:
        end = pdf.rfind(b"%%EOF")
        if end >= 0:
            raise _fail(
                f"{len(pdf) - end - 5} bytes follow the last %%EOF: bytes that no update "
                "accounts for and no signature need cover"
            )
        raise _fail("it does not end with startxref and %%EOF")
    return int(match.group(1))


def _skip(data: bytes, pos: int) -> int:
    while pos < len(data) and data[pos] in _WS:
        pos += 1
    return pos


def read_revisions(base: bytes, data: bytes, reader: Any) -> list[Revision]:
    """The updates `data` appends to `base`, oldest first; IntegrityFailure if any is amiss.

    `reader` is pypdf's strict reader of `data`, used to parse objects (and to resolve an
    indirect stream /Length).
    """
    base_xref = last_startxref(base)
    xref = last_startxref(data)
    newest: list[Revision] = []
    while True:
        if len(newest) >= _MAX_REVISIONS:
            raise _fail(f"more than {_MAX_REVISIONS} updates follow the issued document")
        if not len(base) <= xref < (newest[-1].xref if newest else len(data)):
            raise _fail(
                f"the cross-reference section at byte {xref} is not in the bytes added "
                f"after the issued document ({len(base)} bytes)"
            )
        revision = _read_section(data, xref, reader)
        found = _END.match(data, _skip(data, revision.end))
        if found is None or int(found.group(1)) != xref:
            raise _fail(
                f"the cross-reference section at byte {xref} is not followed by its own "
                "startxref and %%EOF"
            )
        if not newest and _skip(data, found.end()) != len(data):
            raise _fail(f"bytes after the final %%EOF at byte {found.end()}")
        revision.end = found.end()
        newest.append(revision)
        prev = revision.trailer.get("/Prev")
        if prev == base_xref:
            revision.start = len(base)
            break
        if not isinstance(prev, int) or not len(base) <= prev < xref:
            raise _fail(
                f"the update at byte {xref} does not descend from the issued document: its "
                f"/Prev is {prev!r}, not the issued file's last cross-reference section at "
                f"byte {base_xref} (an orphaned or skipped revision)"
            )
        xref = prev
    revisions = list(reversed(newest))
    for older, newer in itertools.pairwise(revisions):
        newer.start = older.end
    for revision in revisions:
        _account_for_body(data, revision, reader)
        _check_packed(revision)
        _check_trailer(revision)
    return revisions


def _read_section(data: bytes, xref: int, reader: Any) -> Revision:
    if data.startswith(b"xref", xref):
        return _read_table(data, xref, reader)
    if _HEADER.match(data, xref):
        return _read_stream(data, xref, reader)
    raise _fail(f"no cross-reference section at byte {xref}")


def _read_table(data: bytes, xref: int, reader: Any) -> Revision:
    """A classic table: subsections of 20-byte entries, then ``trailer`` and its dictionary."""
    pos = xref + 4
    revision = Revision(0, xref, 0, "table", None)
    seen: set[int] = set()
    while True:
        pos = _skip(data, pos)
        if data.startswith(b"trailer", pos):
            pos += 7
            break
        sub = _SUBSECTION.match(data, pos)
        if sub is None:
            raise _fail(f"bad cross-reference subsection at byte {pos}")
        first, count = int(sub.group(1)), int(sub.group(2))
        pos = sub.end()
        if len(seen) + count > _MAX_OBJECTS or count * 19 > len(data) - pos:
            raise _fail(f"the cross-reference subsection at byte {sub.start()} is too long")
        for num in range(first, first + count):
            entry = _ENTRY.match(data, pos)
            if entry is None:
                raise _fail(f"bad cross-reference entry at byte {pos}")
            pos = entry.end()
            offset, gen, kind = int(entry.group(1)), int(entry.group(2)), entry.group(3)
            _note(seen, num, xref)
            if kind == b"f":
                _check_free(num, xref)
            else:
                _check_in_use(num, gen, xref)
                revision.objects[num] = (offset, offset)
    revision.trailer, revision.end = _parse_at(data, _skip(data, pos), reader)
    if not hasattr(revision.trailer, "get"):
        raise _fail(f"the trailer of the section at byte {xref} is not a dictionary")
    return revision


def _read_stream(data: bytes, xref: int, reader: Any) -> Revision:
    """A cross-reference stream: FlateDecode rows of /W widths over the /Index ranges."""
    from pypdf.generic import StreamObject

    num, stream, end = _parse_indirect(data, xref, reader)
    if not isinstance(stream, StreamObject) or stream.get("/Type") != "/XRef":
        raise _fail(f"the object at byte {xref} is not a cross-reference stream")
    if stream.get("/Filter") not in (None, "/FlateDecode"):
        raise _fail(f"the cross-reference stream at byte {xref} uses a filter other than Flate")
    widths, size = stream.get("/W"), stream.get("/Size")
    index = stream.get("/Index", [0, size])
    if (
        not _ints(widths)
        or len(widths) != 3
        or any(w > 8 for w in widths)
        or not _ints(index)
        or len(index) % 2
    ):
        raise _fail(f"bad /W or /Index in the cross-reference stream at byte {xref}")
    try:
        rows = stream.get_data()
    except pypdf_errors() as exc:
        raise _fail(f"the cross-reference stream at byte {xref} cannot be decoded ({exc})") from exc
    width = sum(widths)
    counts = index[1::2]
    if sum(counts) > _MAX_OBJECTS or width == 0 or len(rows) != width * sum(counts):
        raise _fail(f"the cross-reference stream at byte {xref} does not hold its /Index rows")
    revision = Revision(0, xref, end, "stream", stream, containers={num})
    seen: set[int] = set()
    pos = 0
    for first, count in zip(index[::2], counts, strict=True):
        for entry_num in range(first, first + count):
            values = []
            for w in widths:
                values.append(int.from_bytes(rows[pos : pos + w], "big"))
                pos += w
            kind = values[0] if widths[0] else 1
            _note(seen, entry_num, xref)
            if kind == 0:
                _check_free(entry_num, xref)
            elif kind == 1:
                _check_in_use(entry_num, values[2], xref)
                revision.objects[entry_num] = (values[1], values[1])
            elif kind == 2:
                revision.packed[entry_num] = (values[1], values[2])
            else:
                raise _fail(f"entry type {kind} for object {entry_num} in the section at {xref}")
    if num in revision.objects and revision.objects[num][0] != xref:
        raise _fail(f"the cross-reference stream {num} lists itself at another byte")
    revision.objects.pop(num, None)
    return revision


def _note(seen: set[int], num: int, xref: int) -> None:
    if num in seen:
        raise _fail(f"the cross-reference section at byte {xref} lists object {num} twice")
    seen.add(num)


def _check_free(num: int, xref: int) -> None:
    if num != 0:
        raise _fail(f"the cross-reference section at byte {xref} deletes object {num}")


def _check_in_use(num: int, gen: int, xref: int) -> None:
    if num == 0 or gen != 0:
        raise _fail(
            f"the cross-reference section at byte {xref} lists object {num} with generation "
            f"{gen}; only new generation-0 objects are accepted"
        )


def _ints(value: Any) -> TypeGuard[list[int]]:
    return isinstance(value, list) and all(isinstance(v, int) and v >= 0 for v in value)


def _parse_at(data: bytes, pos: int, reader: Any) -> tuple[Any, int]:
    """One object parsed by pypdf at `pos`, and where it ends."""
    from pypdf.generic import read_object

    stream = BytesIO(data)
    stream.seek(pos)
    try:
        value = read_object(stream, reader)
    except pypdf_errors() as exc:
        raise _fail(f"the object at byte {pos} cannot be parsed ({exc})") from exc
    return value, stream.tell()


def _parse_indirect(data: bytes, pos: int, reader: Any) -> tuple[int, Any, int]:
    """``N 0 obj ... endobj`` at `pos`: its number, value and end."""
    header = _HEADER.match(data, pos)
    if header is None:
        raise _fail(f"no object starts at byte {pos}")
    if int(header.group(2)) != 0:
        raise _fail(f"object {header.group(1).decode()} at byte {pos} has a generation")
    value, end = _parse_at(data, _skip(data, header.end()), reader)
    end = _skip(data, end)
    if not data.startswith(_ENDOBJ, end):
        raise _fail(f"object {header.group(1).decode()} at byte {pos} does not end at endobj")
    return int(header.group(1)), value, end + len(_ENDOBJ)


def _account_for_body(data: bytes, revision: Revision, reader: Any) -> None:
    """The update's bytes before its section are exactly the objects the section lists."""
    pos = revision.start
    for num, (offset, _) in sorted(revision.objects.items(), key=lambda item: item[1][0]):
        pos = _skip(data, pos)
        if offset != pos:
            where = "before" if offset < pos else "after"
            raise _fail(
                f"object {num} is listed at byte {offset}, {where} the update's next object "
                f"at byte {pos} (bytes no section lists, or an object outside its update)"
            )
        found, value, pos = _parse_indirect(data, offset, reader)
        if found != num:
            raise _fail(f"the section lists object {num} at byte {offset}, where {found} is")
        revision.objects[num] = (offset, pos)
        revision.parsed[num] = value
    if _skip(data, pos) != revision.xref:
        raise _fail(
            f"bytes {pos}-{revision.xref} of the update at byte {revision.start} are not an "
            "object its cross-reference section lists"
        )


def _check_packed(revision: Revision) -> None:
    """Objects in object streams: each stream in this update, listing exactly its entries."""
    streams: dict[int, set[tuple[int, int]]] = {}
    for num, (stream_num, index) in revision.packed.items():
        streams.setdefault(stream_num, set()).add((num, index))
    for stream_num, entries in streams.items():
        stream = revision.parsed.get(stream_num)
        if stream is None or not hasattr(stream, "get_data") or stream.get("/Type") != "/ObjStm":
            raise _fail(f"object stream {stream_num} is not an object stream of the same update")
        if "/Extends" in stream:
            raise _fail(f"object stream {stream_num} extends another object stream")
        first, count = stream.get("/First"), stream.get("/N")
        try:
            head = stream.get_data()[: first if isinstance(first, int) else 0]
        except pypdf_errors() as exc:
            raise _fail(f"object stream {stream_num} cannot be decoded ({exc})") from exc
        numbers = [int(n) for n in re.findall(rb"\d+", head)]
        if not isinstance(count, int) or len(numbers) != 2 * count:
            raise _fail(f"the header of object stream {stream_num} does not match its /N")
        held = {(n, i) for i, n in enumerate(numbers[::2])}
        if len(set(numbers[::2])) != count or held != entries:
            raise _fail(
                f"object stream {stream_num} holds other objects than the cross-reference "
                "section says"
            )
        revision.containers.add(stream_num)


def _check_trailer(revision: Revision) -> None:
    trailer = revision.trailer
    for key in ("/Encrypt", "/XRefStm"):
        if key in trailer:
            raise _fail(f"the trailer of the update at byte {revision.start} has {key}")
    size = trailer.get("/Size")
    listed = set(revision.objects) | set(revision.packed) | revision.containers
    if not isinstance(size, int) or (listed and max(listed) >= size):
        raise _fail(f"the /Size of the update at byte {revision.start} does not cover its objects")
