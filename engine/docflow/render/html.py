"""Parse a rendered template (the HTML subset of _macros.html.j2) into the block tree.

The subset is the contract between templates and renderers: any other tag, attribute or
class is a :class:`TemplateError`, so that a document never renders differently in PDF and
DOCX; so are lists nested more than :data:`MAX_LIST_DEPTH` deep. Whitespace collapses as in
HTML; ideographic spaces and no-break spaces are kept.
"""

from __future__ import annotations

from docflow.render.blocks import (
    Align,
    Block,
    Document,
    Heading,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Run,
)
from docflow.render.htmlstate import (
    BLOCK_CLASSES,
    INLINE,
    SPACE,
    WIDTH,
    InlineRuns,
    ListFrame,
    TableFrame,
    clean_text,
)
from docflow.render.htmltable import TableParsing
from docflow.render.typeset import typeset

__all__ = ["MAX_LIST_DEPTH", "parse_html"]

MAX_LIST_DEPTH = 9


class _Parser(TableParsing):
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
        self.lang: str | None = None

    # where content goes -------------------------------------------------------------------
    def in_cell(self) -> bool:
        """True while a table cell is open."""
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
        """Route void elements; open the others."""
        attrs = dict(attr_list)
        if tag in ("br", "col", "meta", "link"):
            self.handle_startendtag(tag, attr_list)
            return
        self.open_tag(tag, attrs)
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        """Self-closing and void elements: br, col, meta, link."""
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
        """Check a start tag against the subset and open its structure."""
        parent = self.stack[-1] if self.stack else None
        if tag in ("html", "head", "body"):
            self.check_attrs(tag, attrs, {"lang"} if tag == "html" else set())
            if tag == "html":
                self.lang = attrs.get("lang")
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
            if len(self.lists) >= MAX_LIST_DEPTH:
                # Both renderers walk nested lists recursively; Word itself has nine levels.
                raise self.fail(f"lists nest more than {MAX_LIST_DEPTH} deep")
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
        """Open a p or h1-h3 (in a cell only p)."""
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

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost element, which must be ``tag``."""
        if tag in ("br", "col", "meta", "link"):
            return
        if not self.stack or self.stack[-1] != tag:
            open_ = f"<{self.stack[-1]}>" if self.stack else "nothing"
            raise self.fail(f"unexpected </{tag}> while {open_} is open")
        self.stack.pop()
        self.close_tag(tag)

    def close_tag(self, tag: str) -> None:
        """Finish the structure an end tag closes."""
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

    def handle_data(self, data: str) -> None:
        """Text goes into the open paragraph, heading, item or cell; elsewhere only blanks."""
        if self.stack and self.stack[-1] == "title":
            self.title_parts.append(clean_text(data))
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
        """Comments are dropped."""
        return

    def handle_decl(self, decl: str) -> None:
        """Only <!DOCTYPE html> is accepted."""
        if decl.lower() != "doctype html":
            raise self.fail(f"unexpected declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        """Processing instructions are refused."""
        raise self.fail("processing instructions are not allowed")

    def unknown_decl(self, data: str) -> None:
        """CDATA and other declarations are refused."""
        raise self.fail("CDATA sections are not allowed")


def parse_html(html: str, template: str, default_title: str) -> Document:
    """Parse rendered template HTML into a typeset :class:`Document`; ``template`` names it
    in errors."""
    parser = _Parser(template)
    parser.feed(html)
    parser.close()
    if parser.stack:
        raise parser.fail(f"<{parser.stack[-1]}> is never closed")
    title = SPACE.sub(" ", "".join(parser.title_parts)).strip() or default_title
    return typeset(Document(title, tuple(parser.blocks)), parser.lang)
