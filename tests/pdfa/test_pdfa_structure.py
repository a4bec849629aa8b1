"""The structure tree docflow writes, on the test template: what WeasyPrint gets wrong, fixed.

A requirement table long enough to run over three pages must be one Table with one THead;
the header rows drawn again on later pages, the running header and the page numbers are
pagination artifacts; key-value tables have row headers; lists have labels.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pikepdf
import pytest
from pdfa_checks import pdfa_problems
from render_helpers import make_request, project
from tagged_checks import walk

from docflow.render import render_document

ROWS = 80


def _long_request(locale: str) -> Any:
    zh = locale == "zh-CN"
    rows = [
        {
            "id": f"R-{i:03d}",
            "title": ("门诊挂号" if zh else "Registration") + f" {i}",
            "priority": "must",
            "type": "functional",
            "description": None,
        }
        for i in range(1, ROWS + 1)
    ]
    data = project(locale, requirements=rows)
    return make_request(locale, p=data, requirements=rows)


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def long_pdf(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    """The test kind with an 80-row requirement table, and its locale."""
    return request.param, render_document(_long_request(request.param)).pdf


def _elements(pdf_bytes: bytes) -> list[dict[str, Any]]:
    out = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        elements, _ = walk(pdf)
        for element in elements:
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            attributes = element.get("/A") or {}
            out.append(
                {
                    "S": str(element.S),
                    "page": pages.get(element.Pg.objgen) if "/Pg" in element else None,
                    "kid_types": [str(k.S) for k in kids if isinstance(k, pikepdf.Dictionary)],
                    "scope": str(attributes.get("/Scope", "")),
                    "headers": len(attributes.get("/Headers", [])),
                }
            )
        assert len(pdf.pages) >= 3
    return out


def test_passes_the_checks(long_pdf: tuple[str, bytes]) -> None:
    locale, pdf = long_pdf
    assert pdfa_problems(pdf, locale=locale) == []


def test_a_table_over_pages_is_one_table_with_one_head(long_pdf: tuple[str, bytes]) -> None:
    """WeasyPrint made one Table per page, each with the repeated header row."""
    elements = _elements(long_pdf[1])
    tables = [e for e in elements if e["S"] == "/Table" and "/THead" in e["kid_types"]]
    assert len(tables) == 1
    assert tables[0]["kid_types"] == ["/THead", "/TBody"]
    types = Counter(e["S"] for e in elements)
    requirement_rows = ROWS + 2  # and the two rows of the total
    head_rows = 1
    kv_rows = 6
    signature_rows = 3  # parties, signing cells, dates
    assert types["/TR"] == requirement_rows + head_rows + kv_rows + signature_rows
    cells = [e for e in elements if e["S"] in ("/TD", "/TH")]
    assert {c["page"] for c in cells} >= {0, 1, 2}


def test_header_cells_have_scopes_and_cells_their_headers(long_pdf: tuple[str, bytes]) -> None:
    elements = _elements(long_pdf[1])
    scopes = Counter(e["scope"] for e in elements if e["S"] == "/TH")
    assert scopes == {"/Column": 4 + 2, "/Row": 6}  # requirement and signature heads; kv rows
    data_cells = [e for e in elements if e["S"] == "/TD"]
    # every cell of the requirement table and the key-value table names its header
    assert sum(1 for e in data_cells if e["headers"]) >= ROWS * 4 + 6


def test_running_header_and_page_numbers_are_artifacts(long_pdf: tuple[str, bytes]) -> None:
    """Their text is drawn on every page but belongs to no element of the tree."""
    with pikepdf.open(io.BytesIO(long_pdf[1])) as document:
        page = document.pages[1]
        artifacts = tagged = 0
        depth_artifact = []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                depth_artifact.append(str(operands[0]) == "/Artifact")
            elif op == "EMC":
                depth_artifact.pop()
            elif op in ("Tj", "TJ"):
                if any(depth_artifact):
                    artifacts += 1
                else:
                    tagged += 1
    assert artifacts >= 3  # letterhead, number and title, page x of y
    assert tagged > 0


def test_lists_have_labels_and_bodies(long_pdf: tuple[str, bytes]) -> None:
    elements = _elements(long_pdf[1])
    items = [e for e in elements if e["S"] == "/LI"]
    assert items and all(e["kid_types"][:2] == ["/Lbl", "/LBody"] for e in items)


def test_key_value_rows_pair_each_value_with_its_key(issued: Any) -> None:
    """In a row "TH TD TH TD" (the change annex's header table) each TD names only the TH
    just before it, not the one to its right."""
    pdf_bytes = issued("CA", "zh-CN").pdf
    pairs = 0
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        elements, _ = walk(pdf)
        for row in (e for e in elements if e.S == "/TR"):
            cells = [k for k in row.K if isinstance(k, pikepdf.Dictionary)]
            kinds = [str(c.S) for c in cells]
            if kinds != ["/TH", "/TD", "/TH", "/TD"]:
                continue
            pairs += 1
            for key, value in ((cells[0], cells[1]), (cells[2], cells[3])):
                assert [str(h) for h in value.A.Headers] == [str(key.ID)]
    assert pairs >= 2
