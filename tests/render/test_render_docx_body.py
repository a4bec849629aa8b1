"""The DOCX body written as WordprocessingML text: the markup python-docx would write."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import pytest
from render_helpers import docx_texts, make_request

from docflow.render.blocks import Run
from docflow.render.docx import render_docx
from docflow.render.docxbody import _runs
from docflow.render.html import parse_html
from docflow.render.pipeline import prepare

PAGE = """<!DOCTYPE html><html><head><title>T</title></head><body>
<h1 class="center">Title <em>it</em> <u>u</u></h1>
<p class="small">small <strong>bold</strong><br>after break</p>
<table><colgroup><col style="width: 30%"><col style="width: 40%"><col style="width: 30%">
</colgroup><thead><tr><th>a</th><th colspan="2">b</th></tr></thead>
<tbody><tr><td rowspan="2">r</td><td>x</td><td class="right"><p>p1</p><p>p2</p></td></tr>
<tr><td colspan="2">z</td></tr></tbody></table>
<table class="plain"><colgroup><col style="width: 100%"></colgroup>
<tbody><tr><th>plain</th></tr></tbody></table>
<p>after tables</p>
<div class="page-break"></div>
<ol><li>one<ol><li>inner</li></ol></li></ol>
<table class="signatures"><colgroup><col style="width: 50%"><col style="width: 50%"></colgroup>
<tbody><tr><th>A</th><th>B</th></tr>
<tr><td id="sig-client">sign</td><td id="sig-vendor">sign</td></tr></tbody></table>
</body></html>"""


@pytest.fixture(scope="module")
def body() -> tuple[str, bytes]:
    """document.xml and the DOCX of PAGE, rendered in the frame of the _test kind."""
    prepared = prepare(make_request("en"))
    document = parse_html(PAGE, "page", "T")
    data = render_docx(dataclasses.replace(prepared, document=document))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode("utf-8"), data


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param(("plain",), id="plain"),
        pytest.param((" lead", "trail ", "\u3000wide\u3000"), id="kept-spaces"),
        pytest.param(("a\tb\nc", "x\r\n"), id="tabs-and-line-ends"),
        pytest.param(("<&>\"'",), id="escaped"),
    ],
)
def test_runs_are_what_python_docx_writes(texts: tuple[str, ...]) -> None:
    """Runs, their w:t, xml:space and tab/break elements match python-docx's element API."""
    import docx
    from lxml import etree

    paragraph = docx.Document().add_paragraph()
    for text in texts:
        run = paragraph.add_run(text)
        run.bold = None
    expected = "".join(etree.tostring(r, encoding="unicode") for r in paragraph._p.r_lst)
    expected = re.sub(r' xmlns:\w+="[^"]*"', "", expected)
    written = etree.tostring(
        etree.fromstring(
            '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"{_runs(tuple(Run(t) for t in texts))}</w:p>"
        ),
        encoding="unicode",
    )
    assert re.sub(r"^<w:p[^>]*>|</w:p>$", "", written) == expected


def test_merges_widths_and_header_rows(body: tuple[str, bytes]) -> None:
    """Rowspans restart and continue, colspans span the grid, header rows repeat and shade."""
    xml, _ = body
    assert '<w:vMerge w:val="restart"/>' in xml and "<w:vMerge/>" in xml
    assert xml.count('<w:gridSpan w:val="2"/>') == 2
    assert xml.count("<w:tblHeader/>") == 1
    # header cells are shaded in ruled tables only
    assert xml.count('w:fill="ECECEC"') == 2
    assert xml.count('<w:tblLayout w:type="fixed"/>') == 3


def test_spacing_breaks_and_signatures(body: tuple[str, bytes]) -> None:
    """Tables that touch get an empty paragraph between them, the text after a table a gap;
    signature rows keep a 28 mm height and stay on one page, 10 mm below the text."""
    xml, _ = body
    assert "</w:tbl><w:p/><w:tbl>" in xml
    assert '<w:spacing w:before="160"/></w:pPr><w:r><w:rPr/><w:t>after tables' in xml
    assert '<w:br w:type="page"/>' in xml
    assert '<w:trHeight w:val="1587" w:hRule="atLeast"/>' in xml
    spacer = '<w:p><w:pPr><w:keepNext/><w:spacing w:before="0" w:after="0" w:line="487"'
    assert spacer in xml and xml.index(spacer) < xml.rindex("<w:tbl>")
    signatures = xml[xml.rindex("<w:tbl>") :]
    first, last = signatures.split("</w:tr>")[:2]
    assert first.count("<w:keepNext/>") == 2 and "<w:keepNext/>" not in last
    assert "<w:rPr><w:b/></w:rPr><w:t>small" not in xml
    assert '<w:rPr><w:b/><w:sz w:val="18"/></w:rPr><w:t>bold</w:t>' in xml


def test_python_docx_reads_the_text_back(body: tuple[str, bytes]) -> None:
    """python-docx finds every paragraph and cell in order, merged cells once."""
    _, data = body
    texts = [t for t in docx_texts(data) if t]
    assert texts == [
        "Title it u",
        "small bold\nafter break",
        "a",
        "b",
        "r",
        "x",
        "p1",
        "p2",
        "z",
        "plain",
        "after tables",
        "one",
        "inner",
        "A",
        "B",
        "sign",
        "sign",
    ]
