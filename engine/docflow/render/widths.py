"""Column widths that fit what a column holds: no word, code or date cut for want of room.

A template gives each column a share of the text width. A share can be too narrow for the
longest word it must hold ("Priority" in a 10% column), and a cut word reads as two. Before
either renderer lays out a table, each column is widened to its longest unbreakable piece of
text (a word, a kept token, a single ideograph) and, room permitting, to its short entries
(a department name, a status) so that they stay on one line; the room comes from columns
with more than they need. Both files get the same widths.

Widths are estimated from the advance widths of Liberation Serif Bold and Liberation Sans
Bold, which have the metrics of Times New Roman and Arial (the fonts the DOCX names), so the
estimate holds for the PDF, Word and LibreOffice alike; ideographs are one em wide, and the
Latin letters of a Chinese document (set in the CJK face in the PDF) a tenth wider.
"""

from __future__ import annotations

import re
from dataclasses import replace

from docflow.render.blocks import Cell, Paragraph, Row, Run, Table, grid_positions
from docflow.render.tokens import CJK, CJK_CHAR, phrase_spans

__all__ = [
    "BODY_PT",
    "HEADING_PT",
    "LIST_ROOM_MM",
    "TD_PT",
    "TEXT_WIDTH_MM",
    "cell_rooms",
    "fit_table",
    "loosen",
    "text_width_mm",
]

TEXT_WIDTH_MM = 160.0  # A4 less the 30 mm and 20 mm side margins of style.css and frame.docx
_PAD_MM = 4.2  # cell padding (1.8 mm each side), rules and a little air
_PT_MM = 25.4 / 72
TD_PT = 9.5
BODY_PT = 10.5
HEADING_PT = 18.0  # the largest (h1): a heading's kept run is measured at this size
LIST_ROOM_MM = TEXT_WIDTH_MM - 7.0  # list items are indented 7 mm
_SMALL_PT, _TH_PT = 9.0, 9.5
_SHORT_MM = 30.0  # entries up to this wide are kept on one line when there is room
# Advance widths of ASCII 32-126 in thousandths of an em.
_SERIF_BOLD = (
    "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 "
    "500 500 500 500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 "
    "667 944 722 778 611 778 722 556 667 722 722 1000 722 722 667 333 278 333 581 500 333 500 "
    "556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 "
    "500 500 444 394 220 394 520"
)
_SANS_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 "
    "611 833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 "
    "611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 "
    "556 556 500 389 280 389 584"
)
_TABLES = {
    False: tuple(int(w) for w in _SERIF_BOLD.split()),
    True: tuple(int(w) for w in _SANS_BOLD.split()),
}


# Noto CJK's Latin letters against Liberation's, the widest word measured (fontTools advance
# widths of department, inpatient, building, Priority, Delivered, Representative...): Noto Serif
# CJK SC against Liberation Serif Bold up to 1.165, Noto Sans CJK SC Bold against Liberation
# Sans Bold up to 1.091.
_CJK_LATIN = {False: 1.17, True: 1.12}
_CLOSING = "，。、；：？！）」』》〉】〕,.;:?!)]”’%"
# Where a line may break: after a space or hyphen, before and after an ideograph (a closing
# mark stays with what it closes).
_UNIT = re.compile(f"[{CJK}][{_CLOSING}]*|[^\\s{CJK}-]+-?|-")


class _Ems(dict[str, float]):
    """Advance widths in em by character, filled in as characters are met."""

    def __init__(self, sans: bool, zh: bool) -> None:
        super().__init__()
        self.sans = sans
        self.latin = _CJK_LATIN[sans] if zh else 1.0

    def __missing__(self, char: str) -> float:
        code = ord(char)
        if 32 <= code <= 126:
            width = _TABLES[self.sans][code - 32] / 1000 * self.latin
        elif code == 0xA0:
            width = 0.25
        elif CJK_CHAR.match(char):
            width = 1.0
        else:
            width = 0.75
        self[char] = width
        return width


_EMS = {(sans, zh): _Ems(sans, zh) for sans in (False, True) for zh in (False, True)}


def text_width_mm(text: str, size_pt: float, sans: bool = False, zh: bool = False) -> float:
    """The estimated width of ``text`` set in one line at ``size_pt`` (``zh``: in a Chinese
    document)."""
    return sum(map(_EMS[sans, zh].__getitem__, text)) * size_pt * _PT_MM


def _pieces(runs: tuple[Run, ...], size: float, sans: bool, zh: bool) -> tuple[float, float]:
    """The widest unbreakable piece of a paragraph and its widest kept run, in mm."""
    widest = kept = 0.0
    for run in runs:
        if run.is_break or not run.text:
            continue
        ems = _EMS[sans or run.bold, zh]
        if run.keep:
            kept = max(kept, sum(map(ems.__getitem__, run.text)))
            continue
        for unit in _UNIT.findall(run.text):
            if len(unit) > widest:  # no character is wider than one em
                widest = max(widest, sum(map(ems.__getitem__, unit)))
    scale = size * _PT_MM
    return max(widest, kept) * scale, kept * scale


def _size(cell: Cell, paragraph: Paragraph) -> float:
    return _TH_PT if cell.header else _SMALL_PT if paragraph.small else TD_PT


def _needs(cell: Cell, zh: bool) -> tuple[float, float, float]:
    """What a cell needs (its widest piece) and wants (its short lines and phrases each on
    one line), and its widest kept run, in mm."""
    hard = soft = kept = 0.0
    for paragraph in cell.paragraphs:
        size = _size(cell, paragraph)
        widest, widest_kept = _pieces(paragraph.runs, size, cell.header, zh)
        hard, kept = max(hard, widest), max(kept, widest_kept)
        text = "".join(run.text for run in paragraph.runs)
        if len(text) * size * _PT_MM * 0.25 > _SHORT_MM * 4:
            continue  # too long for any line or phrase of it to be short
        shorts = [text_width_mm(line, size, cell.header, zh) for line in text.split("\n")]
        shorts += [text_width_mm(text[a:b], size, zh=zh) for a, b in phrase_spans(text, zh)]
        soft = max([soft, *(w for w in shorts if w <= _SHORT_MM)])
    return hard + _PAD_MM, soft + _PAD_MM, kept


def _raise(widths: list[float], target: list[float], floor: list[float]) -> list[float]:
    """Widen columns below ``target`` with room taken from those above ``floor``."""
    need = sum(max(0.0, t - w) for w, t in zip(widths, target, strict=True))
    slack = [max(0.0, w - max(f, t)) for w, f, t in zip(widths, floor, target, strict=True)]
    room = sum(slack)
    if need <= 0.01 or room <= 0.01:
        return widths
    share = min(1.0, room / need)
    taken = need * share / room
    return [
        w + (t - w) * share if t > w else w - s * taken
        for w, t, s in zip(widths, target, slack, strict=True)
    ]


def fit_table(table: Table, locale: str | None = None) -> Table:
    """The table with widths that fit its columns' content, as far as the text width allows.

    A kept run (a token) that still does not fit its cell may break after all.
    """
    zh = bool(locale) and str(locale).startswith("zh")
    columns = len(table.widths)
    if columns < 2:
        return table
    starts = grid_positions(table)
    hard = [0.0] * columns
    soft = [0.0] * columns
    kept = 0.0
    for row, row_starts in zip(table.rows, starts, strict=True):
        for cell, start in zip(row.cells, row_starts, strict=True):
            need, want, widest_kept = _needs(cell, zh)
            kept = max(kept, widest_kept)
            if cell.colspan == 1 and start < columns:
                hard[start] = max(hard[start], need)
                soft[start] = max(soft[start], want)
    widths = [pct * TEXT_WIDTH_MM / 100 for pct in table.widths]
    widths = _raise(widths, hard, hard)
    wants = [max(h, s) for h, s in zip(hard, soft, strict=True)]
    widths = _raise(widths, wants, wants)
    total = sum(widths)
    fitted = tuple(round(w * 100 / total, 3) for w in widths)
    if kept <= min(fitted) * TEXT_WIDTH_MM / 100 - _PAD_MM:
        return replace(table, widths=fitted)  # every kept run fits any column
    rows = tuple(
        _loosen(row, row_starts, fitted, zh)
        for row, row_starts in zip(table.rows, starts, strict=True)
    )
    return replace(table, widths=fitted, rows=rows)


def cell_rooms(table: Table) -> list[list[float]]:
    """The width in mm each cell has for its text, row by row."""
    starts = grid_positions(table)
    return [
        [
            sum(table.widths[start : start + cell.colspan]) * TEXT_WIDTH_MM / 100 - _PAD_MM
            for cell, start in zip(row.cells, row_starts, strict=True)
        ]
        for row, row_starts in zip(table.rows, starts, strict=True)
    ]


def _loosen(row: Row, starts: list[int], widths: tuple[float, ...], zh: bool) -> Row:
    """Let a token break when it is wider than its cell."""
    cells = []
    for cell, start in zip(row.cells, starts, strict=True):
        room = sum(widths[start : start + cell.colspan]) * TEXT_WIDTH_MM / 100 - _PAD_MM
        paragraphs = tuple(
            replace(
                p, runs=tuple(_fits(run, room, _size(cell, p), cell.header, zh) for run in p.runs)
            )
            for p in cell.paragraphs
        )
        cells.append(replace(cell, paragraphs=paragraphs))
    return replace(row, cells=tuple(cells))


def loosen(runs: tuple[Run, ...], room: float, size: float, locale: str | None) -> tuple[Run, ...]:
    """The runs with keep dropped from any run wider than ``room`` mm at ``size`` pt."""
    if not any(run.keep for run in runs):
        return runs
    zh = bool(locale) and str(locale).startswith("zh")
    out = tuple(_fits(run, room, size, False, zh) for run in runs)
    return runs if all(a is b for a, b in zip(out, runs, strict=True)) else out


def _fits(run: Run, room: float, size: float, sans: bool, zh: bool) -> Run:
    if run.keep and text_width_mm(run.text, size, sans or run.bold, zh) > room:
        return Run(run.text, run.bold, run.italic, run.underline, False, run.mono)
    return run
