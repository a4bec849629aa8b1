"""Compact CID-keyed CFF fonts: subsets that hold only the glyphs a PDF draws.

WeasyPrint writes text with the font's glyph ids as character codes (Identity-H), then
subsets each font with HarfBuzz keeping every glyph slot up to the highest one used
(``RETAIN_GIDS``), so that the codes still name the right glyphs. A Noto CJK face has 65,535
slots: an empty slot costs little, but 63,000 of them cost about 140 KB per face.

In a CID-keyed CFF font (the Noto and Source Han CJK fonts are) the charset maps each glyph
to a CID, and a PDF reader finds the glyph of a code through that CID (ISO 32000-1 9.7.4.2,
CIDFontType0 with a bare ``CIDFontType0C`` program). HarfBuzz keeps each glyph's CID when
it subsets such a font without retaining slots. So where the font's CIDs equal its glyph ids
(true of every Noto CJK face), a subset of only the used glyphs, embedded as a bare CFF,
draws the same glyphs for the same codes: content streams, widths (/W, keyed by CID) and
ToUnicode stay as WeasyPrint wrote them.

:class:`CompactFonts` takes the place of ``Document.fonts`` for one document: each font
WeasyPrint adds is given this subsetting; a font that is not CID-keyed with CIDs equal to
glyph ids keeps WeasyPrint's own. :func:`embed_bare_cff` then swaps the OpenType wrapper of
those fonts for their CFF table, in the WeasyPrint finisher.
"""

from __future__ import annotations

import types
from typing import Any

from docflow.render.cff import bare_cff, cids, is_identity

__all__ = ["CompactFonts", "embed_bare_cff"]

# Tables WeasyPrint drops too: the PDF needs outlines and metrics, not layout features.
_DROP_TABLES = (
    b"BASE",
    b"DSIG",
    b"EBDT",
    b"EBLC",
    b"EBSC",
    b"GPOS",
    b"GSUB",
    b"JSTF",
    b"LTSH",
    b"PCLT",
    b"SVG ",
)


def _source_cff_is_identity(font: Any) -> bool:
    """True when the font WeasyPrint laid out with is CID-keyed with CIDs equal to glyph ids."""
    from weasyprint.text.ffi import ffi, harfbuzz

    tag = harfbuzz.hb_tag_from_string(b"CFF ", -1)
    blob = harfbuzz.hb_face_reference_table(font.hb_face, tag)
    try:
        length = ffi.new("unsigned int *")
        pointer = harfbuzz.hb_blob_get_data(blob, length)
        if pointer == ffi.NULL or not length[0]:
            return False
        return is_identity(ffi.buffer(pointer, length[0]))  # read in place, not copied
    finally:
        harfbuzz.hb_blob_destroy(blob)


def _harfbuzz_subset(font: Any, gids: list[int], hinting: bool) -> bytes | None:
    """``font`` cut down to ``gids`` by HarfBuzz, glyphs renumbered (no retained slots)."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    subset_input = ffi.gc(
        harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy
    )
    if subset_input == ffi.NULL:
        return None
    glyphs = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    harfbuzz.hb_set_add_sorted_array(glyphs, ffi.new("hb_codepoint_t[]", gids), len(gids))
    flags = (
        harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
        | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    )
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    drop = harfbuzz_subset.hb_subset_input_set(
        subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG
    )
    tags = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in _DROP_TABLES)
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new("hb_codepoint_t[]", tags), len(tags))
    face = harfbuzz_subset.hb_subset_or_fail(font.hb_face, subset_input)
    if face == ffi.NULL:
        return None
    face = ffi.gc(face, harfbuzz.hb_face_destroy)
    data = get_hb_object_data(face)
    return bytes(data) if data else None


class CompactFonts(dict):  # type: ignore[type-arg]
    """``Document.fonts`` that gives each CID-keyed CFF font a subset of its used glyphs.

    ``bare`` maps the PDF font name of each font so subset to its bare CFF program. With
    the class attribute ``compact`` False, every font keeps WeasyPrint's subsetting (what
    the benchmark and the tests compare with).
    """

    compact = True

    def __init__(self) -> None:
        super().__init__()
        self.bare: dict[bytes, bytes] = {}

    def __setitem__(self, key: Any, font: Any) -> None:
        if not self.compact or not hasattr(font, "subset"):  # another WeasyPrint: as it is
            super().__setitem__(key, font)
            return
        own = font.subset
        bare = self.bare

        def subset(this: Any, to_unicode: dict[int, str], hinting: bool) -> None:
            if _compact(this, to_unicode, hinting, bare):
                return
            own(to_unicode, hinting)

        font.subset = types.MethodType(subset, font)
        super().__setitem__(key, font)


def _compact(
    font: Any, to_unicode: dict[int, str], hinting: bool, bare: dict[bytes, bytes]
) -> bool:
    """Subset ``font`` to the glyphs in ``to_unicode``; False to leave it to WeasyPrint."""
    if not to_unicode or "CFF " not in getattr(font, "tables", ()):
        return False
    if "fvar" in font.tables:  # variable fonts are instanced by WeasyPrint after subsetting
        return False
    if not _source_cff_is_identity(font):
        return False
    # Codes of characters no font has stand for .notdef (WeasyPrint's own CMap maps them to 0).
    missing = set(font.missing.values())
    gids = sorted({0, *(gid for gid in to_unicode if gid not in missing)})
    subset = _harfbuzz_subset(font, gids, hinting)
    cff = bare_cff(subset) if subset else None
    kept = cids(cff) if cff else None
    # HarfBuzz may add glyphs that layout features reach from the used ones: harmless, as
    # long as every used glyph is there under its own CID.
    if subset is None or cff is None or kept is None or not set(gids) <= set(kept):
        return False
    font.file_content = subset
    bare[font.name] = cff
    return True


def embed_bare_cff(pdf: Any, bare: dict[bytes, bytes]) -> None:
    """Replace the OpenType programs of the fonts in ``bare`` by their CFF (finisher step).

    Also drops /CIDToGIDMap from CIDFontType0 fonts, where only CIDFontType2 may have it.
    """
    for item in list(pdf.objects):
        if not isinstance(item, dict):
            continue
        kind = item.get("Type")
        if kind == "/Font" and item.get("Subtype") == "/CIDFontType0":
            item.pop("CIDToGIDMap", None)
        if kind != "/FontDescriptor" or item.get("FontName") not in bare:
            continue
        stream = pdf.objects[_object_number(item["FontFile3"])]
        stream.stream = [bare[item["FontName"]]]
        stream.extra["Subtype"] = "/CIDFontType0C"


def _object_number(reference: Any) -> int:
    """The object number of a pydyf reference (``b"12 0 R"`` or ``"12 0 R"``)."""
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])
