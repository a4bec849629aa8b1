"""Each document kind in each locale rendered to PDF and DOCX: text, signature boxes, length."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable

import pytest

from docflow.render import RenderRequest, render_document

RequestFor = Callable[..., RenderRequest]
LOCALES = ("zh-CN", "en")
CODES = ("SP", "RM", "CA", "DP", "AC", "CN", "MA")
KINDS = [pytest.param(code, locale, id=f"{code}-{locale}") for code in CODES for locale in LOCALES]
# The first section heading of each kind, which must come right after the header table.
FIRST_HEADING = {
    ("SP", "zh-CN"): "一、合同依据",
    ("RM", "zh-CN"): "一、合同双方",
    ("CA", "zh-CN"): "一、变更依据",
    ("DP", "zh-CN"): "一、编制依据",
    ("AC", "zh-CN"): "一、验收依据",
    ("CN", "zh-CN"): "一、项目完工",
    ("MA", "zh-CN"): "第一条　维护期限",
    ("SP", "en"): "1. Contract reference",
    ("RM", "en"): "1. Parties",
    ("CA", "en"): "1. Contract and change request",
    ("DP", "en"): "1. Basis",
    ("AC", "en"): "1. Basis of acceptance",
    ("CN", "en"): "1. Implementation complete",
    ("MA", "en"): "Article 1. Term",
}


def squash(text: str) -> str:
    """Whitespace (ideographic spaces too) collapsed to single spaces."""
    return re.sub(r"\s+", " ", text)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as poppler reads it, whitespace collapsed."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return squash(out.stdout.decode("utf-8"))


def docx_text(docx: bytes) -> str:
    """The DOCX body's paragraphs and table cells, in document order, whitespace collapsed;
    the word joiners that keep codes on one line read as nothing."""
    from docx import Document

    body = Document(io.BytesIO(docx)).element.body
    texts = [node.text or "" for node in body.iter() if node.tag.endswith("}t")]
    return squash("".join(texts).replace("\u2060", ""))


def drawn_pages(pdf: bytes) -> list[str]:
    """Each page's text in drawing order: WeasyPrint draws a table cell by cell."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_body_lines(pdf: bytes, *, frame_too: bool = False) -> list[str]:
    """The PDF's lines without whitespace, less the running header and footer (the lines that
    recur on every page, numbers aside; kept with ``frame_too``, since the letterhead's name is
    also a party's name in the body) and list markers, which the DOCX holds as numbering.
    A word that English hyphenation split over two lines reads whole again."""
    pages = [
        ["".join(line.split()).removesuffix("\u2010") for line in page.splitlines() if line.strip()]
        for page in drawn_pages(pdf)
    ]
    counts: dict[str, int] = {}
    for page in pages:
        for key in {re.sub(r"\d+", "#", line) for line in page}:
            counts[key] = counts.get(key, 0) + 1
    frame = {key for key, n in counts.items() if n == len(pages)} if len(pages) > 1 else set()
    if frame_too:
        frame = set()
    lines = [line for page in pages for line in page if re.sub(r"\d+", "#", line) not in frame]
    # list markers are drawn after the item's text, on a line of their own or at its end
    lines = [re.sub(r"[•◦▪‣]", "", line) for line in lines]
    return [line for line in lines if line and not re.fullmatch(r"\d+\.", line)]


def docx_pieces(docx: bytes) -> list[str]:
    """Each DOCX paragraph's text (table cells included) without whitespace or word joiners."""
    from docx import Document

    body = Document(io.BytesIO(docx)).element.body
    pieces = []
    for para in body.iter():
        if para.tag.endswith("}p"):
            text = "".join(t.text or "" for t in para.iter() if t.tag.endswith("}t"))
            text = text.replace("\u2060", "")
            if text.strip():
                pieces.append("".join(text.split()))
    return pieces


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_renders_to_pdf_and_docx_with_signature_boxes(
    code: str, locale: str, request_for: RequestFor
) -> None:
    request = request_for(code, locale)
    doc = render_document(request)
    heading = squash(FIRST_HEADING[code, locale])
    pdf, docx = pdf_text(doc.pdf), docx_text(doc.docx)
    assert request.meta.number in pdf and request.meta.title in pdf and heading in pdf
    assert request.meta.number in docx and heading in docx
    pages = page_count(doc.pdf)
    assert pages <= 6
    boxes = doc.signature_boxes
    assert set(boxes) == set(request.meta.signers)
    assert all(0 <= box.page < pages and box.height >= 60 for box in boxes.values())
    # Both parties sign side by side, on one page.
    assert len({(box.page, round(box.y)) for box in boxes.values()}) == 1
    # The PDF and the DOCX say the same: every DOCX paragraph is in the PDF, every PDF line
    # (running header and footer aside) in the DOCX.
    pdf_lines = pdf_body_lines(doc.pdf)
    pdf_all = "".join(pdf_lines)
    # A paragraph over a page break reads whole without the frame; a party named like the
    # letterhead reads whole only with it.
    pdf_framed = "".join(pdf_body_lines(doc.pdf, frame_too=True))
    docx_pieces_ = docx_pieces(doc.docx)
    docx_all = "".join(docx_pieces_)
    missing = [piece for piece in docx_pieces_ if piece not in pdf_all and piece not in pdf_framed]
    assert missing == []
    assert [line for line in pdf_lines if line not in docx_all] == []


def test_requirement_memo_with_two_thousand_requirements(request_for: RequestFor) -> None:
    base = request_for("RM", "zh-CN")
    many = [
        dict(req, id=f"R-{i:04d}")
        for i, req in enumerate(base.context["requirements"] * 84, start=1)
    ][:2000]
    doc = render_document(request_for("RM", "zh-CN", requirements=many))
    text = pdf_text(doc.pdf)
    assert "R-0001" in text and "R-2000" in text
    assert "本备忘录共列需求2000项" in text
    assert doc.signature_boxes["client"].page == page_count(doc.pdf) - 1
