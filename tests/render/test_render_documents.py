"""Whole documents: both files, their agreement, determinism, structure and signature boxes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import pickle
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from render_helpers import (
    TEST_TEMPLATES,
    docx_texts,
    make_request,
    pdf_body,
    pdf_page_texts,
    squash,
)

import docflow.render
from docflow.errors import EnvironmentProblem
from docflow.render import RenderedDocument, RenderRequest, render_document
from docflow.render import fonts as render_fonts

FOOTERS = {
    "zh-CN": lambda n, m: f"第 {n} 页 共 {m} 页",
    "en": lambda n, m: f"Page {n} of {m}",
}
LETTERHEAD = {"zh-CN": "示例软件有限公司", "en": "Example Software Ltd."}
DETAIL = {
    "zh-CN": "附件一 · 合同编号：HT-2026-017 · 第1版",
    "en": "Annex 1 · Contract HT-2026-017 · Version 1",
}


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def rendered(request: pytest.FixtureRequest) -> Iterator[tuple[RenderRequest, RenderedDocument]]:
    """The _test kind rendered once per locale."""
    render_request = make_request(request.param)
    yield render_request, render_document(render_request)


def test_same_request_same_bytes(rendered: tuple[RenderRequest, RenderedDocument]) -> None:
    """Rendering is a pure function: a second render gives identical DOCX and PDF bytes."""
    render_request, first = rendered
    again = render_document(render_request)
    assert again.docx == first.docx
    assert again.pdf == first.pdf
    assert again.signature_boxes == first.signature_boxes


def test_rendered_carries_the_page_html(
    rendered: tuple[RenderRequest, RenderedDocument],
) -> None:
    """The page HTML comes with the files: callers hash it without rendering it again."""
    render_request, out = rendered
    assert out.html == docflow.render.render_html(render_request)
    assert out.html.startswith("<!DOCTYPE html>")


def test_pdf_text_equals_docx_text(rendered: tuple[RenderRequest, RenderedDocument]) -> None:
    """Both files carry the same text in the same order (whitespace aside)."""
    render_request, out = rendered
    meta = render_request.meta
    frame = f"{LETTERHEAD[meta.locale]} {meta.number}\u2003{meta.title} {DETAIL[meta.locale]}"
    docx_body = squash("".join(docx_texts(out.docx)))
    assert pdf_body(out.pdf, frame, FOOTERS[meta.locale]) == docx_body
    assert squash(meta.title) in docx_body


def _part(docx: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read(name).decode("utf-8")


def test_docx_structure(rendered: tuple[RenderRequest, RenderedDocument]) -> None:
    """Styles with East Asian fonts, real numbering, repeated header rows, merges, fields."""
    render_request, out = rendered
    body = _part(out.docx, "word/document.xml")
    styles = _part(out.docx, "word/styles.xml")
    numbering = _part(out.docx, "word/numbering.xml")
    assert 'w:eastAsia="SimSun"' in styles and 'w:eastAsia="SimHei"' in styles
    assert "<w:tblHeader/>" in body
    assert 'w:pStyle w:val="ListNumber"' in body and "<w:numId " in body
    assert '<w:startOverride w:val="1"/>' in numbering
    assert "<w:gridSpan " in body and "<w:vMerge" in body
    assert 'w:type="fixed"' in body
    names = zipfile.ZipFile(io.BytesIO(out.docx)).namelist()
    footer = "".join(_part(out.docx, n) for n in names if n.startswith("word/footer"))
    header = "".join(_part(out.docx, n) for n in names if n.startswith("word/header"))
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert render_request.meta.number in header and LETTERHEAD[render_request.meta.locale] in header


def test_docx_core_properties(rendered: tuple[RenderRequest, RenderedDocument]) -> None:
    """Core properties name the document, its number and its anchor; dates are the issue date."""
    import docx

    render_request, out = rendered
    meta = render_request.meta
    props = docx.Document(io.BytesIO(out.docx)).core_properties
    assert props.title == meta.title
    assert props.subject == meta.number
    assert props.keywords == f"docflow-anchor:{meta.anchor_seq}:{meta.anchor_hash}"
    assert props.created == props.modified == dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    with zipfile.ZipFile(io.BytesIO(out.docx)) as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 11, 23, 0, 0, 0)}


def test_pdf_metadata(rendered: tuple[RenderRequest, RenderedDocument]) -> None:
    """The PDF's dates are the issue date and its keywords carry the event-chain anchor."""
    import pypdf

    render_request, out = rendered
    meta = render_request.meta
    info = pypdf.PdfReader(io.BytesIO(out.pdf)).metadata
    assert info is not None
    assert info["/Keywords"] == meta.anchor_keyword
    assert str(info["/CreationDate"]).startswith("D:20261123")
    assert str(info["/ModDate"]).startswith("D:20261123")


def _font_names(pdf: bytes) -> set[str]:
    import pypdf

    names: set[str] = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for desc in descendants:
                desc = desc.get_object()
                descriptor = desc["/FontDescriptor"].get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(desc["/BaseFont"]))
    return names


def test_zh_pdf_embeds_a_cjk_font() -> None:
    """A zh-CN PDF embeds a Noto CJK font and its Chinese text extracts."""
    out = render_document(make_request("zh-CN", signers=("client",)))
    assert any("CJK" in name for name in _font_names(out.pdf))
    import pypdf

    text = pypdf.PdfReader(io.BytesIO(out.pdf)).pages[0].extract_text()
    assert "需求备忘录" in text and "人民币壹佰贰拾万零伍佰元整" in text
    assert set(out.signature_boxes) == {"client"}


def test_signature_boxes(rendered: tuple[RenderRequest, RenderedDocument]) -> None:
    """Each signer has a box on a page, inside it, around its own blank signing cell: the
    signature field covers no printed text; the signer label stands just above it."""
    import pdfplumber

    render_request, out = rendered
    boxes = out.signature_boxes
    assert list(boxes) == list(render_request.meta.signers)
    assert boxes["client"].x < boxes["vendor"].x
    with pdfplumber.open(io.BytesIO(out.pdf)) as pdf:
        for box in boxes.values():
            page = pdf.pages[box.page]
            assert box.x >= 0 and box.x + box.width <= page.width
            assert box.y >= 0 and box.y + box.height <= page.height
            assert box.height > 60  # room for a signature
            top = page.height - box.y - box.height
            inside = page.crop((box.x, top, box.x + box.width, top + box.height)).extract_text()
            assert inside.strip() == ""
            above = page.crop((box.x, top - 30, box.x + box.width, top)).extract_text()
            assert ("授权代表" in above) or ("Authorised" in above)


def test_missing_chinese_font_is_an_environment_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a Chinese font a zh-CN document cannot render and says which package to install."""
    monkeypatch.setattr(render_fonts, "has_chinese_font", lambda: False)
    with pytest.raises(EnvironmentProblem, match="fonts-noto-cjk"):
        render_document(make_request("zh-CN"))
    render_fonts.require_fonts("en")


def test_inputs_and_outputs_pickle(rendered: tuple[RenderRequest, RenderedDocument]) -> None:
    """Requests and results cross process boundaries (batch rendering uses a process pool)."""
    render_request, out = rendered
    assert pickle.loads(pickle.dumps(render_request)) == render_request
    assert pickle.loads(pickle.dumps(out)) == out
    assert dataclasses.asdict(out.signature_boxes["client"])["page"] >= 0


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_register_pdf(locale: str) -> None:
    """The annex register lists every row, with its hash, and is deterministic."""
    import pypdf

    rows = [
        {
            "annex": n,
            "document": f"CA-{n}",
            "version": 1,
            "title": "变更附件" if locale == "zh-CN" else "Change annex",
            "issued_on": dt.date(2026, 5, n),
            "status": "void" if n == 2 else "signed",
            "signatures": "client: Ann (wet-ink, 2026-05-20)",
            "sha256_pdf": f"{n}" * 64,
        }
        for n in (1, 2, 3)
    ]
    render_register = docflow.render.render_register_pdf
    pdf = render_register(locale, "HIS-2026", "County HIS", "HT-1", rows)
    assert pdf == render_register(locale, "HIS-2026", "County HIS", "HT-1", rows)
    text = squash("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    for row in rows:
        assert row["document"] in text and row["sha256_pdf"] in text
    assert ("附件三" if locale == "zh-CN" else "Annex3") in text


def test_same_bytes_in_another_process(rendered: tuple[RenderRequest, RenderedDocument]) -> None:
    """Bytes do not depend on the process (hash seed, import order): a subprocess agrees."""
    import hashlib
    import os
    import subprocess
    import sys
    from pathlib import Path

    render_request, out = rendered
    code = (
        "import hashlib, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from render_helpers import make_request\n"
        "from docflow.render import render_document\n"
        f"out = render_document(make_request({render_request.meta.locale!r}))\n"
        "print(hashlib.sha256(out.docx).hexdigest(), hashlib.sha256(out.pdf).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        hashlib.sha256(out.docx).hexdigest(),
        hashlib.sha256(out.pdf).hexdigest(),
    ]


def test_page_words_from_labels(tmp_path: Path) -> None:
    """labels.page sets the footer words of both files."""
    import docx

    folder = tmp_path / "en"
    folder.mkdir()
    (folder / "labels.yaml").write_text(
        "page:\n  before: 'Seite '\n  middle: ' von '\n  after: ' Seiten'\n", encoding="utf-8"
    )
    out = render_document(make_request("en", dirs=(tmp_path, TEST_TEMPLATES)))
    footer = docx.Document(io.BytesIO(out.docx)).sections[0].footer.paragraphs[0].text
    assert footer.startswith("Seite ") and " von " in footer and footer.endswith(" Seiten")
    last = pdf_page_texts(out.pdf)[-1].splitlines()[-1]
    assert last == "Seite 2 von 2 Seiten"
