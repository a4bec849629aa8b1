"""What WeasyPrint is handed once per process instead of once per PDF, and the PDF writing.

Imported by pdf.py inside ``render_pdf`` only: it imports WeasyPrint and pydyf at the top.

- A stylesheet is parsed once per process (a ``weasyprint.CSS`` and the font configuration
  it was parsed with), keyed by its text and base URL. Sheets with ``@font-face``,
  ``@counter-style`` or ``@import`` rules register state in the document they are parsed
  for, so those stay in the page and are parsed with it, as WeasyPrint does by default.
- pydyf builds the trailer /ID from the bytes of every object, which compresses every stream
  a second time (zlib level 9) after writing it. :func:`write_streams_once` keeps the bytes
  of each stream from the first time: the file is byte for byte the same.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydyf
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from docflow.render.fetcher import make_url_fetcher

__all__ = [
    "ParsedStyle",
    "join_kept_runs",
    "keep_signing_objects_outside",
    "parsed_style",
    "split_style",
    "write_streams_once",
]

# At-rules that write into the document's font configuration, counter styles or fetch more.
_PER_DOCUMENT = re.compile(r"@(font-face|counter-style|import)\b", re.IGNORECASE)
_OPEN, _CLOSE, _HEAD_END = "<style>", "</style>", "</head>"


@dataclass(frozen=True)
class ParsedStyle:
    """A parsed stylesheet and the font configuration it belongs to."""

    css: Any
    font_config: Any


def split_style(page: str) -> tuple[str, str | None]:
    """The page without its ``<style>`` element, and that element's text.

    ``page`` comes from :func:`htmlout.document_html`, whose one ``<style>`` sits in the head
    with any ``</`` inside escaped; other HTML is returned unchanged with ``None``.
    """
    head_end = page.find(_HEAD_END)
    start = page.find(_OPEN, 0, head_end)
    end = page.find(_CLOSE, start, head_end)
    if head_end < 0 or start < 0 or end < 0 or page.find(_OPEN, end, head_end) >= 0:
        return page, None
    return page[:start] + page[end + len(_CLOSE) :], page[start + len(_OPEN) : end]


# A run the page keeps on one line, as htmlout writes it: escaped text, no markup inside.
_KEPT = re.compile(r'<span class="df-keep">([^<]*)</span>')
_WORD_JOINER = "\u2060"
_ZWJ = "\u200d"


def _extends(char: str) -> bool:
    """Whether ``char`` belongs to the character before it (a mark, a variation selector, a
    joiner, an emoji modifier or tag, a Hangul vowel or final): no joiner goes before it."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or 0xE0020 <= code <= 0xE007F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0x1160 <= code <= 0x11FF
        or char == _ZWJ
    )


def _joined(match: re.Match[str]) -> str:
    text = html.unescape(match.group(1))
    out: list[str] = []
    for index, char in enumerate(text):
        if index and not _extends(char) and text[index - 1] != _ZWJ:
            out.append(_WORD_JOINER)
        out.append(char)
    return html.escape("".join(out), quote=False)


def join_kept_runs(page: str) -> str:
    """``page`` with each run it keeps on one line (``<span class="df-keep">``) written as
    its characters joined by WORD JOINER (U+2060) instead.

    Line breaking (Unicode line breaking, as Pango applies it) allows no break next to a
    word joiner, so the run stays on one line as ``white-space: nowrap`` keeps it; but
    WeasyPrint lays out one text box instead of an inline box per run, which made a quarter
    of the layout time of a table-heavy memo. The joiner is invisible and not extracted
    (pdftotext gives the same text); no joiner goes inside a character's cluster (marks,
    variation selectors, emoji sequences). The page HTML that documents are compared by is
    the one before this step, and ``df-keep``'s only rule in style.css is ``nowrap``.

    Used for Chinese pages, where every kind breaks its lines exactly as with the spans
    (tests/pdfa/test_pdfa_kept_runs.py). Where the two differ, it is not used: in hyphenated
    English paragraphs WeasyPrint hyphenates the word before a run that no longer fits on
    the line ("Con-tract" before "(No. RCH-IT-2026-017)"), but moves a span to the next line
    whole. Also different, in principle: a run wider than its whole line may be cut by
    ``overflow-wrap`` instead of overflowing."""
    return _KEPT.sub(_joined, page)


@functools.lru_cache(maxsize=8)
def parsed_style(css: str, base_url: str | None, roots: tuple[Path, ...]) -> ParsedStyle | None:
    """``css`` parsed for WeasyPrint, or None when it must be parsed with each document."""
    if _PER_DOCUMENT.search(css):
        return None
    font_config = FontConfiguration()
    sheet = weasyprint.CSS(
        string=css, base_url=base_url, url_fetcher=make_url_fetcher(roots), font_config=font_config
    )
    return ParsedStyle(sheet, font_config)


class _Written(pydyf.Object):  # type: ignore[misc]
    """A stream already turned into bytes, in the place the stream had in the file."""

    def __init__(self, stream: Any) -> None:
        super().__init__()
        self.number = stream.number
        self.generation = stream.generation
        self.free = stream.free
        self._data: bytes = stream.data

    @property
    def data(self) -> bytes:
        """The stream's bytes, compressed once."""
        return self._data

    @property
    def compressible(self) -> bool:
        """Streams never go into object streams."""
        return False


class _Outside(pydyf.Dictionary):  # type: ignore[misc]
    """A dictionary written as an object of its own, not packed into an object stream."""

    @property
    def compressible(self) -> bool:
        """Never in an object stream."""
        return False


def keep_signing_objects_outside(pdf: Any) -> None:
    """Finisher step: the catalog, the page tree, the pages and the document
    information are written as objects of their own.

    Adding signature fields and signing change exactly these objects; a reader that fetches
    one from an object stream parses the whole stream (the structure tree of a tagged
    document: over a thousand objects) to get it.
    """
    kids = pdf.pages["Kids"]
    pages = [pdf.objects[number] for number in kids[::3]]
    for item in (pdf.catalog, pdf.pages, pdf.info, *pages):
        if type(item) is pydyf.Dictionary:
            item.__class__ = _Outside


def write_streams_once(_document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: turn every stream into bytes now, so the /ID reuses them."""
    for index, item in enumerate(pdf.objects):
        if isinstance(item, pydyf.Stream):
            pdf.objects[index] = _Written(item)
