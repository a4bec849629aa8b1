"""Write the block tree back as clean HTML for WeasyPrint, inside the page frame.

The PDF is made from this HTML, not from the template's output, so that it holds exactly
what the DOCX holds: text escaped once, nothing outside the subset. The tree's typographic
marks become classes of style.css: ``df-keep`` (no line break inside), ``df-mono``,
``df-next`` (keep with the next block), ``df-label`` (an annex label) and ``df-whole`` (a
table kept on one page).
"""

from __future__ import annotations

from html import escape

from docflow.render.blocks import (
    Block,
    Cell,
    Document,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from docflow.render.frame import PageWords, running_head
from docflow.render.meta import DocMeta

__all__ = ["document_html"]


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _runs(runs: tuple[Run, ...]) -> str:
    out: list[str] = []
    for run in runs:
        if run.is_break:
            out.append("<br>")
            continue
        text = escape(run.text, quote=False)
        if run.keep:
            text = f'<span class="df-keep">{text}</span>'
        if run.mono:
            text = f'<span class="df-mono">{text}</span>'
        if run.underline:
            text = f"<u>{text}</u>"
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _classes(align: str | None, *flags: str | None) -> str:
    names = [name for name in (align, *flags) if name]
    return f' class="{" ".join(names)}"' if names else ""


def _paragraph(paragraph: Paragraph) -> str:
    classes = _classes(
        paragraph.align,
        "small" if paragraph.small else None,
        "df-next" if paragraph.keep_next else None,
        "df-label" if paragraph.label else None,
    )
    return f"<p{classes}>{_runs(paragraph.runs)}</p>"


def _list(block: ListBlock) -> str:
    tag = "ol" if block.ordered else "ul"
    items = "".join(
        f"<li>{_runs(item.runs)}{''.join(_list(child) for child in item.children)}</li>"
        for item in block.items
    )
    return f"<{tag}>{items}</{tag}>"


def _cell(cell: Cell) -> str:
    tag = "th" if cell.header else "td"
    attrs = ""
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.id:
        attrs += f' id="{_attr(cell.id)}"'
    attrs += _classes(cell.align)
    first = cell.paragraphs[0]
    plain = len(cell.paragraphs) == 1 and not (first.align or first.small or first.keep_next)
    body = _runs(cell.paragraphs[0].runs) if plain else "".join(map(_paragraph, cell.paragraphs))
    return f"<{tag}{attrs}>{body}</{tag}>"


def _table(table: Table) -> str:
    cols = "".join(f'<col style="width: {width}%">' for width in table.widths)
    head_count = 0
    while head_count < len(table.rows) and table.rows[head_count].header:
        head_count += 1
    rows = [
        ('<tr class="df-next">' if row.keep_next else "<tr>")
        + "".join(map(_cell, row.cells))
        + "</tr>"
        for row in table.rows
    ]
    head = f"<thead>{''.join(rows[:head_count])}</thead>" if head_count else ""
    body = f"<tbody>{''.join(rows[head_count:])}</tbody>" if head_count < len(rows) else ""
    kind = f"{table.kind} df-whole" if table.whole else table.kind
    return f'<table class="{kind}"><colgroup>{cols}</colgroup>{head}{body}</table>'


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}{_classes(block.align)}>{_runs(block.runs)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return _paragraph(block)
    if isinstance(block, ListBlock):
        return _list(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    raise TypeError(f"unknown block {type(block).__name__}")


def document_html(
    document: Document,
    meta: DocMeta,
    words: PageWords,
    letterhead: str,
    css: str,
    head: tuple[str, str] | None = None,
) -> str:
    """The complete HTML page WeasyPrint renders: metadata, frame strings, style and body.

    ``head`` replaces the two lines of the running header that :func:`running_head` gives.
    """
    issued = meta.issued_on.isoformat()
    title_line, detail_line = head or running_head(meta, document.title, words)
    frame = (
        f'<div class="df-frame" data-letterhead="{_attr(letterhead)}"'
        f' data-head="{_attr(title_line)}" data-detail="{_attr(detail_line)}"'
        # what stylesheets copied from earlier versions set their running header from
        f' data-number="{_attr(meta.number)}" data-title="{_attr(document.title)}"'
        f' data-page-before="{_attr(words.before)}" data-page-middle="{_attr(words.middle)}"'
        f' data-page-after="{_attr(words.after)}"></div>'
    )
    # </style> cannot occur inside CSS that comes from our own template folders, but a
    # workspace stylesheet is user input: keep it from closing the element early.
    css = css.replace("</", "<\\/")
    meta_head = (
        '<meta charset="utf-8">'
        f"<title>{escape(meta.number + ' ' + document.title, quote=False)}</title>"
        f'<meta name="dcterms.created" content="{issued}">'
        f'<meta name="dcterms.modified" content="{issued}">'
        f'<meta name="keywords" content="{_attr(meta.anchor_keyword)}">'
        f'<meta name="description" content="{_attr(meta.number)}">'
        f"<style>{css}</style>"
    )
    body = "\n".join(_block(block) for block in document.blocks)
    return (
        f'<!DOCTYPE html>\n<html lang="{_attr(meta.locale)}">\n<head>{meta_head}</head>\n'
        f"<body>{frame}\n{body}\n</body>\n</html>\n"
    )
