"""Tables of the HTML subset: the parser's table rules, kept apart from html.py.

``SubsetRules`` holds the checks every element shares; ``TableParsing`` adds the table
elements on top of them. html.py's parser inherits both.
"""

from __future__ import annotations

from html.parser import HTMLParser

from docflow.errors import TemplateError
from docflow.render.blocks import Align, Block, Cell, Paragraph, Row, Table, grid_positions
from docflow.render.htmlstate import (
    CELL_CLASSES,
    SIG_ID,
    TABLE_KINDS,
    InlineRuns,
    ListFrame,
    TableFrame,
)

__all__ = ["SubsetRules", "TableParsing"]


class SubsetRules(HTMLParser):
    """Checks of attributes and classes, and errors located in the rendered HTML."""

    template: str

    def fail(self, message: str) -> TemplateError:
        """A TemplateError at the parser's position in the rendered HTML."""
        line, _ = self.getpos()
        return TemplateError(f"{message} (line {line} of the rendered HTML)", self.template)

    def check_attrs(self, tag: str, attrs: dict[str, str | None], allowed: set[str]) -> None:
        """Refuse attributes other than ``allowed``."""
        for name in attrs:
            if name not in allowed:
                raise self.fail(f"attribute {name!r} is not allowed on <{tag}>")

    def classes(self, tag: str, attrs: dict[str, str | None], allowed: set[str]) -> set[str]:
        """The element's classes, refusing any not in ``allowed``."""
        found = set((attrs.get("class") or "").split())
        unknown = found - allowed
        if unknown:
            raise self.fail(f"class {sorted(unknown)[0]!r} is not allowed on <{tag}>")
        return found

    @staticmethod
    def align(classes: set[str]) -> Align:
        """The alignment a class set asks for."""
        if "center" in classes:
            return "center"
        if "right" in classes:
            return "right"
        return None

    # structure ------------------------------------------------------------------------------


class TableParsing(SubsetRules):
    """table, colgroup, col, thead, tbody, tr, th and td."""

    table: TableFrame | None
    inline: InlineRuns | None
    lists: list[ListFrame]
    blocks: list[Block]

    def open_table_part(self, tag: str, attrs: dict[str, str | None], parent: str | None) -> None:
        """Open table, colgroup, thead, tbody, tr, td or th."""
        if tag == "table":
            self.check_attrs(tag, attrs, {"class"})
            if self.table is not None or self.inline is not None or self.lists:
                raise self.fail("a table must stand between blocks of the body")
            kinds = self.classes(tag, attrs, TABLE_KINDS) or {"grid"}
            if len(kinds) > 1:
                raise self.fail("a table takes one class of grid, kv, plain, signatures")
            self.table = TableFrame(kind=kinds.pop())  # type: ignore[arg-type]
            return
        table = self.table
        if table is None:
            raise self.fail(f"<{tag}> outside a table")
        if tag in ("colgroup", "thead", "tbody"):
            self.check_attrs(tag, attrs, set())
            if parent != "table":
                raise self.fail(f"<{tag}> must be a child of <table>")
            table.in_head = tag == "thead"
        elif tag == "tr":
            self.check_attrs(tag, attrs, set())
            if parent not in ("table", "thead", "tbody"):
                raise self.fail("<tr> must be inside <table>, <thead> or <tbody>")
            table.cells = []
        else:
            self.check_attrs(tag, attrs, {"colspan", "rowspan", "class", "id"})
            if parent != "tr" or table.cells is None:
                raise self.fail(f"<{tag}> must be a child of <tr>")
            self.classes(tag, attrs, CELL_CLASSES)
            cell_id = attrs.get("id")
            if cell_id is not None and (table.kind != "signatures" or not SIG_ID.match(cell_id)):
                raise self.fail('id is only allowed as id="sig-<party>" in a signature block')
            table.cell_attrs = attrs
            table.cell_header = tag == "th"
            table.cell_paragraphs = []
            table.cell_inline = None
            table.cell_open = True

    def flush_cell_inline(self) -> None:
        """Close the cell's loose inline text as one paragraph."""
        table = self.table
        assert table is not None
        if table.cell_inline is not None:
            runs = table.cell_inline.finish()
            if runs:
                table.cell_paragraphs.append(Paragraph(runs))
            table.cell_inline = None

    def span(self, tag: str, name: str) -> int:
        """A colspan or rowspan value of the open cell, 1 when absent."""
        raw = self.table.cell_attrs.get(name) if self.table else None
        if raw is None:
            return 1
        if not raw.isdigit() or not 1 <= int(raw) <= 100:
            raise self.fail(f"{name} on <{tag}> must be a whole number from 1 to 100")
        return int(raw)

    def close_table_part(self, tag: str) -> None:
        """Finish a cell, row, head or the table itself."""
        table = self.table
        if table is None:
            return
        if tag in ("td", "th"):
            self.flush_cell_inline()
            paragraphs = tuple(table.cell_paragraphs) or (Paragraph(()),)
            classes = set((table.cell_attrs.get("class") or "").split())
            assert table.cells is not None
            table.cells.append(
                Cell(
                    paragraphs,
                    self.span(tag, "colspan"),
                    self.span(tag, "rowspan"),
                    table.cell_header,
                    self.align(classes),
                    table.cell_attrs.get("id"),
                )
            )
        elif tag == "tr":
            assert table.cells is not None
            if not table.cells:
                raise self.fail("a table row needs at least one cell")
            table.rows.append(Row(tuple(table.cells), table.in_head))
            table.cells = None
        elif tag == "thead":
            table.in_head = False
        elif tag == "table":
            self.blocks.append(self.finish_table(table))
            self.table = None

    def finish_table(self, table: TableFrame) -> Table:
        """The finished Table with widths normalized to sum to 100."""
        if not table.rows:
            raise self.fail("a table needs at least one row")
        rows = tuple(table.rows)
        # columns held by rowspans from above push a row's cells to the right
        starts = grid_positions(Table(table.kind, (), rows))
        columns = max(
            start + cell.colspan
            for row, row_starts in zip(rows, starts, strict=True)
            for cell, start in zip(row.cells, row_starts, strict=True)
        )
        widths = table.widths
        if widths and len(widths) != columns:
            raise self.fail(f"the table has {columns} columns but {len(widths)} <col> widths")
        if not widths or sum(widths) <= 0:
            widths = [1.0] * columns
        total = sum(widths)
        scaled = tuple(round(w * 100 / total, 3) for w in widths)
        return Table(table.kind, scaled, rows)
