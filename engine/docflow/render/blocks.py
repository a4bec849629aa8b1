"""The block tree: the HTML subset as data, read by both the PDF and the DOCX renderer.

Both outputs are made from the same tree, so they hold the same text in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Block",
    "Cell",
    "Document",
    "Heading",
    "ListBlock",
    "ListItem",
    "PageBreak",
    "Paragraph",
    "Row",
    "Run",
    "Table",
    "TableKind",
    "grid_positions",
]

Align = Literal["left", "center", "right"] | None
TableKind = Literal["grid", "kv", "plain", "signatures"]


@dataclass(frozen=True)
class Run:
    """A stretch of text with one emphasis; ``text == "\\n"`` is a line break.

    ``keep`` asks both renderers not to break a line inside the run (a code, amount, date,
    e-mail address; see :mod:`docflow.render.tokens`); ``mono`` sets it in a monospace face.
    """

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    keep: bool = False
    mono: bool = False

    @property
    def is_break(self) -> bool:
        """True for a line break (``<br>``)."""
        return self.text == "\n"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs.

    ``keep_next`` keeps it on the page of the block that follows (an introduction to a
    table or list); ``label`` marks the line above the title of an annex ("附件一").
    """

    runs: tuple[Run, ...]
    align: Align = None
    small: bool = False
    keep_next: bool = False
    label: bool = False

    @property
    def text(self) -> str:
        """The plain text, line breaks as newlines."""
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Heading:
    """A heading of level 1 to 3."""

    level: int
    runs: tuple[Run, ...]
    align: Align = None

    @property
    def text(self) -> str:
        """The plain text, line breaks as newlines."""
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class ListItem:
    """One list item: its own text, then nested lists."""

    runs: tuple[Run, ...]
    children: tuple[ListBlock, ...] = ()


@dataclass(frozen=True)
class ListBlock:
    """A bulleted (``ordered=False``) or numbered list."""

    ordered: bool
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class Cell:
    """A table cell; ``header`` for ``th``; ``id`` only on signature cells (``sig-<party>``)."""

    paragraphs: tuple[Paragraph, ...]
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    align: Align = None
    id: str | None = None


@dataclass(frozen=True)
class Row:
    """A table row; header rows (from ``thead``) repeat on every page; ``keep_next`` keeps
    the row on the page of the next one."""

    cells: tuple[Cell, ...]
    header: bool = False
    keep_next: bool = False


@dataclass(frozen=True)
class Table:
    """A table with column widths in percent of the text width (they sum to 100).

    ``whole`` keeps a short table on one page.
    """

    kind: TableKind
    widths: tuple[float, ...]
    rows: tuple[Row, ...]
    whole: bool = False


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


Block = Heading | Paragraph | ListBlock | Table | PageBreak


@dataclass(frozen=True)
class Document:
    """A parsed document: the running-header title and the body blocks."""

    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def grid_positions(table: Table) -> list[list[int]]:
    """The first grid column of each cell, row by row, skipping columns that rowspans hold."""
    held: dict[int, int] = {}  # column -> rows it stays occupied below the current one
    positions: list[list[int]] = []
    for row in table.rows:
        column = 0
        starts: list[int] = []
        for cell in row.cells:
            while held.get(column, 0) > 0:
                column += 1
            starts.append(column)
            for offset in range(cell.colspan):
                if cell.rowspan > 1:
                    held[column + offset] = cell.rowspan
            column += cell.colspan
        positions.append(starts)
        held = {col: rows - 1 for col, rows in held.items() if rows - 1 > 0}
    return positions
