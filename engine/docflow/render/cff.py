"""Just enough of the CFF format (Adobe TN 5176) to read which CID each glyph carries.

:func:`charset_ranges` reads a CFF font's charset as ranges of glyphs with consecutive CIDs,
without decoding any glyph: for a Noto CJK face (16 MB of CFF, 65,535 glyphs) that is a few
ranges read in microseconds, where fontTools would build 65,535 glyph names. It is used to
check that a font's CIDs equal its glyph ids before its subset is renumbered, and that the
subset kept each glyph's CID.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

__all__ = ["CffError", "bare_cff", "charset_ranges", "cids", "is_identity"]

_ROS = 1230  # operator 12 30: the font is CID-keyed
_CHARSET = 15
_CHARSTRINGS = 17


class CffError(ValueError):
    """The bytes are not a CFF font this module can read."""


def bare_cff(sfnt: bytes) -> bytes | None:
    """The ``CFF `` table of an OpenType font file, or None when it has none."""
    if len(sfnt) < 12 or sfnt[:4] != b"OTTO":
        return None
    (count,) = struct.unpack(">H", sfnt[4:6])
    for index in range(count):
        record = sfnt[12 + 16 * index : 28 + 16 * index]
        if len(record) < 16:
            return None
        tag, _checksum, offset, length = struct.unpack(">4sIII", record)
        if tag == b"CFF ":
            table = sfnt[offset : offset + length]
            return table if len(table) == length else None
    return None


def _card(data: bytes, pos: int, size: int) -> int:
    chunk = data[pos : pos + size]
    if len(chunk) != size:
        raise CffError("truncated CFF data")
    return int.from_bytes(chunk, "big")


def _index(data: bytes, pos: int) -> tuple[list[tuple[int, int]], int]:
    """The (start, end) of each item of the INDEX at ``pos``, and the position after it."""
    count = _card(data, pos, 2)
    if count == 0:
        return [], pos + 2
    size = _card(data, pos + 2, 1)
    if not 1 <= size <= 4:
        raise CffError("bad CFF INDEX offset size")
    offsets = [_card(data, pos + 3 + i * size, size) for i in range(count + 1)]
    base = pos + 2 + (count + 1) * size
    return [(base + offsets[i], base + offsets[i + 1]) for i in range(count)], base + offsets[-1]


def _dict(data: bytes) -> dict[int, list[float]]:
    """A CFF DICT: operator (12 x as 1200 + x) -> operands."""
    out: dict[int, list[float]] = {}
    operands: list[float] = []
    pos = 0
    while pos < len(data):
        b0 = data[pos]
        if b0 <= 21:
            op = 1200 + data[pos + 1] if b0 == 12 else b0
            pos += 2 if b0 == 12 else 1
            out[op], operands = operands, []
        elif b0 == 28:
            operands.append(struct.unpack(">h", data[pos + 1 : pos + 3])[0])
            pos += 3
        elif b0 == 29:
            operands.append(struct.unpack(">i", data[pos + 1 : pos + 5])[0])
            pos += 5
        elif b0 == 30:  # a real number: skip its nibbles up to the 0xf end mark
            pos += 1
            while pos < len(data) and (data[pos] & 0x0F) != 0x0F and (data[pos] >> 4) != 0x0F:
                pos += 1
            pos += 1
            operands.append(0.0)
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            pos += 1
        elif 247 <= b0 <= 250:
            operands.append((b0 - 247) * 256 + data[pos + 1] + 108)
            pos += 2
        elif 251 <= b0 <= 254:
            operands.append(-(b0 - 251) * 256 - data[pos + 1] - 108)
            pos += 2
        else:
            raise CffError(f"bad CFF DICT byte {b0}")
    return out


def charset_ranges(cff: bytes) -> Iterator[tuple[int, int, int]]:
    """(first glyph, its CID, count) for runs of consecutive CIDs; glyph 0 is CID 0.

    Raise :class:`CffError` when ``cff`` is not a CID-keyed CFF font with a charset.
    """
    _, after_names = _index(cff, _card(cff, 2, 1))
    tops, _ = _index(cff, after_names)
    if not tops:
        raise CffError("CFF font without a Top DICT")
    top = _dict(cff[tops[0][0] : tops[0][1]])
    if _ROS not in top or _CHARSTRINGS not in top:
        raise CffError("not a CID-keyed CFF font")
    glyphs = _card(cff, int(top[_CHARSTRINGS][0]), 2)
    offset = int(top.get(_CHARSET, [0])[0])
    if offset <= 2:
        raise CffError("CID-keyed CFF font with a predefined charset")
    yield 0, 0, 1
    kind, pos, gid = _card(cff, offset, 1), offset + 1, 1
    while gid < glyphs:
        if kind == 0:
            yield gid, _card(cff, pos, 2), 1
            pos, gid = pos + 2, gid + 1
            continue
        if kind not in (1, 2):
            raise CffError(f"unknown CFF charset format {kind}")
        first, left = _card(cff, pos, 2), _card(cff, pos + 2, kind)
        yield gid, first, left + 1
        pos, gid = pos + 2 + kind, gid + left + 1


def is_identity(cff: bytes) -> bool:
    """True when ``cff`` is CID-keyed and every glyph's CID is its glyph id."""
    try:
        return all(gid == cid for gid, cid, _ in charset_ranges(cff))
    except (ValueError, IndexError, struct.error):
        return False


def cids(cff: bytes) -> list[int] | None:
    """The CID of each glyph in glyph order, or None when ``cff`` is not CID-keyed."""
    try:
        return [cid + i for _, cid, count in charset_ranges(cff) for i in range(count)]
    except (ValueError, IndexError, struct.error):
        return None
