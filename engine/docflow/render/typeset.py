"""The shared text path: typographic rules applied to the block tree before either renderer.

Data and templates both pass through here, so the PDF and the DOCX get the same text:

- Chinese documents: no ASCII space between a CJK character and a Latin letter, digit or
  sign ("后 4 小时" -> "后4小时", "共 12 个月" -> "共12个月"); a space between two CJK
  characters ("门诊部 孙丽") or between Latin words stays. Neither file adds a gap of its own
  (the DOCX turns Word's and LibreOffice's automatic CJK/Latin spacing off), so both read
  "2026年4月7日" and a justified line never stretches a lone space.
- One currency notation per document, the money filter's: ¥1,200.00 in Chinese (also for
  "人民币 1,200.00 元", CNY, RMB, ￥), CNY 1,200.00 in English (also for CN¥, RMB, ￥).
- English: straight quotes and apostrophes become typographic ones (“ ” ‘ ’), except
  after "=" (an attribute-like value stays as written).
- A kept token wider than the line it stands in (a hostile 300-character address) may
  break after all: nothing runs off the page.
- Tokens that must not break across lines become ``keep`` runs (see :mod:`tokens`); in a
  short table entry, so do its comma-separated phrases ("Outpatient Department, Laura Sun",
  "院办、信息科"), so that a name or a department is not split over two lines.
- A paragraph that leads into a table or list keeps with it; the bold line above an
  annex's title is its label; short tables stay on one page; column widths fit their
  content (see :mod:`widths`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from docflow.render.blocks import (
    Block,
    Cell,
    Document,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Row,
    Run,
    Table,
)
from docflow.render.tokens import CJK, keep_spans, phrase_spans
from docflow.render.widths import (
    BODY_PT,
    HEADING_PT,
    LIST_ROOM_MM,
    TD_PT,
    TEXT_WIDTH_MM,
    cell_rooms,
    fit_table,
    loosen,
    text_width_mm,
)

__all__ = ["WHOLE_TABLE_ROWS", "typeset", "typeset_runs"]

WHOLE_TABLE_ROWS = 6  # tables up to this many rows are not split across pages
_LABEL_CHARS = 30

_CJK_SPACE = re.compile(f"(?<=[{CJK}]) (?=[^\\s{CJK}])|(?<=[^\\s{CJK}]) (?=[{CJK}])")
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CURRENCY: dict[bool, tuple[tuple[re.Pattern[str], str], ...]] = {
    True: (
        (re.compile(f"人民币 ?({_NUMBER}) ?元(?!整)"), "¥\\1"),
        (re.compile(r"(?:CNY|RMB|CN¥|RMB¥|￥) ?(?=\d)"), "¥"),
    ),
    False: ((re.compile(r"(?:CN¥|RMB¥|RMB|￥) ?(?=\d)"), "CNY "),),
}
_OPEN_BEFORE = set(" \t\n\u00a0\u3000([{“‘—–-/（「『《【")
_CLOSE_AFTER = set(" \t\n\u00a0\u3000)]}.,;:!?”’—–，。、；：？！）」』》】")


def _edit(
    text: str, styles: list[int], pattern: re.Pattern[str], repl: str
) -> tuple[str, list[int]]:
    """``pattern.sub(repl, text)`` keeping each character's run: a replacement takes the
    run of the first character it replaces."""
    parts: list[str] = []
    marks: list[int] = []
    pos = 0
    for match in pattern.finditer(text):
        parts.append(text[pos : match.start()])
        marks.extend(styles[pos : match.start()])
        new = match.expand(repl)
        parts.append(new)
        marks.extend([styles[min(match.start(), len(styles) - 1)]] * len(new))
        pos = match.end()
    if pos == 0:
        return text, styles
    parts.append(text[pos:])
    marks.extend(styles[pos:])
    return "".join(parts), marks


def _quotes(text: str) -> str:
    """Typographic quotes by context; between two letters a double quote alternates. A value
    quoted after "=" (attribute-like, as in code) keeps its straight quotes."""
    chars = list(text)
    open_double = False
    verbatim = ""  # the quote that closes a value opened after "="
    for i, char in enumerate(chars):
        if char not in "\"'":
            continue
        prev = chars[i - 1] if i else " "
        if char == verbatim:
            verbatim = ""
            continue
        if prev == "=":
            verbatim = char
            continue
        nxt = chars[i + 1] if i + 1 < len(chars) else " "
        if char == "'":
            opening = prev in _OPEN_BEFORE and nxt not in _CLOSE_AFTER
            chars[i] = "‘" if opening else "’"
            continue
        if prev in _OPEN_BEFORE and nxt not in _CLOSE_AFTER:
            opening = True
        elif nxt in _CLOSE_AFTER:
            opening = False
        else:
            opening = not open_double
        open_double = opening
        chars[i] = "“" if opening else "”"
    return "".join(chars)


def _styles(runs: tuple[Run, ...]) -> list[int]:
    """For each character of the runs' text, the index of its run."""
    styles: list[int] = []
    for index, run in enumerate(runs):
        styles.extend([index] * len(run.text))
    return styles


def typeset_runs(
    runs: tuple[Run, ...], locale: str | None, in_cell: bool = False
) -> tuple[Run, ...]:
    """The runs after the text rules of ``locale`` (see the module docstring); in a table
    cell, a Chinese line's last two ideographs stay together as well."""
    if not runs:
        return runs
    zh = bool(locale) and str(locale).startswith("zh")
    text = original = "".join(run.text for run in runs)
    styles: list[int] | None = None
    edits = [(_CJK_SPACE, "")] if zh else []
    for pattern, repl in [*edits, *_CURRENCY[zh]]:
        if pattern.search(text):
            styles = styles if styles is not None else _styles(runs)
            text, styles = _edit(text, styles, pattern, repl)
    if str(locale or "").startswith("en") and ('"' in text or "'" in text):
        text = _quotes(text)
    spans = keep_spans(text, cjk_lines=zh and in_cell)
    if not spans and text == original:
        return runs  # nothing to change: the common case, kept cheap
    return _rebuild(runs, text, styles if styles is not None else _styles(runs), spans)


def _rebuild(
    runs: tuple[Run, ...], text: str, styles: list[int], spans: Sequence[tuple[int, int]]
) -> tuple[Run, ...]:
    """Runs of ``text`` (each character from run ``styles[i]``), kept where ``spans`` say."""
    keep = [runs[index].keep for index in styles]
    for start, end in spans:
        keep[start:end] = [True] * (end - start)
    out: list[Run] = []
    start = 0
    for pos in range(1, len(text) + 1):
        if pos < len(text) and styles[pos] == styles[start] and keep[pos] == keep[start]:
            continue
        r = runs[styles[start]]
        piece = text[start:pos]
        out.append(
            r if r.is_break else Run(piece, r.bold, r.italic, r.underline, keep[start], r.mono)
        )
        start = pos
    return tuple(out)


def keep_phrases(runs: tuple[Run, ...], locale: str | None, room_mm: float) -> tuple[Run, ...]:
    """Keep each phrase of a short table entry on one line when it fits ``room_mm``."""
    text = "".join(run.text for run in runs)
    zh = bool(locale) and str(locale).startswith("zh")
    spans = [
        (start, end)
        for start, end in phrase_spans(text, zh)
        if text_width_mm(text[start:end], TD_PT, zh=zh) <= room_mm
    ]
    return _rebuild(runs, text, _styles(runs), spans) if spans else runs


def _with_runs(p: Paragraph, runs: tuple[Run, ...]) -> Paragraph:
    """The paragraph with other runs (the same object when they are the same)."""
    return p if runs is p.runs else Paragraph(runs, p.align, p.small, p.keep_next, p.label)


def _paragraph(paragraph: Paragraph, locale: str | None, in_cell: bool = False) -> Paragraph:
    return _with_runs(paragraph, typeset_runs(paragraph.runs, locale, in_cell))


def _cell(cell: Cell, edit: Callable[[Paragraph], Paragraph]) -> Cell:
    """The cell with ``edit`` applied to each paragraph; the same object when nothing changed."""
    paragraphs = tuple(edit(p) for p in cell.paragraphs)
    if all(new is old for new, old in zip(paragraphs, cell.paragraphs, strict=True)):
        return cell
    return Cell(paragraphs, cell.colspan, cell.rowspan, cell.header, cell.align, cell.id)


def _rows(
    rows: tuple[Row, ...], edit: Callable[[Cell, float], Cell], rooms: list[list[float]]
) -> tuple[Row, ...]:
    out = []
    for row, row_rooms in zip(rows, rooms, strict=True):
        cells = tuple(edit(cell, room) for cell, room in zip(row.cells, row_rooms, strict=True))
        changed = any(new is not old for new, old in zip(cells, row.cells, strict=True))
        out.append(Row(cells, row.header, row.keep_next) if changed else row)
    return tuple(out)


def _item(item: ListItem, locale: str | None) -> ListItem:
    runs = loosen(typeset_runs(item.runs, locale), LIST_ROOM_MM, BODY_PT, locale)
    return ListItem(runs, tuple(_list(child, locale) for child in item.children))


def _list(block: ListBlock, locale: str | None) -> ListBlock:
    return ListBlock(block.ordered, tuple(_item(item, locale) for item in block.items))


def _table(table: Table, locale: str | None) -> Table:
    no_rooms = [[0.0] * len(row.cells) for row in table.rows]
    rows = _rows(
        table.rows, lambda cell, _: _cell(cell, lambda p: _paragraph(p, locale, True)), no_rooms
    )
    table = replace(table, rows=rows, whole=table.whole or len(rows) <= WHOLE_TABLE_ROWS)
    if table.kind == "signatures":
        return table
    table = fit_table(table, locale)

    def phrases(cell: Cell, room: float) -> Cell:
        if cell.header:
            return cell

        return _cell(cell, lambda p: _with_runs(p, keep_phrases(p.runs, locale, room)))

    return replace(table, rows=_rows(table.rows, phrases, cell_rooms(table)))


def _is_label(paragraph: Paragraph) -> bool:
    """A short line set wholly in bold (the annex label above a title)."""
    runs = [run for run in paragraph.runs if not run.is_break]
    text = "".join(run.text for run in runs)
    return bool(runs) and all(run.bold for run in runs) and len(text) <= _LABEL_CHARS


def typeset(document: Document, locale: str | None) -> Document:
    """The document after the text rules, keeps and column widths of the module docstring."""
    blocks = document.blocks
    titled = [
        i for i, block in enumerate(blocks) if isinstance(block, Heading) and block.level == 1
    ]
    title_at = titled[0] if titled else -1
    out: list[Block] = []
    handlers: dict[type, Callable[..., Block]] = {
        Heading: lambda b: replace(
            b, runs=loosen(typeset_runs(b.runs, locale), TEXT_WIDTH_MM, HEADING_PT, locale)
        ),
        ListBlock: lambda b: _list(b, locale),
        Table: lambda b: _table(b, locale),
    }
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, Paragraph):
            paragraph = _paragraph(block, locale)
            paragraph = _with_runs(
                paragraph, loosen(paragraph.runs, TEXT_WIDTH_MM, BODY_PT, locale)
            )
            if index < title_at and _is_label(paragraph):
                runs = tuple(replace(run, bold=False) for run in paragraph.runs)
                paragraph = replace(paragraph, runs=runs, label=True)
            if isinstance(following, Table | ListBlock):
                paragraph = replace(paragraph, keep_next=True)
            out.append(paragraph)
        elif type(block) in handlers:
            out.append(handlers[type(block)](block))
        else:
            out.append(block)
    return replace(document, blocks=tuple(out))
