"""Compact CJK fonts: the same text and the same Simplified Chinese glyphs, in fewer bytes.

Each zh-CN kind is rendered twice from the same request: with docflow's compact subsets and
with WeasyPrint's own subsetting (every glyph slot kept, what docflow embedded before). The
extracted text (pdftotext) and the pages as poppler draws them must be identical. The glyphs
of characters whose forms differ by region (值 直 骨 ...) must be the SC face's outlines.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from pdfa_lifecycle import CODES, rerender_request

from docflow.render import render_document
from docflow.render.cidfonts import CompactFonts

REGIONAL = "值直骨"  # drawn differently in the SC, TC, JP and KR faces of Noto CJK


def _render(ws: Path, code: str, compact: bool) -> bytes:
    own, CompactFonts.compact = CompactFonts.compact, compact
    try:
        return render_document(rerender_request(ws, code)).pdf
    finally:
        CompactFonts.compact = own


def _pdftotext(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


def _pages_png(pdf: bytes, folder: Path) -> list[bytes]:
    folder.mkdir()
    source = folder / "in.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(source), str(folder / "p")], check=True)
    return [p.read_bytes() for p in sorted(folder.glob("p-*.png"))]


@pytest.fixture(scope="module")
def pairs(lifecycles: dict[str, Path]) -> dict[str, tuple[bytes, bytes]]:
    """Each zh-CN kind as (compact, WeasyPrint's subsetting)."""
    ws = lifecycles["zh-CN"]
    return {code: (_render(ws, code, True), _render(ws, code, False)) for code in CODES}


@pytest.mark.parametrize("code", CODES)
def test_text_and_pages_are_unchanged(
    pairs: dict[str, tuple[bytes, bytes]], code: str, tmp_path: Path
) -> None:
    compact, retained = pairs[code]
    assert len(compact) < len(retained) / 2
    assert _pdftotext(compact) == _pdftotext(retained)
    assert _pages_png(compact, tmp_path / "compact") == _pages_png(retained, tmp_path / "retained")


def _fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    seen = set()
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            if font.objgen not in seen:
                seen.add(font.objgen)
                yield font


def _to_unicode(font: pikepdf.Dictionary) -> dict[str, int]:
    """Character -> code, from the font's ToUnicode bfchar entries."""
    text = font.ToUnicode.read_bytes().decode("ascii")
    pairs = re.findall(r"<([0-9a-f]{4})> <([0-9a-f]+)>", text)
    return {bytes.fromhex(u).decode("utf-16-be"): int(code, 16) for code, u in pairs}


def _outline(glyphs: object, name: str) -> list[tuple[str, tuple[object, ...]]]:
    from fontTools.pens.recordingPen import RecordingPen

    pen = RecordingPen()
    glyphs[name].draw(pen)  # type: ignore[index]
    return pen.value


def _system_face(family: str) -> tuple[str, int]:
    found = subprocess.run(
        ["fc-match", family, "--format=%{file}:%{index}"], capture_output=True, text=True
    ).stdout
    path, _, index = found.rpartition(":")
    return path, int(index)


def _localized(font: object, char: str, language: str) -> str:
    """The glyph of ``char`` for ``language`` (OpenType tag): the cmap glyph, then the
    single substitutions of the font's ``locl`` feature for that language (as shaping does)."""
    glyph: str = font.getBestCmap()[ord(char)]  # type: ignore[attr-defined]
    gsub = font["GSUB"].table  # type: ignore[index]
    for record in gsub.ScriptList.ScriptRecord:
        if record.ScriptTag != "hani":
            continue
        systems = {s.LangSysTag: s.LangSys for s in record.Script.LangSysRecord}
        system = systems.get(language, record.Script.DefaultLangSys)
        for index in system.FeatureIndex:
            feature = gsub.FeatureList.FeatureRecord[index]
            if feature.FeatureTag != "locl":
                continue
            for lookup in feature.Feature.LookupListIndex:
                for table in gsub.LookupList.Lookup[lookup].SubTable:
                    table = getattr(table, "ExtSubTable", table)
                    glyph = getattr(table, "mapping", {}).get(glyph, glyph)
    return glyph


def test_regional_characters_keep_their_simplified_chinese_forms(
    pairs: dict[str, tuple[bytes, bytes]],
) -> None:
    """The change annex names 值班直达骨科挂号: its body glyphs are Noto Serif CJK SC's."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    compact, _ = pairs["CA"]
    with pikepdf.open(io.BytesIO(compact)) as pdf:
        body = next(f for f in _fonts(pdf) if str(f.BaseFont).endswith("+Noto-Serif-CJK-SC"))
        program = body.DescendantFonts[0].FontDescriptor.FontFile3
        assert program.Subtype == "/CIDFontType0C"
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(program.read_bytes()), None)
        embedded = cff[cff.fontNames[0]]
        codes = _to_unicode(body)
    assert len(embedded.charset) < 2000  # only the glyphs used, not 65,535 slots
    languages = {"SC": "ZHS ", "JP": "JAN ", "TC": "ZHT ", "HK": "ZHH "}
    with contextlib.ExitStack() as stack:
        faces = {}
        for region in languages:
            path, index = _system_face(f"Noto Serif CJK {region}")
            faces[region] = stack.enter_context(TTFont(path, fontNumber=index, lazy=True))
        sc = faces["SC"]
        for char in REGIONAL:
            forms = {region: _localized(faces[region], char, languages[region]) for region in faces}
            others = {forms[region] for region in ("JP", "TC", "HK")} - {forms["SC"]}
            assert others, f"{char} has one form in every region: the test cannot tell"
            name = f"cid{codes[char]:05d}"
            assert name == forms["SC"], f"{char} is drawn with {name}, the SC face has {forms}"
            drawn = _outline(embedded.CharStrings, name)
            assert drawn == _outline(sc.getGlyphSet(), forms["SC"])
            assert all(drawn != _outline(sc.getGlyphSet(), other) for other in others)
