"""Font files read on first use: the same PDF bytes, without copying the CJK collections."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import weasyprint.pdf.fonts as pdf_fonts
import weasyprint.pdf.stream as pdf_stream
from pdfa_lifecycle import CODES, rerender_request

from docflow.render import fontfiles, render_document


def _snapshot(sha: str) -> bytes:
    return json.dumps({"html_sha256": sha}).encode()


@pytest.mark.parametrize(
    ("code", "locale"), [*((c, "zh-CN") for c in CODES), ("RM", "en"), ("MA", "en")]
)
def test_lazy_font_files_make_the_same_pdf_and_skip_the_cjk_copies(
    lifecycles: dict[str, Path], monkeypatch: pytest.MonkeyPatch, code: str, locale: str
) -> None:
    """WeasyPrint's own Font and LazyFont give the same bytes; with LazyFont no font file
    of a compacted CJK face (20 MB or more) is read whole, and nothing is read that
    WeasyPrint's own Font did not read."""
    request = rerender_request(lifecycles[locale], code)
    read: list[int] = []
    original = fontfiles._read_file

    def counting(hb_object: Any, *args: Any, **kwargs: Any) -> Any:
        data = original(hb_object, *args, **kwargs)
        if not args and not kwargs:
            read.append(len(data or b""))
        return data

    monkeypatch.setattr(fontfiles, "_read_file", counting)
    lazy = render_document(request, snapshot=_snapshot).pdf
    lazy_reads = list(read)
    assert not fontfiles.installed()  # WeasyPrint is its own again after docflow's render

    read.clear()
    monkeypatch.setattr(pdf_fonts, "get_hb_object_data", counting)
    monkeypatch.setattr(fontfiles, "install", lambda: None)
    eager = render_document(request, snapshot=_snapshot).pdf
    eager_reads = list(read)

    assert lazy == eager
    big = 10_000_000
    if locale == "zh-CN":
        assert sum(1 for n in eager_reads if n > big) >= 2  # the CJK faces, read whole
        assert [n for n in lazy_reads if n > big] == []
    assert not Counter(lazy_reads) - Counter(eager_reads)  # nothing read that was not before


def test_lazy_fonts_install_once_and_restore_weasyprint_when_the_last_block_ends() -> None:
    """Nested blocks install LazyFont (a subclass of WeasyPrint's Font) once; WeasyPrint's
    own Font and reader are back when the outer block ends, also after an error."""
    original_font, original_read = pdf_stream.Font, pdf_fonts.get_hb_object_data
    assert not fontfiles.installed()
    with fontfiles.lazy_fonts():
        assert pdf_stream.Font is fontfiles.LazyFont
        assert issubclass(fontfiles.LazyFont, original_font)
        with pytest.raises(RuntimeError), fontfiles.lazy_fonts():
            raise RuntimeError("a failed render")
        assert fontfiles.installed()
    assert pdf_stream.Font is original_font
    assert pdf_fonts.get_hb_object_data is original_read
