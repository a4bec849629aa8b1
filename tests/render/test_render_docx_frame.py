"""The Word file's package: languages, settings, styles, bullets, parts and header."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import pytest
from render_helpers import make_request

from docflow.render import RenderedDocument, render_document


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def rendered(request: pytest.FixtureRequest) -> Iterator[tuple[str, RenderedDocument]]:
    """The _test kind rendered once per locale."""
    yield request.param, render_document(make_request(request.param))


def part(docx: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read(name).decode("utf-8")


def test_latin_text_is_english_east_asian_chinese(rendered: tuple[str, RenderedDocument]) -> None:
    """docDefaults tag Latin runs en-US (zh) or en-GB (en) and East Asian runs zh-CN; the
    theme's East Asian language is Chinese, not the template's Japanese."""
    locale, out = rendered
    styles = part(out.docx, "word/styles.xml")
    latin = "en-US" if locale == "zh-CN" else "en-GB"
    defaults = styles[styles.index("<w:docDefaults>") : styles.index("</w:docDefaults>")]
    assert f'<w:lang w:val="{latin}" w:eastAsia="zh-CN"/>' in defaults
    assert 'w:val="zh-CN" w:eastAsia' not in defaults
    settings = part(out.docx, "word/settings.xml")
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings)
    assert ("<w:autoHyphenation/>" in settings) == (locale == "en")


def test_no_stale_parts(rendered: tuple[str, RenderedDocument]) -> None:
    """No customXml bibliography, no stale stylesWithEffects; app.xml names docflow only."""
    _, out = rendered
    names = zipfile.ZipFile(io.BytesIO(out.docx)).namelist()
    assert not [n for n in names if n.startswith("customXml") or "stylesWithEffects" in n]
    app = part(out.docx, "docProps/app.xml")
    assert "<Application>docflow</Application>" in app
    for stale in ("Microsoft", "<Pages>", "<Words>", "Normal.dotm"):
        assert stale not in app
    assert "customXml" not in part(out.docx, "word/_rels/document.xml.rels")
    assert "customXml" not in part(out.docx, "[Content_Types].xml")


def test_styles_are_the_ones_used(rendered: tuple[str, RenderedDocument]) -> None:
    """Only the styles the renderer uses are defined, with the annex label among them."""
    _, out = rendered
    styles = part(out.docx, "word/styles.xml")
    ids = re.findall(r'w:styleId="([^"]+)"', styles)
    assert "AnnexLabel" in ids and "TableText" in ids and "Heading1" in ids
    assert len(ids) < 25 and "<w:latentStyles" not in styles
    assert len(styles) < 20_000


def test_bullets_are_real_characters(rendered: tuple[str, RenderedDocument]) -> None:
    """Bullet levels print U+2022 and its kin in Times New Roman, not Symbol's U+F0B7."""
    _, out = rendered
    numbering = part(out.docx, "word/numbering.xml")
    bullets = re.findall(
        r'<w:numFmt w:val="bullet"/>(?:<w:pStyle [^>]*/>)?<w:lvlText w:val="(.)"', numbering
    )
    assert bullets and set(bullets) <= {"\u2022", "\u25e6", "\u25aa"}
    assert "\uf0b7" not in numbering and 'w:ascii="Symbol"' not in numbering


def test_no_automatic_cjk_latin_spacing(rendered: tuple[str, RenderedDocument]) -> None:
    """Word adds no gap between CJK and Latin text (the PDF has none either)."""
    _, out = rendered
    normal = re.search(r'w:styleId="Normal">(.*?)</w:style>', part(out.docx, "word/styles.xml"))
    assert normal is not None
    assert '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>' in normal.group(1)


def test_running_header_has_two_lines_and_a_rule(rendered: tuple[str, RenderedDocument]) -> None:
    """The Word header names number and title, then annex, contract number and version,
    above a rule (as the PDF's)."""
    import docx

    locale, out = rendered
    header = docx.Document(io.BytesIO(out.docx)).sections[0].header.paragraphs[0]
    first, second = header.text.split("\n")
    assert first.strip() == "HIS-2026/RM-1\u2003" + (
        "需求备忘录" if locale == "zh-CN" else "Requirement Memo"
    )
    detail = (
        "附件一 · 合同编号：HT-2026-017 · 第1版"
        if locale == "zh-CN"
        else "Annex 1 · Contract HT-2026-017 · Version 1"
    )
    assert second.endswith(detail)
    assert "<w:pBdr><w:bottom " in part(out.docx, "word/header1.xml")
    assert f'data-detail="{detail}"' in out.html


def test_kept_tokens_in_word(rendered: tuple[str, RenderedDocument]) -> None:
    """The contract number is one kept run: joiners after its hyphens, no proofing, and an
    East Asian language whose line breaker honours them."""
    _, out = rendered
    body = part(out.docx, "word/document.xml")
    run = re.search(
        r"<w:r><w:rPr>([^<]*(?:<(?!/w:rPr>)[^<]*)*)</w:rPr><w:t>HT-\u20602026-\u2060017", body
    )
    assert run is not None
    assert "<w:noProof/>" in run.group(1) and '<w:lang w:eastAsia="en-US"/>' in run.group(1)
