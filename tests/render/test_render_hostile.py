"""Hostile data prints literally in both files and never becomes markup, code or a fetch."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from render_helpers import docx_texts, make_request, pdf_page_texts, project, squash

from docflow.render import RenderedDocument, render_document, render_html

HOSTILE = {
    "expression": "{{ 7*7 }}",
    "statement": "{% for x in y %}{% endfor %}",
    "markup": "<b>not bold</b>",
    "ampersand": "R&D &amp; Co",
    "image": '<img src="file:///etc/passwd">',
    "rtl": "שלום עולם",
    "emoji": "ok 😀 done",
}
VENDOR = "R&D <Soft> {{ 6*7 }}"  # printed in the DOCX header and the PDF running header
LONG = "长文本" * 3334  # 10,002 characters in one table cell


@pytest.fixture(scope="module")
def hostile() -> Iterator[RenderedDocument]:
    """The _test kind with hostile strings as requirement titles and the project name."""
    p = project("zh-CN")
    p["requirements"] = [
        {**p["requirements"][0], "id": f"H-{i}", "title": text, "description": ""}
        for i, text in enumerate(HOSTILE.values())
    ] + [{**p["requirements"][0], "id": "LONG", "title": LONG, "description": ""}]
    p["project"] = {**p["project"], "name": HOSTILE["markup"] + HOSTILE["expression"]}
    vendor = {**p["parties"]["vendor"], "name": VENDOR}
    p["parties"] = {**p["parties"], "vendor": vendor}
    yield render_document(make_request("zh-CN", p=p, requirements=p["requirements"]))


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_docx_holds_hostile_text_literally(hostile: RenderedDocument, text: str) -> None:
    """The DOCX holds each hostile string as one literal cell text."""
    assert text in docx_texts(hostile.docx)


@pytest.mark.parametrize(
    "key", [k for k in HOSTILE if k != "emoji"], ids=[k for k in HOSTILE if k != "emoji"]
)
def test_pdf_holds_hostile_text_literally(hostile: RenderedDocument, key: str) -> None:
    """The PDF's text holds each hostile string literally (RTL in logical or visual order)."""
    text = squash("".join(pdf_page_texts(hostile.pdf)))
    wanted = squash(HOSTILE[key])
    assert wanted in text or (key == "rtl" and squash(HOSTILE[key][::-1]) in text)
    assert "49" not in text.replace("2026", "")


def test_emoji_and_long_text_do_not_break_rendering(hostile: RenderedDocument) -> None:
    """Text no font covers still renders around it; a 10,000-character cell flows over pages."""
    text = squash("".join(pdf_page_texts(hostile.pdf)))
    assert "ok" in text and "done" in text
    # counted by character: a repeated table header or the page frame may fall inside a word
    assert all(text.count(char) >= 3334 for char in "长文本")
    assert LONG in docx_texts(hostile.docx)


def test_no_image_is_embedded(hostile: RenderedDocument) -> None:
    """Markup in data never turns into an image (nothing is fetched)."""
    import pypdf

    for page in pypdf.PdfReader(io.BytesIO(hostile.pdf)).pages:
        assert not page["/Resources"].get("/XObject")
    assert b"root:" not in hostile.pdf


def test_page_html_escapes_data() -> None:
    """The page HTML escapes data once: no live tag from data reaches WeasyPrint."""
    p = project("zh-CN")
    p["project"] = {**p["project"], "name": HOSTILE["image"]}
    html = render_html(make_request("zh-CN", p=p))
    assert "<img" not in html
    assert "&lt;img src=" in html


def test_letterhead_is_literal_in_both_headers(hostile: RenderedDocument) -> None:
    """The vendor's name in the page header stays literal in DOCX (docxtpl) and PDF."""
    import docx

    document = docx.Document(io.BytesIO(hostile.docx))
    header = document.sections[0].header.paragraphs[0].text
    assert header.split("\n")[1].startswith(VENDOR)
    assert squash(VENDOR) in squash(pdf_page_texts(hostile.pdf)[0])


def test_table_header_repeats_on_every_page() -> None:
    """A table that runs over pages repeats its thead row at the top of each page."""
    p = project("en")
    p["requirements"] = [
        {**p["requirements"][0], "id": f"R-{n:03d}", "title": f"Requirement {n}"}
        for n in range(1, 121)
    ]
    out = render_document(make_request("en", p=p, requirements=p["requirements"]))
    pages = [squash(text) for text in pdf_page_texts(out.pdf)]
    spanned = [page for page in pages if "R-0" in page or "R-1" in page]
    assert len(spanned) >= 3
    assert all("IDTitleTypePriority" in page for page in spanned)
