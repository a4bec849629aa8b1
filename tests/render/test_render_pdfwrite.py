"""The PDF path's per-process stylesheet and single stream compression change no byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from render_helpers import TEST_TEMPLATES, make_request

from docflow.render.meta import DocMeta
from docflow.render.pdf import render_pdf
from docflow.render.pdfwrite import join_kept_runs, parsed_style, split_style
from docflow.render.pipeline import prepare


def _weasyprint_alone(html: str, meta: DocMeta, base: Path) -> bytes:
    """The same PDF/A made the plain way: stylesheet parsed in the page, pydyf's writing."""
    import weasyprint

    from docflow.render import pdfa
    from docflow.render.cidfonts import CompactFonts

    number, version, anchor = meta.number, meta.version, meta.anchor_hash
    identifier = hashlib.sha256(f"{number}\x00{version}\x00{anchor}".encode()).hexdigest()[:32]
    page = weasyprint.HTML(string=html, base_url=base.as_uri() + "/")
    document = page.render(pdf_variant=pdfa.VARIANT)
    pdfa.set_metadata(document, meta)
    pdfa.use_srgb(document)
    fonts = document.fonts = CompactFonts()
    pdf = document.write_pdf(
        pdf_identifier=identifier.encode("ascii"),
        pdf_variant=pdfa.VARIANT,
        output_intent=pdfa.OUTPUT_INTENT,
        finisher=pdfa.finisher(fonts.bare, write_once=False),
    )
    return bytes(pdf)


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_same_bytes_as_weasyprint_alone(locale: str) -> None:
    """A parsed stylesheet kept for the process and streams compressed once give the bytes
    WeasyPrint gives with the stylesheet in the page, also on the second document."""
    prepared = prepare(make_request(locale))
    meta = prepared.meta
    parsed_style.cache_clear()
    first, _ = render_pdf(prepared.html, meta, prepared.dirs)
    second, _ = render_pdf(prepared.html, meta, prepared.dirs)
    info = parsed_style.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    # What render_pdf hands WeasyPrint: a Chinese page's kept runs word-joined.
    page = join_kept_runs(prepared.html) if locale == "zh-CN" else prepared.html
    alone = _weasyprint_alone(page, meta, prepared.dirs[0])
    assert first == second == alone


def test_font_face_stylesheet_is_parsed_with_each_page(tmp_path: Path) -> None:
    """A workspace stylesheet with @font-face registers fonts per document: never kept."""
    css = (TEST_TEMPLATES.parent / "style.css").read_text(encoding="utf-8")
    (tmp_path / "style.css").write_text(
        css + '\n@font-face { font-family: "Own"; src: local("DejaVu Sans"); }\n', "utf-8"
    )
    prepared = prepare(make_request("en", dirs=(tmp_path, TEST_TEMPLATES)))
    _, kept = split_style(prepared.html)
    assert kept is not None and parsed_style(kept, None, ()) is None
    pdf, boxes = render_pdf(prepared.html, prepared.meta, prepared.dirs)
    assert pdf.startswith(b"%PDF-") and set(boxes) == {"client", "vendor"}


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        pytest.param(
            "<html><head><title>t</title><style>p{}</style></head><body><style>x</style></body>",
            ("<html><head><title>t</title></head><body><style>x</style></body>", "p{}"),
            id="head-style",
        ),
        pytest.param(
            "<html><head></head><body><style>p{}</style></body>",
            ("<html><head></head><body><style>p{}</style></body>", None),
            id="no-head-style",
        ),
        pytest.param(
            "<html><head><style>a{}</style><style>b{}</style></head></html>",
            ("<html><head><style>a{}</style><style>b{}</style></head></html>", None),
            id="two-styles",
        ),
        pytest.param("<p>no head</p>", ("<p>no head</p>", None), id="no-head"),
    ],
)
def test_split_style(page: str, expected: tuple[str, str | None]) -> None:
    """Only the one <style> of the head is taken out; anything else stays in the page."""
    assert split_style(page) == expected
