"""The HTML subset parser: what templates may write and the block tree it becomes."""

from __future__ import annotations

import pytest

from docflow.errors import TemplateError
from docflow.render.blocks import (
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Table,
    grid_positions,
)
from docflow.render.html import parse_html


def parse(body: str) -> tuple[object, ...]:
    """The blocks of a body fragment."""
    html = f"<!DOCTYPE html><html lang='en'><head><title>T</title></head><body>{body}</body></html>"
    return parse_html(html, "t.html.j2", "default").blocks


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param('<img src="file:///etc/passwd">', "not part of", id="img"),
        pytest.param("<script>alert(1)</script>", "not part of", id="script"),
        pytest.param("<style>p{}</style>", "not part of", id="style"),
        pytest.param("<a href='x'>x</a>", "not part of", id="link"),
        pytest.param("<b>x</b>", "not part of", id="b-not-strong"),
        pytest.param('<p style="color:red">x</p>', "attribute 'style'", id="style-attr"),
        pytest.param('<p class="fancy">x</p>', "class 'fancy'", id="unknown-class"),
        pytest.param('<table class="fancy"><tr><td>x</td></tr></table>', "class", id="table-kind"),
        pytest.param("<p>x", "while <p> is open", id="unclosed"),
        pytest.param("<p>x</li>", "unexpected </li>", id="mismatched"),
        pytest.param("loose text", "outside a paragraph", id="loose-text"),
        pytest.param("<div>x</div>", "page-break", id="plain-div"),
        pytest.param("<p><p>x</p></p>", "inside a paragraph", id="nested-p"),
        pytest.param("<li>x</li>", "outside <ul>", id="bare-li"),
        pytest.param(
            "<ul><li>a<ul><li>b</li></ul>c</li></ul>", "after a nested list", id="li-tail"
        ),
        pytest.param(
            "<table><tr><td><ul><li>x</li></ul></td></tr></table>", "table", id="list-in-cell"
        ),
        pytest.param(
            "<table><tr><td id='sig-client'>x</td></tr></table>", "id is only", id="sig-id"
        ),
        pytest.param("<table><tr><td colspan='0'>x</td></tr></table>", "colspan", id="colspan-0"),
        pytest.param(
            '<table><colgroup><col style="width: 50%"></colgroup><tr><td>a</td><td>b</td></tr>'
            "</table>",
            "2 columns but 1",
            id="widths-count",
        ),
        pytest.param("<table></table>", "at least one row", id="empty-table"),
        pytest.param("<p><h2>x</h2></p>", "inside a paragraph", id="heading-in-p"),
    ],
)
def test_rejects_outside_the_subset(body: str, message: str) -> None:
    """Anything outside the subset is a TemplateError that says what and where."""
    with pytest.raises(TemplateError, match=message) as caught:
        parse(body)
    assert caught.value.template == "t.html.j2"
    assert "line 1 of the rendered HTML" in str(caught.value)


def test_paragraph_runs_and_whitespace() -> None:
    """Whitespace collapses as in HTML; emphasis and line breaks become runs."""
    (paragraph,) = parse(
        '<p class="center">\n  Hello   <strong>big <em>new</em></strong>\n <u>world</u> <br>\n'
        "  next\u3000line  </p>"
    )
    assert paragraph == Paragraph(
        (
            Run("Hello "),
            Run("big ", bold=True),
            Run("new", bold=True, italic=True),
            Run(" "),
            Run("world", underline=True),
            Run("\n"),
            Run("next\u3000line"),
        ),
        align="center",
    )


def test_headings_lists_and_page_break() -> None:
    """Headings keep their level; lists nest; a page break is its own block."""
    blocks = parse(
        "<h2>Title</h2><ol><li>one<ul><li>a</li></ul></li><li>two</li></ol>"
        '<div class="page-break"></div><h3 class="right">End</h3>'
    )
    assert blocks[0] == Heading(2, (Run("Title"),))
    lst = blocks[1]
    assert isinstance(lst, ListBlock) and lst.ordered
    assert [item.runs for item in lst.items] == [(Run("one"),), (Run("two"),)]
    assert lst.items[0].children[0].items[0].runs == (Run("a"),)
    assert not lst.items[0].children[0].ordered
    assert blocks[2] == PageBreak()
    assert blocks[3] == Heading(3, (Run("End"),), "right")


def test_table_structure() -> None:
    """Header rows, spans, widths (normalized to 100) and cell paragraphs are kept."""
    (table,) = parse(
        '<table class="kv"><colgroup><col style="width: 1%"><col style="width: 3%">'
        "<col style='width: 4%'></colgroup>"
        "<thead><tr><th colspan='2'>h</th><th>i</th></tr></thead>"
        "<tbody><tr><td rowspan='2'>a</td><td>b<p>c</p>d</td><td class='right'>e</td></tr>"
        "<tr><td>f<br>g</td><td></td></tr></tbody></table>"
    )
    assert isinstance(table, Table)
    assert table.kind == "kv"
    assert table.widths == (12.5, 37.5, 50.0)
    assert [row.header for row in table.rows] == [True, False, False]
    assert table.rows[0].cells[0].colspan == 2 and table.rows[0].cells[0].header
    assert [p.text for p in table.rows[1].cells[1].paragraphs] == ["b", "c", "d"]
    assert table.rows[1].cells[2].align == "right"
    assert table.rows[2].cells[0].paragraphs[0].text == "f\ng"
    assert table.rows[2].cells[1].paragraphs == (Paragraph(()),)
    assert grid_positions(table) == [[0, 2], [0, 1, 2], [1, 2]]


def test_title_from_head_or_default() -> None:
    """The running-header title is <title>, else the given default."""
    html = "<html><head><title> Own  title </title></head><body></body></html>"
    assert parse_html(html, "t", "d").title == "Own title"
    assert parse_html("<html><head></head><body></body></html>", "t", "d").title == "d"


def test_control_characters_dropped() -> None:
    """Characters a DOCX cannot hold are dropped, from both outputs alike."""
    (paragraph,) = parse("<p>a\x00b\x08c</p>")
    assert paragraph.text == "abc"


def test_rowspan_widens_the_grid() -> None:
    """Cells pushed right by a rowspan from above count as columns of their own."""
    (table,) = parse(
        "<table><tr><td rowspan='2'>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>"
    )
    assert isinstance(table, Table)
    assert len(table.widths) == 3
    assert grid_positions(table) == [[0, 1], [1, 2]]
