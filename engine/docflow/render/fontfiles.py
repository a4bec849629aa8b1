"""Font files read when a PDF needs them, not whole for every font a document uses.

WeasyPrint's ``pdf.fonts.Font`` copies the whole font file into ``file_content`` as soon as
a page first draws with the font. A Noto CJK face lives in a collection of 20 to 27 MB, so a
zh-CN document copies about 74 MB for its three faces, and then throws the copies away:
:class:`docflow.render.cidfonts.CompactFonts` subsets those faces from HarfBuzz's own face
and never reads ``file_content``. Inside :func:`lazy_fonts` (docflow's own renders),
WeasyPrint's PDF streams make :class:`LazyFont` instead, which reads the file the first time
``file_content`` is asked for (WeasyPrint's own subsetting and embedding of any other font);
the PDF is byte for byte the same (tests/pdfa/test_pdfa_fontfiles.py). The time it saves is
in bench/RESULTS.md.

It relies on two names of WeasyPrint 70 (``pdf.stream.Font`` and ``pdf.fonts.
get_hb_object_data``, the name ``Font.__init__`` reads the file with): :func:`install` leaves
WeasyPrint as it is if either is missing, and the byte comparison fails if their meaning
changes.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Iterator
from typing import Any

import weasyprint.pdf.fonts as pdf_fonts
import weasyprint.pdf.stream as pdf_stream

__all__ = ["LazyFont", "install", "installed", "lazy_fonts", "uninstall"]

_Font: Any = pdf_fonts.Font
# WeasyPrint's own reader, put back by uninstall().
_weasyprint_read: Any = getattr(pdf_fonts, "get_hb_object_data", None)


def _read_file(hb_object: Any, *args: Any, **kwargs: Any) -> Any:
    """A font's data, read by WeasyPrint's own reader."""
    return _weasyprint_read(hb_object, *args, **kwargs)


# Set only while LazyFont.__init__ runs WeasyPrint's: its whole-file read is put off.
_constructing = contextvars.ContextVar("docflow_lazy_font", default=False)


def _read_unless_constructing(hb_object: Any, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's reader, except for the whole-face read of a LazyFont being made."""
    if _constructing.get() and not args and not kwargs:
        return None
    return _read_file(hb_object, *args, **kwargs)


class LazyFont(_Font):  # type: ignore[misc]
    """WeasyPrint's Font, with the font file read on first use of ``file_content``."""

    def __init__(self, *args: Any) -> None:
        self._file_content: bytes | None = None
        token = _constructing.set(True)
        try:
            super().__init__(*args)
        finally:
            _constructing.reset(token)

    @property
    def file_content(self) -> bytes | None:
        """The font file (a subset once subsetting has replaced it), read when first asked."""
        if self._file_content is None:
            self._file_content = _read_file(self.hb_face)
        return self._file_content

    @file_content.setter
    def file_content(self, value: bytes | None) -> None:
        self._file_content = value


_lock = threading.Lock()
_users = 0


@contextlib.contextmanager
def lazy_fonts() -> Iterator[None]:
    """WeasyPrint's PDF streams make LazyFont while the block runs (docflow's own renders);
    WeasyPrint is as it was before once no such block runs, so that another caller in the
    same process (the benchmark's bare WeasyPrint floor) gets WeasyPrint's own Font.

    Blocks may nest or run in several threads at once: the first to enter installs, the
    last to leave restores. A WeasyPrint render of another caller that overlaps one of
    docflow's gets LazyFont too, which writes the same bytes."""
    global _users
    with _lock:
        if _users == 0:
            install()
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                uninstall()


def install() -> None:
    """Have WeasyPrint's PDF streams make LazyFont (idempotent)."""
    if _weasyprint_read is None or getattr(pdf_stream, "Font", None) is not _Font:
        return
    pdf_fonts.get_hb_object_data = _read_unless_constructing
    pdf_stream.Font = LazyFont


def uninstall() -> None:
    """Give WeasyPrint back its own Font (idempotent)."""
    if getattr(pdf_stream, "Font", None) is LazyFont:
        pdf_stream.Font = _Font
    if pdf_fonts.get_hb_object_data is _read_unless_constructing:
        pdf_fonts.get_hb_object_data = _weasyprint_read


def installed() -> bool:
    """Whether WeasyPrint makes LazyFont now."""
    return getattr(pdf_stream, "Font", None) is LazyFont
