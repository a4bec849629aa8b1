"""Build a DOCX body from the block tree (imported by docx.py only).

Named styles carry the look (Heading 1-3, Normal, List Bullet/Number, Table Text); tables get
fixed layout, repeated header rows (w:tblHeader), merges for colspan/rowspan and rows that do
not split across pages. Every ordered list restarts its numbering.

The tree's typographic marks (see typeset.py) become WordprocessingML: a paragraph that
leads into a table or list, and every row but the last of a short or signature table, keep
with what follows (``w:keepNext``); a signature table gets the PDF's 10 mm above it; the
annex label takes its own style. WordprocessingML has no "no break" run, so a kept token is
written with no-break spaces and word joiners (U+2060) at the places a line may break, and
its East Asian language is set to en-US: LibreOffice's Chinese line breaker otherwise breaks
between any two characters and ignores the joiner. Such a run names its East Asian face
(Noto Serif or Sans CJK SC, with SimSun and SimHei as the alternatives in the font table),
since LibreOffice would otherwise look SimSun up for English and draw another face.

The body is written as WordprocessingML text and parsed once, then moved in front of the
anchor: python-docx's element API re-parses a template per element and searches the schema
order for each child, which made a 40-row table cost more than the rest of the document. The
markup is what python-docx writes for the same calls (tests compare the two).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from xml.sax.saxutils import escape, quoteattr

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
from docflow.render.tokens import CJK

__all__ = ["BodyBuilder", "kept_text"]

_RULED = {"grid", "kv"}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_EMU_PER_TWIP = 635
_SIGNATURE_ROW_TWIPS = 28 * 36000 // _EMU_PER_TWIP  # 28 mm, as the PDF's signature cells
_GAP_TWIPS = 160  # 8 pt before the paragraph that follows a table
_SMALL_HALF_POINTS = 18  # 9 pt
# Space above a signature table: the PDF's 10 mm less the 4 pt after the paragraph before.
_SIGNATURE_GAP_TWIPS = 567 - 80
_LABEL_STYLE = "Annex Label"
_MONO = ' w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"'
_KEPT_FACE = {False: ' w:eastAsia="Noto Serif CJK SC"', True: ' w:eastAsia="Noto Sans CJK SC"'}
_HAS_CJK = re.compile(f"[{CJK}]")
_KEEP_PROPS = "<w:noProof/>"
_KEEP_LANG = '<w:lang w:eastAsia="en-US"/>'
_WORD_JOINER = "\u2060"
# Where a line may break inside a kept token: after a hyphen or slash, and beside an ideograph.
_BREAK_AT = re.compile(f"(?<=[-/])(?=.)|(?<=[{CJK}])(?=[^ ])|(?<=[^ ])(?=[{CJK}])")
_CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
    '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
)
_TABLE_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0"'
    ' w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
)
_HEADER_SHADE = '<w:shd w:val="clear" w:color="auto" w:fill="ECECEC"/>'


def _text(text: str) -> str:
    """The content of a run: w:t pieces, w:tab for tabs and w:br for line ends."""
    if not any(ch in text for ch in "\t\r\n"):
        return _t(text)
    out: list[str] = []
    piece: list[str] = []
    for ch in text:
        if ch == "\t" or ch in "\r\n":
            out.append(_t("".join(piece)))
            piece.clear()
            out.append("<w:tab/>" if ch == "\t" else "<w:br/>")
        else:
            piece.append(ch)
    out.append(_t("".join(piece)))
    return "".join(out)


def _t(text: str) -> str:
    if not text:
        return ""
    # Word drops leading and trailing spaces of a w:t unless told to keep them.
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


def kept_text(text: str) -> str:
    """A kept token as DOCX text: no-break spaces, and word joiners where lines may break."""
    return _BREAK_AT.sub(_WORD_JOINER, text.replace(" ", "\u00a0"))


def _runs(
    runs: tuple[Run, ...], small: bool = False, bold: bool = False, sans: bool = False
) -> str:
    """Runs with their emphasis (``bold`` forces it, for header cells); breaks become w:br.

    ``sans`` says the paragraph's East Asian face is the sans one (headings, header cells).
    """
    out: list[str] = []
    size = f'<w:sz w:val="{_SMALL_HALF_POINTS}"/>' if small else ""
    for run in runs:
        if run.is_break:
            out.append("<w:r><w:br/></w:r>")
            continue
        # children in the schema's order: rFonts, b, i, noProof, sz, u, lang
        fonts = (_MONO if run.mono else "") + (
            _KEPT_FACE[sans] if run.keep and _HAS_CJK.search(run.text) else ""
        )
        props = (
            (f"<w:rFonts{fonts}/>" if fonts else "")
            + ("<w:b/>" if bold or run.bold else "")
            + ("<w:i/>" if run.italic else "")
            + (_KEEP_PROPS if run.keep else "")
            + size
            + ('<w:u w:val="single"/>' if run.underline else "")
            + (_KEEP_LANG if run.keep else "")
        )
        rpr = f"<w:rPr>{props}</w:rPr>" if props else "<w:rPr/>"
        text = kept_text(run.text) if run.keep else run.text
        out.append(f"<w:r>{rpr}{_text(text)}</w:r>")
    return "".join(out)


def _ppr(
    style: str | None = None,
    *,
    keep_next: bool = False,
    num_id: int | None = None,
    gap: bool = False,
    align: str | None = None,
    exact: int | None = None,
) -> str:
    """A w:pPr with its children in schema order, or nothing when it would be empty.

    ``exact`` makes an empty spacer paragraph of that height in twips.
    """
    parts = []
    if style is not None:
        parts.append(f"<w:pStyle w:val={quoteattr(style)}/>")
    if keep_next:
        parts.append("<w:keepNext/>")
    if num_id is not None:
        parts.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    if exact is not None:
        parts.append(f'<w:spacing w:before="0" w:after="0" w:line="{exact}" w:lineRule="exact"/>')
    elif gap:
        parts.append(f'<w:spacing w:before="{_GAP_TWIPS}"/>')
    if align in ("center", "right"):
        parts.append(f'<w:jc w:val="{align}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


class BodyBuilder:
    """Writes blocks into ``document`` just before the ``anchor`` body element.

    Call :meth:`add` for each block, then :meth:`finish` to put them in place.
    """

    def __init__(self, document: Any, anchor: Any) -> None:
        self.document = document
        self.anchor = anchor
        self.styles = {style.name for style in document.styles}
        section = document.sections[-1]
        self.text_width = int(section.page_width - section.left_margin - section.right_margin)
        self.after_table = False
        self._style_cache: dict[str, str] = {}
        self._grid_style: str | None = None
        self._xml: list[str] = []

    def _gap(self) -> bool:
        # Word puts the next paragraph flush against a table; the PDF keeps a margin there.
        gap, self.after_table = self.after_table, False
        return gap

    def _style(self, name: str, fallback: str = "Normal") -> str:
        return name if name in self.styles else fallback

    def _style_id(self, name: str) -> str:
        # python-docx's style lookup scans every style per call; ids are looked up once
        if name not in self._style_cache:
            fallback = "Table Text" if name == "Table Heading" else "Normal"
            style = self._style(name, self._style(fallback))
            self._style_cache[name] = self.document.styles[style].style_id
        return self._style_cache[name]

    def _table_grid(self) -> str:
        """The w:tblStyle of ruled tables; none when Table Grid is already the default."""
        if self._grid_style is None:
            from docx.enum.style import WD_STYLE_TYPE

            styles = self.document.styles
            grid = styles["Table Grid"]
            default = styles.default(WD_STYLE_TYPE.TABLE)
            self._grid_style = (
                "" if grid == default else f"<w:tblStyle w:val={quoteattr(grid.style_id)}/>"
            )
        return self._grid_style

    # blocks -------------------------------------------------------------------------------
    def add(self, block: Block) -> None:
        """Write one block."""
        if isinstance(block, Heading):
            ppr = _ppr(self._style_id(f"Heading {block.level}"), gap=self._gap(), align=block.align)
            self._xml.append(f"<w:p>{ppr}{_runs(block.runs, sans=True)}</w:p>")
        elif isinstance(block, Paragraph):
            style = None
            runs = block.runs
            if block.label:
                style = self._style_id(_LABEL_STYLE)
                if _LABEL_STYLE not in self.styles:  # a frame without the style: bold runs
                    runs = tuple(replace(run, bold=True) for run in runs)
            ppr = _ppr(style, keep_next=block.keep_next, gap=self._gap(), align=block.align)
            self._xml.append(f"<w:p>{ppr}{_runs(runs, block.small)}</w:p>")
        elif isinstance(block, ListBlock):
            self.add_list(block, 1)
        elif isinstance(block, Table):
            self.add_table(block)
        elif isinstance(block, PageBreak):
            self._xml.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def finish(self) -> None:
        """Parse what was written and move it in front of the anchor, in order."""
        from docx.oxml.parser import parse_xml
        from lxml import etree

        body = parse_xml(f'<w:body xmlns:w="{_W}">{"".join(self._xml)}</w:body>')
        for element in list(body):
            # lxml moves a node out of another document in time proportional to that whole
            # document, so moving every block one by one is quadratic (a 4,000-row memo took
            # seconds): each block is parsed on its own and moved from its own small tree.
            self.anchor.addprevious(parse_xml(etree.tostring(element)))
        self._xml.clear()

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
            ppr = _ppr(self._style_id(name), num_id=num_id, gap=self._gap())
            self._xml.append(f"<w:p>{ppr}{_runs(item.runs)}</w:p>")
            for child in item.children:
                self.add_list(child, depth + 1)

    # tables -------------------------------------------------------------------------------
    def add_table(self, block: Table) -> None:
        """Write a table with merges, widths, header rows and borders per kind."""
        if block.kind == "signatures":
            # the PDF's space above the signatures; it also keeps two tables apart
            self._xml.append(f"<w:p>{_ppr(keep_next=True, exact=_SIGNATURE_GAP_TWIPS)}</w:p>")
            self.after_table = False
        elif self.after_table:
            # Word joins tables that touch into one; an empty paragraph keeps them apart.
            self._xml.append("<w:p/>")
        style = ""
        if block.kind in _RULED and "Table Grid" in self.styles:
            style = self._table_grid()
        widths = [int(self.text_width * pct / 100) for pct in block.widths]
        grid = "".join(f'<w:gridCol w:w="{width // _EMU_PER_TWIP}"/>' for width in widths)
        self._xml.append(
            f'<w:tbl><w:tblPr>{style}<w:tblW w:type="auto" w:w="0"/>'
            f'<w:tblLayout w:type="fixed"/>{_CELL_MARGINS}{_TABLE_LOOK}</w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>"
        )
        self._rows(block, widths)
        self._xml.append("</w:tbl>")
        self.after_table = True

    def _rows(self, block: Table, widths: list[int]) -> None:
        """One w:tr per row; rowspans continue as vMerge cells below their start."""
        columns = len(widths)
        ruled = block.kind in _RULED
        held: dict[int, tuple[int, int]] = {}  # start column -> (rows still covered, colspan)
        out = self._xml
        for row_index, row in enumerate(block.rows):
            height = ""
            if any(cell.id for cell in row.cells):
                height = f'<w:trHeight w:val="{_SIGNATURE_ROW_TWIPS}" w:hRule="atLeast"/>'
            header = ""
            if row.header and all(r.header for r in block.rows[:row_index]):
                header = "<w:tblHeader/>"
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{height}{header}</w:trPr>")
            # a short or signature table stays together; a header row keeps with a body row
            whole = block.whole or block.kind == "signatures"
            keep = (whole and row_index < len(block.rows) - 1) or bool(header) or row.keep_next
            pending = list(row.cells)
            started: dict[int, tuple[int, int]] = {}
            column = 0
            while column < columns:
                merge = ""
                cell: Cell | None = None
                if column in held:
                    span = held[column][1]
                    merge = "<w:vMerge/>"  # w:val defaults to continue
                elif pending:
                    cell = pending.pop(0)
                    span = min(cell.colspan, columns - column)
                    if cell.rowspan > 1:
                        merge = '<w:vMerge w:val="restart"/>'
                        started[column] = (cell.rowspan - 1, span)
                else:
                    span = 1
                twips = round(sum(widths[column : column + span]) / _EMU_PER_TWIP)
                grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
                shade = _HEADER_SHADE if ruled and cell is not None and cell.header else ""
                out.append(
                    f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips}"/>{grid_span}{merge}{shade}'
                    "</w:tcPr>"
                )
                empty = f"<w:p>{_ppr(keep_next=True)}</w:p>" if keep else "<w:p/>"
                out.append(self._cell_body(cell, keep) if cell is not None else empty)
                out.append("</w:tc>")
                column += span
            out.append("</w:tr>")
            held = {c: (left - 1, s) for c, (left, s) in held.items() if left > 1}
            held.update(started)

    def _cell_body(self, cell: Cell, keep: bool) -> str:
        """A cell's paragraphs; header cells are bold (and shaded in ruled tables)."""
        style = self._style_id("Table Heading" if cell.header else "Table Text")
        if not cell.paragraphs:
            return "<w:p/>"
        return "".join(
            f"<w:p>{_ppr(style, keep_next=keep, align=source.align or cell.align)}"
            f"{_runs(source.runs, source.small, cell.header, cell.header)}</w:p>"
            for source in cell.paragraphs
        )
