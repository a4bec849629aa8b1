"""Build a DOCX body from the block tree with python-docx (imported by docx.py only).

Named styles carry the look (Heading 1-3, Normal, List Bullet/Number, Table Text); tables get
fixed layout, repeated header rows (w:tblHeader), merges for colspan/rowspan and rows that do
not split across pages. Every ordered list restarts its numbering.
"""

from __future__ import annotations

from typing import Any

from docflow.render.blocks import (
    Block,
    Cell,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Table,
)

__all__ = ["BodyBuilder"]

_RULED = {"grid", "kv"}


def _set(element: Any, tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    node = OxmlElement(tag)
    for name, value in attrs.items():
        node.set(qn(f"w:{name}"), value)
    element.append(node)
    return node


class BodyBuilder:
    """Writes blocks into ``document`` just before the ``anchor`` body element."""

    def __init__(self, document: Any, anchor: Any) -> None:
        self.document = document
        self.anchor = anchor
        self.styles = {style.name for style in document.styles}
        section = document.sections[-1]
        self.text_width = int(section.page_width - section.left_margin - section.right_margin)
        self.after_table = False
        self._style_cache: dict[str, str] = {}

    def _gap_after_table(self, paragraph: Any) -> None:
        # Word puts the next paragraph flush against a table; the PDF keeps a margin there.
        from docx.shared import Pt

        if self.after_table:
            paragraph.paragraph_format.space_before = Pt(8)
        self.after_table = False

    def _place(self, element: Any) -> None:
        self.anchor.addprevious(element)

    def _style(self, name: str, fallback: str = "Normal") -> str:
        return name if name in self.styles else fallback

    # inline -------------------------------------------------------------------------------
    @staticmethod
    def runs(paragraph: Any, runs: tuple[Run, ...], small: bool = False) -> None:
        """Append runs with their emphasis; line breaks become w:br."""
        from docx.shared import Pt

        for run in runs:
            if run.is_break:
                paragraph.add_run().add_break()
                continue
            out = paragraph.add_run(run.text)
            out.bold = run.bold or None
            out.italic = run.italic or None
            out.underline = run.underline or None
            if small:
                out.font.size = Pt(9)

    @staticmethod
    def align(paragraph: Any, align: str | None) -> None:
        """Set an explicit alignment; None keeps the style's."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if align == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    # blocks -------------------------------------------------------------------------------
    def add(self, block: Block) -> None:
        """Write one block."""
        if isinstance(block, Heading):
            paragraph = self._paragraph(f"Heading {block.level}")
            self._gap_after_table(paragraph)
            self.runs(paragraph, block.runs)
            self.align(paragraph, block.align)
            self._place(paragraph._p)
        elif isinstance(block, Paragraph):
            paragraph = self.document.add_paragraph()
            self._gap_after_table(paragraph)
            self.runs(paragraph, block.runs, block.small)
            self.align(paragraph, block.align)
            self._place(paragraph._p)
        elif isinstance(block, ListBlock):
            self.add_list(block, 1)
        elif isinstance(block, Table):
            self.add_table(block)
        elif isinstance(block, PageBreak):
            from docx.enum.text import WD_BREAK

            paragraph = self.document.add_paragraph()
            paragraph.add_run().add_break(WD_BREAK.PAGE)
            self._place(paragraph._p)

    def _restarted_num(self, style_name: str) -> int:
        """A new w:num over the style's numbering that starts again at 1."""
        numbering = self.document.part.numbering_part.element
        style = self.document.styles[style_name]
        num_pr = style.element.pPr.numPr
        style_num = numbering.num_having_numId(num_pr.numId.val)
        num = numbering.add_num(style_num.abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(num.numId)

    def add_list(self, block: ListBlock, depth: int) -> None:
        """Write a list; nested lists use the level-2 and level-3 list styles."""
        kind = "List Number" if block.ordered else "List Bullet"
        name = kind if depth == 1 else f"{kind} {min(depth, 3)}"
        name = self._style(name, self._style(kind))
        num_id = self._restarted_num(name) if block.ordered and name in self.styles else None
        for item in block.items:
            paragraph = self._paragraph(name)
            self._gap_after_table(paragraph)
            if num_id is not None:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            self.runs(paragraph, item.runs)
            self._place(paragraph._p)
            for child in item.children:
                self.add_list(child, depth + 1)

    # tables -------------------------------------------------------------------------------
    def add_table(self, block: Table) -> None:
        """Write a table with merges, widths, header rows and borders per kind."""
        from docx.oxml.ns import qn

        if self.after_table:
            # Word joins tables that touch into one; an empty paragraph keeps them apart.
            self._place(self.document.add_paragraph()._p)
        columns = len(block.widths)
        table = self.document.add_table(rows=0, cols=columns)
        if block.kind in _RULED and "Table Grid" in self.styles:
            table.style = self.document.styles["Table Grid"]
        tbl_pr = table._tbl.tblPr
        tbl_pr.get_or_add_tblLayout().set(qn("w:type"), "fixed")
        margins = tbl_pr.find(qn("w:tblLayout"))
        cell_margins = _set(margins.getparent(), "w:tblCellMar")
        margins.addnext(cell_margins)  # schema order: tblLayout, tblCellMar, tblLook
        for side, twips in (("top", "40"), ("left", "100"), ("bottom", "40"), ("right", "100")):
            _set(cell_margins, f"w:{side}", w=twips, type="dxa")
        widths = [int(self.text_width * pct / 100) for pct in block.widths]
        for grid_col, width in zip(
            table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True
        ):
            grid_col.set(qn("w:w"), str(width // 635))  # EMU -> twips
        self._rows(table, block, widths)
        self._place(table._tbl)
        self.after_table = True

    def _rows(self, table: Any, block: Table, widths: list[int]) -> None:
        """Build each w:tr directly: python-docx's cell() and merge() are quadratic."""
        from docx.oxml import OxmlElement
        from docx.oxml.table import CT_Tc
        from docx.shared import Emu, Mm
        from docx.table import _Cell

        columns = len(widths)
        held: dict[int, tuple[int, int]] = {}  # start column -> (rows still covered, colspan)
        for row_index, row in enumerate(block.rows):
            tr = OxmlElement("w:tr")
            tr_pr = _set(tr, "w:trPr")
            _set(tr_pr, "w:cantSplit")
            if any(cell.id for cell in row.cells):
                _set(tr_pr, "w:trHeight", val=str(Mm(28) // 635), hRule="atLeast")
            if row.header and all(r.header for r in block.rows[:row_index]):
                _set(tr_pr, "w:tblHeader")
            pending = list(row.cells)
            started: dict[int, tuple[int, int]] = {}
            column = 0
            while column < columns:
                tc = CT_Tc.new()
                if column in held:
                    span = held[column][1]
                    tc.get_or_add_tcPr().vMerge_val = "continue"
                    cell: Cell | None = None
                elif pending:
                    cell = pending.pop(0)
                    span = min(cell.colspan, columns - column)
                    if cell.rowspan > 1:
                        tc.get_or_add_tcPr().vMerge_val = "restart"
                        started[column] = (cell.rowspan - 1, span)
                else:
                    span, cell = 1, None
                tc_pr = tc.get_or_add_tcPr()
                tc_pr.width = Emu(sum(widths[column : column + span]))
                if span > 1:
                    tc_pr.grid_span = span
                tr.append(tc)
                if cell is not None:
                    self.fill_cell(_Cell(tc, table), cell, block.kind)
                column += span
            table._tbl.append(tr)
            held = {c: (left - 1, s) for c, (left, s) in held.items() if left > 1}
            held.update(started)

    def fill_cell(self, target: Any, cell: Cell, kind: str) -> None:
        """Write a cell's paragraphs; header cells are bold and, in ruled tables, shaded."""
        style = self._style_id("Table Heading" if cell.header else "Table Text")
        keep = kind == "signatures"  # the signature block stays on one page
        for index, source in enumerate(cell.paragraphs):
            paragraph = target.paragraphs[0] if index == 0 else target.add_paragraph()
            paragraph._p.get_or_add_pPr().style = style
            runs = source.runs
            if cell.header:
                runs = tuple(Run(r.text, True, r.italic, r.underline) for r in runs)
            self.runs(paragraph, runs, source.small)
            self.align(paragraph, source.align or cell.align)
            if keep:
                paragraph.paragraph_format.keep_with_next = True
        if cell.header and kind in _RULED:
            tc_pr = target._tc.get_or_add_tcPr()
            _set(tc_pr, "w:shd", val="clear", color="auto", fill="ECECEC")

    def _style_id(self, name: str) -> str:
        # python-docx's style setter scans every style per call; ids are looked up once
        if name not in self._style_cache:
            fallback = "Table Text" if name == "Table Heading" else "Normal"
            style = self._style(name, self._style(fallback))
            self._style_cache[name] = self.document.styles[style].style_id
        return self._style_cache[name]

    def _paragraph(self, style: str | None = None) -> Any:
        """A new body paragraph, optionally with a named style."""
        paragraph = self.document.add_paragraph()
        if style is not None:
            paragraph._p.get_or_add_pPr().style = self._style_id(style)
        return paragraph
