"""An independent reader: LibreOffice converts every kind's DOCX to PDF, and both PDFs (ours
and LibreOffice's) are read back with poppler's pdftotext, line by line.

Checked for every kind and locale: no page holds only a signature block, no line breaks
inside a token of the project's data (codes, amounts, dates, e-mail addresses, telephone
numbers), no line starts with a comma or a closing mark, Chinese text has no ASCII space
between an ideograph and a digit, and bullets read as text.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from template_contexts import build_request, project

from docflow.render import RenderRequest, render_document
from docflow.render.blocks import Run, Table
from docflow.render.filters import make_filters
from docflow.render.frame import page_words, running_head
from docflow.render.pipeline import prepare
from docflow.render.tokens import CJK
from docflow.render.typeset import typeset_runs

CODES = ("SP", "RM", "CA", "DP", "AC", "CN", "MA")
LOCALES = ("zh-CN", "en")
KINDS = [pytest.param(code, locale, id=f"{code}-{locale}") for code in CODES for locale in LOCALES]
READERS = ("weasyprint", "libreoffice")

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (libreoffice-writer-nogui) or poppler-utils is not installed",
)


@dataclass(frozen=True)
class Rendered:
    """One kind in one locale: its request, files and LibreOffice's PDF of the DOCX."""

    request: RenderRequest
    docx: Path
    pdf: Path
    lo_pdf: Path
    signature_texts: tuple[str, ...]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Rendered]:
    """Every kind and locale rendered, and every DOCX converted by one LibreOffice call."""
    folder = tmp_path_factory.mktemp("lo")
    out: dict[tuple[str, str], Rendered] = {}
    for code in CODES:
        for locale in LOCALES:
            request = build_request(code, locale)
            doc = render_document(request)
            stem = folder / f"{code}-{locale}"
            stem.with_suffix(".docx").write_bytes(doc.docx)
            stem.with_suffix(".pdf").write_bytes(doc.pdf)
            signatures = [
                block
                for block in prepare(request).document.blocks
                if isinstance(block, Table) and block.kind == "signatures"
            ]
            texts = tuple(
                "".join(run.text for run in paragraph.runs)
                for table in signatures
                for row in table.rows
                for cell in row.cells
                for paragraph in cell.paragraphs
            )
            out[code, locale] = Rendered(
                request,
                stem.with_suffix(".docx"),
                stem.with_suffix(".pdf"),
                folder / "lo" / f"{code}-{locale}.pdf",
                texts,
            )
    profile = folder / "lo-profile"
    # One call converts all of them; a private profile keeps parallel test runs apart.
    proc = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "lo"),
            *(str(r.docx) for r in out.values()),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def pages(pdf: Path, mode: str = "-raw") -> list[str]:
    """The text of each page as pdftotext reads it."""
    text = subprocess.run(
        ["pdftotext", mode, "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def squash(text: str) -> str:
    """No whitespace, joiners or hyphenation: what a reader compares."""
    return re.sub(r"[\s\u2060\u00a0]+", "", text)


def pdf_of(item: Rendered, reader: str) -> Path:
    return item.pdf if reader == "weasyprint" else item.lo_pdf


def project_tokens(locale: str) -> set[str]:
    """Codes, amounts, dates, e-mail addresses and phone numbers of the example project, as
    the documents print them."""
    p = project(locale)
    f = make_filters(locale)
    raw = {p.contract.number, p.project.code, f"{p.project.code}/RM-1"}
    for party in (p.parties.client, p.parties.vendor):
        people = [party.contact, party.accountable_person, party.project_manager]
        for person in people:
            if person is not None:
                raw |= {person.email, person.phone}
    raw |= {e.email for e in p.maintenance.escalation} | {e.phone for e in p.maintenance.escalation}
    raw |= {f["money"](p.contract.amount)} | {f["money"](x.amount) for x in p.contract.payments}
    if p.maintenance.fee is not None:
        raw.add(f["money"](p.maintenance.fee))
    dates = [p.contract.signed_on, p.contract.schedule.start, p.contract.schedule.end]
    dates += [session.date for session in p.survey.sessions]
    dates += [p.maintenance.start, p.acceptance.date]
    raw |= {f["date"](d) for d in dates if d is not None}
    raw |= {r.id for r in p.requirements}
    printed = {"".join(run.text for run in typeset_runs((Run(t),), locale)) for t in raw if t}
    return {t for t in printed if len(t) > 3}


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_libreoffice_reads_every_kind(
    code: str, locale: str, rendered: dict[tuple[str, str], Rendered]
) -> None:
    """LibreOffice converts the DOCX, and the document number is in its text."""
    item = rendered[code, locale]
    assert item.lo_pdf.is_file() and item.lo_pdf.stat().st_size > 2000
    assert squash(item.request.meta.number) in squash("".join(pages(item.lo_pdf)))


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_no_page_holds_only_the_signatures(
    code: str, locale: str, reader: str, rendered: dict[tuple[str, str], Rendered]
) -> None:
    """The signature block stands whole on one page, and that page also holds operative
    text: it cannot be detached.

    The block's page is the one holding every text of the block: a single line of it, such
    as the date line, may also be part of a form elsewhere (the completion notice's receipt).
    """
    item = rendered[code, locale]
    meta = item.request.meta
    words = page_words(locale, {})
    head = running_head(meta, meta.title, words)
    frame = [*head, str(item.request.context["p"]["parties"]["vendor"]["name"])]
    footer = re.compile(r"第\d+页共\d+页|Page\d+of\d+")
    block = [squash(text) for text in item.signature_texts if squash(text)]
    signature_pages = 0
    for page in pages(pdf_of(item, reader)):
        body = squash(page)
        if not block or not all(text in body for text in block):
            continue
        signature_pages += 1
        for text in sorted([*frame, *item.signature_texts], key=len, reverse=True):
            body = body.replace(squash(text), "")
        body = footer.sub("", body)
        assert body, f"a page of {code}-{locale} ({reader}) holds only the signature block"
    assert signature_pages == (1 if item.signature_texts else 0)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_no_line_breaks_inside_a_token(
    code: str, locale: str, reader: str, rendered: dict[tuple[str, str], Rendered]
) -> None:
    """No code, amount, date, e-mail address or phone number of the project is split over
    two lines, and no line starts with a comma or a closing mark."""
    tokens = project_tokens(locale)
    broken = []
    for page in pages(pdf_of(rendered[code, locale], reader)):
        lines = [squash(line) for line in page.splitlines()]
        for line, following in itertools.pairwise(lines):
            for token in tokens:
                flat = squash(token)
                if flat in line or flat in following:
                    continue
                for cut in range(1, len(flat)):
                    if line.endswith(flat[:cut]) and following.startswith(flat[cut:]):
                        broken.append(f"{flat[:cut]} | {flat[cut:]}")
        broken += [line for line in lines if line[:1] in ",，、。；;:：)）"]
    assert broken == []


MM = 72 / 25.4


def spaced_pairs(pdf: Path) -> list[str]:
    """Words of the body that a space (a gap under half an em) parts between an ideograph
    and a digit. Table cells are further apart, so their neighbours do not count; nor do the
    running header and footer (the 25 mm and 22 mm margins), whose words labels.yaml sets.
    """
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    word = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    words = [
        (float(a), float(b), float(c), float(d), t)
        for a, b, c, d, t in word.findall(out)
        if 25 * MM < float(b) < (297 - 22) * MM
    ]
    cjk = re.compile(f"[{CJK}]")
    pairs = []
    for (_, y0, x1, y1, left), (u0, v0, _, _, right) in itertools.pairwise(words):
        spaced = abs(y0 - v0) < 1.0 and 0 <= u0 - x1 < 0.5 * (y1 - y0)
        cjk_digit = (cjk.match(left[-1]) and right[0].isdigit()) or (
            left[-1].isdigit() and cjk.match(right[0])
        )
        if spaced and cjk_digit:
            pairs.append(f"{left} {right}")
    return pairs


@pytest.mark.parametrize(("code", "locale"), [k for k in KINDS if "zh-CN" in k.id])
def test_no_ascii_space_between_cjk_and_digits(
    code: str, locale: str, rendered: dict[tuple[str, str], Rendered]
) -> None:
    """Chinese text sets digits tight against ideographs, in the PDF and in the DOCX text
    (LibreOffice adds a gap of its own when it lays the DOCX out: not checked there)."""
    import docx

    item = rendered[code, locale]
    assert spaced_pairs(item.pdf) == []
    pattern = re.compile(f"[{CJK}] [0-9]|[0-9] [{CJK}]")
    document = docx.Document(str(item.docx))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert [t for t in texts if pattern.search(t.replace("\u2060", ""))] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_bullets_read_as_text(locale: str, rendered: dict[tuple[str, str], Rendered]) -> None:
    """LibreOffice's PDF of a bulleted list holds the bullet character, not a private code."""
    text = "".join(pages(rendered["MA", locale].lo_pdf))
    assert "\u2022" in text and "\uf0b7" not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_annex_label_is_a_style(locale: str, rendered: dict[tuple[str, str], Rendered]) -> None:
    """The annex label above the title takes the Annex Label style, not direct bold."""
    import zipfile

    with zipfile.ZipFile(rendered["RM", locale].docx) as package:
        body = package.read("word/document.xml").decode("utf-8")
    label = re.search(r'<w:p><w:pPr><w:pStyle w:val="AnnexLabel"/>.*?</w:p>', body)
    assert label is not None and "<w:b/>" not in label.group(0)
