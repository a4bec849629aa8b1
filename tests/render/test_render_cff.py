"""docflow.render.cff reads CFF charsets as fontTools does, and refuses what it cannot read."""

from __future__ import annotations

import io
import subprocess

import pytest
from fontTools import subset
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont

from docflow.render.cff import bare_cff, cids, is_identity


def _noto_subset(text: str, retain_gids: bool) -> bytes:
    found = subprocess.run(
        ["fc-match", "Noto Serif CJK SC", "--format=%{file}:%{index}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path, _, index = found.rpartition(":")
    options = subset.Options(retain_gids=retain_gids, desubroutinize=True, notdef_outline=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    with TTFont(path, fontNumber=int(index)) as font:
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def renumbered() -> bytes:
    """A few CJK glyphs, renumbered from 1: each keeps its CID, CIDs no longer equal ids."""
    return _noto_subset("值直骨需求", retain_gids=False)


def _fonttools_cids(otf: bytes) -> list[int]:
    with TTFont(io.BytesIO(otf)) as font:
        return [0 if n == ".notdef" else int(n[3:]) for n in font.getGlyphOrder()]


def test_renumbered_subset_keeps_its_cids(renumbered: bytes) -> None:
    cff = bare_cff(renumbered)
    assert cff is not None
    expected = _fonttools_cids(renumbered)
    assert cids(cff) == expected and expected != list(range(len(expected)))
    assert not is_identity(cff)


def test_retained_slots_are_identity() -> None:
    otf = _noto_subset("值直", retain_gids=True)
    cff = bare_cff(otf)
    assert cff is not None and is_identity(cff)
    assert cids(cff) == _fonttools_cids(otf)


def _name_keyed() -> bytes:
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({65: "A"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 0))
    pen.closePath()
    glyph = pen.getCharString()
    builder.setupCFF("Plain", {"FullName": "Plain"}, {".notdef": glyph, "A": glyph}, {})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Plain", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def test_name_keyed_font_is_not_cid_keyed() -> None:
    cff = bare_cff(_name_keyed())
    assert cff is not None
    assert cids(cff) is None and not is_identity(cff)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x00\x01\x00\x00" + bytes(40), id="truetype"),
        pytest.param(
            b"OTTO\x00\x01" + bytes(6) + b"CFF " + bytes(4) + b"\x00\x00\x00\x1c\x00\x00\xff\xff",
            id="table-past-end",
        ),
    ],
)
def test_no_cff_table_gives_none(data: bytes) -> None:
    assert bare_cff(data) is None


@pytest.mark.parametrize(
    "cff",
    [
        pytest.param(b"\x01\x00\x04\x01", id="truncated"),
        pytest.param(b"\x01\x00\x04\x01\x00\x01\x05" + bytes(20), id="bad-index"),
        pytest.param(bytes(range(256)), id="noise"),
    ],
)
def test_unreadable_cff_is_neither_identity_nor_cid_keyed(cff: bytes) -> None:
    assert cids(cff) is None and not is_identity(cff)
