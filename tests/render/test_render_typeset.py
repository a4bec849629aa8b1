"""The shared text rules: kept tokens, CJK spacing, currency, quotes, widths and page keeps."""

from __future__ import annotations

import pytest

from docflow.render.blocks import Cell, Document, Heading, Paragraph, Row, Run, Table
from docflow.render.docxbody import kept_text
from docflow.render.html import parse_html
from docflow.render.tokens import keep_spans, phrase_spans
from docflow.render.typeset import typeset, typeset_runs
from docflow.render.widths import TEXT_WIDTH_MM, fit_table, text_width_mm


def kept(text: str, cjk_lines: bool = False) -> list[str]:
    return [text[a:b] for a, b in keep_spans(text, cjk_lines=cjk_lines)]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        pytest.param("合同编号：JZDY-XX-2026-017完成", ["JZDY-XX-2026-017"], id="contract-code"),
        pytest.param("编号HIS-2026/RM-1。", ["HIS-2026/RM-1。"], id="doc-number-with-stop"),
        pytest.param("于2026年9月25日通过", ["2026年9月25日"], id="zh-date"),
        pytest.param("需求调研2026年4月", ["2026年4月"], id="zh-month"),
        pytest.param("on 6 December 2026, the", ["6 December 2026,"], id="en-date-comma"),
        pytest.param("from 2026-10-10 on", ["2026-10-10"], id="iso-date"),
        pytest.param("邮箱zhaoting@qihang-med.cn，电话", ["zhaoting@qihang-med.cn，"], id="email"),
        pytest.param("电话：0571-8801 2301 后", ["0571-8801 2301"], id="zh-phone"),
        pytest.param("call +86 138 0571 6622 now", ["+86 138 0571 6622"], id="intl-phone"),
        pytest.param("热线400-826-6600", ["400-826-6600"], id="hotline"),
        pytest.param("费用为¥96,000.00（大写", ["¥96,000.00"], id="yuan-sign"),
        pytest.param("of CNY 120,050.00 within", ["CNY 120,050.00"], id="iso-currency"),
        pytest.param("支付尾款120,050.00元。", ["120,050.00元。"], id="yuan-after"),
        pytest.param("支付50%，维护", ["50%，"], id="percent"),
        pytest.param("（工作日8:00-18:00）", ["8:00-18:00）"], id="time-range"),
        pytest.param("(RCH-IT-2026-017) between", ["(RCH-IT-2026-017)"], id="bracketed"),
        pytest.param("(No. RCH-IT-2026-017).", ["(No. RCH-IT-2026-017)"], id="number-sign"),
        pytest.param("version v2.0.1 ships", ["v2.0.1"], id="version"),
        pytest.param("Non-functional Wi-Fi and/or e-mail", [], id="english-compounds"),
        pytest.param("No digits, no codes here.", [], id="plain-text"),
    ],
)
def test_tokens_found_in_text(text: str, tokens: list[str]) -> None:
    """Codes, dates, amounts, e-mail and phone numbers are kept, with their punctuation."""
    assert kept(text) == tokens


def test_last_two_ideographs_of_a_cell_line() -> None:
    """In a Chinese cell no single character is left alone: the last two stay together."""
    assert kept("行政楼三楼第一会议室", cjk_lines=True) == ["议室"]
    assert kept("门诊挂号与预约\n支持退号与改约。", cjk_lines=True) == ["预约", "改约。"]
    assert kept("行政楼三楼第一会议室", cjk_lines=False) == []


@pytest.mark.parametrize(
    ("text", "zh", "phrases"),
    [
        pytest.param(
            "Outpatient Department, Laura Sun", False, ["Outpatient Department", "Laura Sun"]
        ),
        pytest.param("院办、信息科", True, ["院办", "信息科"]),
        pytest.param("A long description of many words, which is not a list of names", False, []),
    ],
)
def test_phrases_of_short_entries(text: str, zh: bool, phrases: list[str]) -> None:
    """A short table entry's comma-separated phrases are kept whole (a long text is not)."""
    assert [text[a:b] for a, b in phrase_spans(text, zh)] == phrases


@pytest.mark.parametrize(
    ("text", "locale", "printed"),
    [
        pytest.param(
            "乙方在接到报告后 4 小时内响应", "zh-CN", "乙方在接到报告后4小时内响应", id="number"
        ),
        pytest.param("支付 50%，共 12 个月", "zh-CN", "支付50%，共12个月", id="percent"),
        pytest.param("现有 PACS 系统", "zh-CN", "现有PACS系统", id="latin-word"),
        pytest.param("全部 “必须” 级需求", "zh-CN", "全部“必须”级需求", id="quotes"),
        pytest.param("门诊部 孙丽", "zh-CN", "门诊部 孙丽", id="between-cjk-kept"),
        pytest.param("0571-8801 2301", "zh-CN", "0571-8801 2301", id="between-digits-kept"),
        pytest.param("Room 12 in 江州", "en", "Room 12 in 江州", id="english-untouched"),
    ],
)
def test_no_space_between_cjk_and_latin(text: str, locale: str, printed: str) -> None:
    """Chinese text loses the ASCII space beside Latin letters and digits, nowhere else."""
    runs = typeset_runs((Run(text),), locale)
    assert "".join(run.text for run in runs) == printed


def test_space_across_runs_is_removed_keeping_emphasis() -> None:
    """A space at a run boundary goes too; each piece keeps its own emphasis."""
    runs = typeset_runs((Run("支付 "), Run("50%", bold=True), Run(" 首付款")), "zh-CN")
    assert "".join(run.text for run in runs) == "支付50%首付款"
    assert [run.text for run in runs if run.bold] == ["50%"]


@pytest.mark.parametrize(
    ("text", "locale", "printed"),
    [
        pytest.param("尾款人民币 120,050.00 元。", "zh-CN", "尾款¥120,050.00。", id="renminbi"),
        pytest.param("按每次人民币 800 元计费", "zh-CN", "按每次¥800计费", id="renminbi-int"),
        pytest.param("合计CNY 1,500", "zh-CN", "合计¥1,500", id="zh-iso"),
        pytest.param(
            "人民币壹佰贰拾万零伍佰元整", "zh-CN", "人民币壹佰贰拾万零伍佰元整", id="words"
        ),
        pytest.param("of CN¥1,200,500.00 in", "en", "of CNY 1,200,500.00 in", id="en-cn-yen"),
        pytest.param("at RMB 800 per visit", "en", "at CNY 800 per visit", id="en-rmb"),
        pytest.param("at USD 800 per visit", "en", "at USD 800 per visit", id="en-other"),
    ],
)
def test_one_currency_notation(text: str, locale: str, printed: str) -> None:
    """Amounts print in the money filter's notation of the document's language."""
    assert "".join(run.text for run in typeset_runs((Run(text),), locale)) == printed


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ('"Must" requirements', "“Must” requirements"),
        ("the Client's office", "the Client’s office"),
        ("'quoted' word", "‘quoted’ word"),
        ('src="x"', 'src="x"'),
    ],
)
def test_english_quotes(text: str, printed: str) -> None:
    """English quotes and apostrophes are typographic; an attribute-like value is not."""
    assert "".join(run.text for run in typeset_runs((Run(text),), "en")) == printed


def test_kept_text_in_word() -> None:
    """Word and LibreOffice keep a token whole: no-break spaces, joiners where lines break."""
    assert kept_text("JZDY-XX-2026-017") == "JZDY-\u2060XX-\u20602026-\u2060017"
    assert kept_text("6 December 2026") == "6\u00a0December\u00a02026"
    assert kept_text("2026年12月6日") == "2026\u2060年\u206012\u2060月\u20606\u2060日"
    assert kept_text("¥1,200.00") == "¥1,200.00"


def _grid(widths: tuple[float, ...], *rows: tuple[str, ...]) -> Table:
    return Table(
        "grid",
        widths,
        tuple(Row(tuple(Cell((Paragraph((Run(text),)),)) for text in row)) for row in rows),
    )


def test_narrow_column_widened_to_its_longest_word() -> None:
    """A 10% column holding "Representative" is widened; the room comes from a wide one."""
    table = _grid(
        (10.0, 90.0),
        ("Representative", "A long description that can wrap anywhere between its words."),
    )
    fitted = fit_table(table, "en")
    need = text_width_mm("Representative", 9.5) + 4.2
    assert fitted.widths[0] * TEXT_WIDTH_MM / 100 >= need - 0.01
    assert sum(fitted.widths) == pytest.approx(100, abs=0.01)


def test_token_too_wide_for_any_column_may_break() -> None:
    """When the page cannot hold a token in its column, it loses its keep (and wraps)."""
    token = "x" * 60 + "@example.com"
    table = typeset(Document("t", (_grid((50.0, 50.0), (token, token)),)), "en").blocks[0]
    assert isinstance(table, Table)
    assert not any(
        run.keep for row in table.rows for cell in row.cells for run in cell.paragraphs[0].runs
    )


def test_page_keeps_and_label() -> None:
    """A paragraph before a table keeps with it, a short table stays whole, the bold line
    above the title is the annex label (bold by its style, not by its runs)."""
    page = (
        '<!DOCTYPE html><html lang="zh-CN"><head><title>T</title></head><body>'
        "<p><strong>附件一</strong></p><h1>需求备忘录</h1><p>说明如下：</p>"
        '<table class="kv"><colgroup><col style="width: 30%"><col style="width: 70%"></colgroup>'
        "<tbody><tr><th>进度</th><td>延期10日</td></tr><tr><th>费用</th><td>增加</td></tr>"
        "</tbody></table><p>完。</p></body></html>"
    )
    blocks = parse_html(page, "t", "T").blocks
    label, title, lead, table, last = blocks
    assert isinstance(label, Paragraph) and label.label and not label.runs[0].bold
    assert isinstance(title, Heading)
    assert isinstance(lead, Paragraph) and lead.keep_next and not label.keep_next
    assert isinstance(table, Table) and table.whole
    assert isinstance(last, Paragraph) and not last.keep_next


def test_token_wider_than_the_page_may_break() -> None:
    """A hostile address longer than a line is not kept (it would run off the page)."""
    address = "a" * 300 + "@example.com"
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
        f"<p>Write to {address} or to b@example.com today.</p></body></html>"
    )
    paragraph = parse_html(page, "t", "T").blocks[0]
    assert isinstance(paragraph, Paragraph)
    kept_runs = [run.text for run in paragraph.runs if run.keep]
    assert kept_runs == ["b@example.com"]


@pytest.mark.parametrize(
    "word", ["department", "inpatient", "building", "Representative", "Delivered"]
)
def test_latin_words_in_a_chinese_table_are_measured_at_least_as_wide_as_printed(
    word: str,
) -> None:
    """In a zh-CN document Latin letters are set in Noto Serif CJK SC, wider than Liberation
    Serif: the estimate that sizes a column must not fall short of the printed word (a short
    estimate broke "departmen/t" in a narrow column)."""
    import subprocess

    from fontTools.ttLib import TTCollection

    found = subprocess.run(
        ["fc-match", "-f", "%{file}|%{index}", "Noto Serif CJK SC:style=Regular"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path, index = found.split("|")
    face = TTCollection(path).fonts[int(index)]
    cmap, advances, upm = face.getBestCmap(), face["hmtx"], face["head"].unitsPerEm
    printed_em = sum(advances[cmap[ord(c)]][0] for c in word) / upm
    printed_mm = printed_em * 9.5 * 25.4 / 72
    assert text_width_mm(word, 9.5, zh=True) >= printed_mm
