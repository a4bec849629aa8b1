"""Parse a rendered template (the HTML subset of _macros.html.j2) into the block tree.

The subset is the contract between templates and renderers: any other tag, attribute or
class is a :class:`TemplateError`, so that a document never renders differently in PDF and
DOCX. Whitespace collapses as in HTML; ideographic spaces and no-break spaces are kept.
"""

from __future__ import annotations

from html.parser import HTMLParser

from docflow.errors import TemplateError
from docflow.render.blocks import (
    Align,
    Block,
    Cell,
    Document,
    Heading,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Row,
    Run,
    Table,
)
from docflow.render.htmlstate import (
    BLOCK_CLASSES,
    CELL_CLASSES,
    INLINE,
    SIG_ID,
    SPACE,
    TABLE_KINDS,
    WIDTH,
    InlineRuns,
    ListFrame,
    TableFrame,
    clean_text,
)

__all__ = ["parse_html"]


class _Parser(HTMLParser):
    def __init__(self, template: str) -> None:
        super().__init__(convert_charrefs=True)
        self.template = template
        self.stack: list[str] = []
        self.blocks: list[Block] = []
        self.title_parts: list[str] = []
        self.inline: InlineRuns | None = None  # the open paragraph or heading
        self.block_style: tuple[Align, bool] | None = None  # of the open p/h1-h3
        self.lists: list[ListFrame] = []
        self.table: TableFrame | None = None
        self.emphasis: list[str] = []

    # errors -------------------------------------------------------------------------------
    def fail(self, message: str) -> TemplateError:
        line, _ = self.getpos()
        return TemplateError(f"{message} (line {line} of the rendered HTML)", self.template)

    def check_attrs(self, tag: str, attrs: dict[str, str | None], allowed: set[str]) -> None:
        for name in attrs:
            if name not in allowed:
                raise self.fail(f"attribute {name!r} is not allowed on <{tag}>")

    def classes(self, tag: str, attrs: dict[str, str | None], allowed: set[str]) -> set[str]:
        found = set((attrs.get("class") or "").split())
        unknown = found - allowed
        if unknown:
            raise self.fail(f"class {sorted(unknown)[0]!r} is not allowed on <{tag}>")
        return found

    @staticmethod
    def align(classes: set[str]) -> Align:
        if "center" in classes:
            return "center"
        if "right" in classes:
            return "right"
        return None

    # structure ------------------------------------------------------------------------------
    def in_cell(self) -> bool:
        return self.table is not None and self.table.cell_open

    def current_inline(self, data: str = "") -> InlineRuns | None:
        """Where inline content goes now; None outside paragraphs, headings, items and cells."""
        if self.table is not None and self.table.cell_open:
            if self.inline is not None:
                return self.inline
            if self.table.cell_inline is None:
                self.table.cell_inline = InlineRuns()
            return self.table.cell_inline
        if self.lists and self.lists[-1].item is not None:
            if self.lists[-1].children and data.strip(" \t\n\r\f"):
                raise self.fail("text after a nested list inside <li> is not allowed")
            return self.lists[-1].item
        return self.inline

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        if tag in ("br", "col", "meta", "link"):
            self.handle_startendtag(tag, attr_list)
            return
        self.open_tag(tag, attrs)
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        if tag == "br":
            self.check_attrs(tag, attrs, set())
            target = self.current_inline()
            if target is None:
                raise self.fail("<br> outside a paragraph, heading, list item or cell")
            target.runs.append(Run("\n"))
        elif tag == "col":
            if self.table is None or self.stack[-1:] not in (["colgroup"], ["table"]):
                raise self.fail("<col> outside a table's colgroup")
            self.check_attrs(tag, attrs, {"style"})
            match = WIDTH.match(attrs.get("style") or "")
            if not match:
                raise self.fail('<col> needs style="width: N%"')
            self.table.widths.append(float(match.group(1)))
        elif tag in ("meta", "link"):
            if "head" not in self.stack:
                raise self.fail(f"<{tag}> outside <head>")
        elif tag == "div":
            self.open_tag(tag, attrs)
            self.close_tag(tag)
        else:
            raise self.fail(f"<{tag}/> is not allowed")

    def open_tag(self, tag: str, attrs: dict[str, str | None]) -> None:
        parent = self.stack[-1] if self.stack else None
        if tag in ("html", "head", "body"):
            self.check_attrs(tag, attrs, {"lang"} if tag == "html" else set())
        elif tag == "title":
            if parent != "head":
                raise self.fail("<title> outside <head>")
        elif tag in INLINE:
            self.check_attrs(tag, attrs, set())
            if self.current_inline() is None:
                raise self.fail(f"<{tag}> outside a paragraph, heading, list item or cell")
            self.emphasis.append(tag)
        elif tag in ("p", "h1", "h2", "h3"):
            self.open_paragraph(tag, attrs)
        elif tag in ("ul", "ol"):
            self.check_attrs(tag, attrs, set())
            if self.inline is not None or self.table is not None:
                raise self.fail(f"<{tag}> inside a paragraph or table cell is not allowed")
            if self.lists and self.lists[-1].item is None:
                raise self.fail(f"<{tag}> directly inside a list: put it inside an <li>")
            self.lists.append(ListFrame(ordered=tag == "ol"))
        elif tag == "li":
            self.check_attrs(tag, attrs, set())
            if not self.lists or parent not in ("ul", "ol"):
                raise self.fail("<li> outside <ul> or <ol>")
            self.lists[-1].item = InlineRuns()
            self.lists[-1].children = []
        elif tag == "div":
            self.check_attrs(tag, attrs, {"class"})
            if attrs.get("class") != "page-break":
                raise self.fail('<div> is only allowed as <div class="page-break"></div>')
            if self.inline or self.lists or self.table or parent != "body":
                raise self.fail("a page break must stand between blocks of the body")
        elif tag in ("table", "colgroup", "thead", "tbody", "tr", "td", "th"):
            self.open_table_part(tag, attrs, parent)
        else:
            raise self.fail(f"<{tag}> is not part of the document HTML subset")

    def open_paragraph(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.check_attrs(tag, attrs, {"class"})
        classes = self.classes(tag, attrs, BLOCK_CLASSES)
        if self.inline is not None or self.lists:
            raise self.fail(f"<{tag}> inside a paragraph or list is not allowed")
        in_cell = self.in_cell()
        if self.table is not None and not in_cell:
            raise self.fail(f"<{tag}> inside a table but outside a cell")
        if in_cell and tag != "p":
            raise self.fail(f"<{tag}> inside a table cell is not allowed")
        if in_cell:
            self.flush_cell_inline()
        self.inline = InlineRuns()
        self.block_style = (self.align(classes), "small" in classes)

    def open_table_part(self, tag: str, attrs: dict[str, str | None], parent: str | None) -> None:
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
        table = self.table
        assert table is not None
        if table.cell_inline is not None:
            runs = table.cell_inline.finish()
            if runs:
                table.cell_paragraphs.append(Paragraph(runs))
            table.cell_inline = None

    def span(self, tag: str, name: str) -> int:
        raw = self.table.cell_attrs.get(name) if self.table else None
        if raw is None:
            return 1
        if not raw.isdigit() or not 1 <= int(raw) <= 100:
            raise self.fail(f"{name} on <{tag}> must be a whole number from 1 to 100")
        return int(raw)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "col", "meta", "link"):
            return
        if not self.stack or self.stack[-1] != tag:
            open_ = f"<{self.stack[-1]}>" if self.stack else "nothing"
            raise self.fail(f"unexpected </{tag}> while {open_} is open")
        self.stack.pop()
        self.close_tag(tag)

    def close_tag(self, tag: str) -> None:
        if tag in INLINE:
            self.emphasis.pop()
        elif tag in ("p", "h1", "h2", "h3"):
            assert self.inline is not None and self.block_style is not None
            runs = self.inline.finish()
            align, small = self.block_style
            if tag == "p":
                paragraph = Paragraph(runs, align, small)
                if self.table is not None:
                    self.table.cell_paragraphs.append(paragraph)
                else:
                    self.blocks.append(paragraph)
            else:
                self.blocks.append(Heading(int(tag[1]), runs, align))
            self.inline = None
            self.block_style = None
        elif tag == "li":
            frame = self.lists[-1]
            assert frame.item is not None
            frame.items.append(ListItem(frame.item.finish(), tuple(frame.children)))
            frame.item = None
            frame.children = []
        elif tag in ("ul", "ol"):
            frame = self.lists.pop()
            block = ListBlock(frame.ordered, tuple(frame.items))
            if self.lists:
                self.lists[-1].children.append(block)
            else:
                self.blocks.append(block)
        elif tag == "div":
            self.blocks.append(PageBreak())
        else:
            self.close_table_part(tag)

    def close_table_part(self, tag: str) -> None:
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
        if not table.rows:
            raise self.fail("a table needs at least one row")
        columns = max(sum(cell.colspan for cell in row.cells) for row in table.rows)
        widths = table.widths
        if widths and len(widths) != columns:
            raise self.fail(f"the table has {columns} columns but {len(widths)} <col> widths")
        if not widths or sum(widths) <= 0:
            widths = [1.0] * columns
        total = sum(widths)
        scaled = tuple(round(w * 100 / total, 3) for w in widths)
        return Table(table.kind, scaled, tuple(table.rows))

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "title":
            self.title_parts.append(data)
            return
        target = self.current_inline(data)
        if target is None:
            if data.strip(" \t\n\r\f"):
                raise self.fail(f"text {data.strip()[:40]!r} outside a paragraph or cell")
            return
        # collapse now so that text never looks like a line break run ("\n")
        target.runs.append(
            Run(
                clean_text(data),
                "strong" in self.emphasis,
                "em" in self.emphasis,
                "u" in self.emphasis,
            )
        )

    def handle_comment(self, data: str) -> None:
        return

    def handle_decl(self, decl: str) -> None:
        if decl.lower() != "doctype html":
            raise self.fail(f"unexpected declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        raise self.fail("processing instructions are not allowed")

    def unknown_decl(self, data: str) -> None:
        raise self.fail("CDATA sections are not allowed")


def parse_html(html: str, template: str, default_title: str) -> Document:
    """Parse rendered template HTML into a :class:`Document`; ``template`` names it in errors."""
    parser = _Parser(template)
    parser.feed(html)
    parser.close()
    if parser.stack:
        raise parser.fail(f"<{parser.stack[-1]}> is never closed")
    title = SPACE.sub(" ", "".join(parser.title_parts)).strip() or default_title
    return Document(title, tuple(parser.blocks))
