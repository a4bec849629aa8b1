"""Bidirectional control characters never reach a document: both files drop them alike."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from render_helpers import TEST_TEMPLATES, docx_texts, make_request, pdf_body, project, squash

from docflow.render import RenderedDocument, render_document
from docflow.render.htmlstate import clean_text, strip_bidi
from docflow.render.pipeline import without_bidi

CONTROLS = {
    "LRE": "\u202a",
    "RLE": "\u202b",
    "PDF": "\u202c",
    "LRO": "\u202d",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "RLI": "\u2067",
    "FSI": "\u2068",
    "PDI": "\u2069",
    "LRM": "\u200e",
    "RLM": "\u200f",
    "ALM": "\u061c",
}
ALL = "".join(CONTROLS.values())
# "amount 500 yuan" with the digits reversed on screen by an override
TRICK = "金额\u202e005\u202c元"
VENDOR = "示例\u202e软件\u2066有限公司\u2069"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RenderedDocument]:
    """The _test kind with bidi controls in data and in a workspace template's own text."""
    folder = tmp_path_factory.mktemp("templates")
    (folder / "zh-CN").mkdir()
    source = (TEST_TEMPLATES / "zh-CN" / "sample.html.j2").read_text(encoding="utf-8")
    marked = source.replace("<h2>二、需求清单</h2>", "<h2>二、需求\u202e清单</h2>", 1)
    assert marked != source
    (folder / "zh-CN" / "sample.html.j2").write_text(marked, encoding="utf-8")
    p = project("zh-CN")
    p["requirements"] = [
        {**p["requirements"][0], "id": f"B-{name}", "title": f"x{char}y {TRICK}"}
        for name, char in CONTROLS.items()
    ]
    p["project"] = {**p["project"], "name": f"项目{ALL}名称"}
    p["parties"] = {**p["parties"], "vendor": {**p["parties"]["vendor"], "name": VENDOR}}
    request = make_request("zh-CN", p=p, requirements=p["requirements"], dirs=(folder,))
    yield render_document(request)


def _docx_xml(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return "".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith(".xml")
        )


def _pdf_text(pdf: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    return text + str(reader.metadata or {})


@pytest.mark.parametrize("name", list(CONTROLS), ids=list(CONTROLS))
def test_no_control_in_the_docx(rendered: RenderedDocument, name: str) -> None:
    """No part of the DOCX (body, header, footer, properties) holds the control."""
    assert CONTROLS[name] not in _docx_xml(rendered.docx)


@pytest.mark.parametrize("name", list(CONTROLS), ids=list(CONTROLS))
def test_no_control_in_the_pdf(rendered: RenderedDocument, name: str) -> None:
    """Neither the PDF's text nor its metadata holds the control."""
    assert CONTROLS[name] not in _pdf_text(rendered.pdf)


def test_text_reads_in_stored_order(rendered: RenderedDocument) -> None:
    """What was stored is what is shown: 005 stays 005, in both files."""
    docx = squash("".join(docx_texts(rendered.docx)))
    pdf = squash(_pdf_text(rendered.pdf))
    for text in (docx, pdf):
        assert squash(strip_bidi(TRICK)) in text
        assert "xy" in text and "项目名称" in text and "需求清单" in text


def test_both_files_still_hold_the_same_text(rendered: RenderedDocument) -> None:
    """The DOCX and PDF text are equal (the parity rule) with the controls gone."""
    detail = "附件一 · 合同编号：HT-2026-017 · 第1版"  # the running header's second line
    frame = f"{strip_bidi(VENDOR)} HIS-2026/RM-1\u2003需求备忘录 {detail}"
    docx_body = squash("".join(docx_texts(rendered.docx)))
    assert pdf_body(rendered.pdf, frame, lambda n, m: f"第 {n} 页 共 {m} 页") == docx_body


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(f"a{ALL}b", "ab", id="string"),
        pytest.param({"k": [f"x{ALL}", (f"y{ALL}",)]}, {"k": ["x", ("y",)]}, id="nested"),
        pytest.param(12, 12, id="number"),
    ],
)
def test_without_bidi(value: object, expected: object) -> None:
    """The context cleaner keeps shapes and types, dropping only the controls."""
    assert without_bidi(value) == expected


def test_clean_text_drops_bidi_and_xml_forbidden() -> None:
    """The HTML parser's text cleaner drops both classes of characters."""
    assert clean_text(f"a\x01{ALL}\u200bb") == "a\u200bb"  # zero-width space is kept


def test_labels_lose_their_controls(tmp_path: Path) -> None:
    """Labels from a workspace labels.yaml are cleaned like data."""
    from docflow.render import render_html

    (tmp_path / "zh-CN").mkdir()
    (tmp_path / "zh-CN" / "labels.yaml").write_text(
        'page:\n  before: "第\u202e "\n', encoding="utf-8"
    )
    html = render_html(make_request(dirs=(tmp_path, TEST_TEMPLATES)))
    assert "\u202e" not in html and 'data-page-before="第 "' in html
