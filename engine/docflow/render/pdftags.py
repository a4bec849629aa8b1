"""Corrections to the structure tree WeasyPrint writes for a tagged PDF (PDF/A-3a, PDF/UA).

WeasyPrint 70 builds the tree page by page from the laid-out boxes. What it gets wrong, and
what :func:`fix_structure` does about it (in the finisher, on the pydyf objects):

- An element split over pages (a long table, a paragraph, a list) becomes one element per
  page: the pieces are merged back into one, in order. A table header repeated on each page
  is structure once; its repeats become pagination artifacts.
- The running header and the page numbers are marked content whose elements hang outside
  the tree: they become ``/Artifact`` marked content of type Pagination, as ISO 32000-1
  14.8.2.2 describes running heads and page numbers.
- Header cells get no /Scope, and cells are linked to headers by column only: a key-value
  table's row headers (``<th>`` first in a row of ``<td>``) were taken for column headers.
  Every TH now has a Scope (Column in a header row, Row otherwise) and every TD the /Headers
  of the row and column headers that cover it.
- Elements with no content (the empty frame ``<div>`` that carries the page strings, page
  breaks) are dropped.

Merging needs to know which HTML element an element comes from: :func:`trace_sources` wraps
WeasyPrint's tree builder once per process so that each element records it. Without it
(another WeasyPrint version) nothing is merged and the rest still applies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["fix_structure", "trace_sources"]

_SOURCE = "docflow_source"
_REPEATED = ("/THead", "/TFoot")


def trace_sources() -> bool:
    """Make WeasyPrint's structure elements remember their HTML element; True when done."""
    try:
        from weasyprint.pdf import tags
    except ImportError:
        return False
    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        return False
    if getattr(original, "docflow_traced", False):
        return True

    def traced(box: Any, *args: Any) -> Iterator[Any]:
        source = getattr(getattr(box, "_box", box), "element", None)
        for element in original(box, *args):
            if not hasattr(element, _SOURCE):
                setattr(element, _SOURCE, source)
            yield element

    traced.docflow_traced = True  # type: ignore[attr-defined]
    tags._build_box_tree = traced
    return True


class _Tree:
    """The pydyf objects of one PDF, reached through their references."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf

    def get(self, reference: Any) -> Any:
        text = reference.decode() if isinstance(reference, bytes) else str(reference)
        return self.pdf.objects[int(text.split()[0])]

    def kids(self, element: Any) -> list[Any]:
        """The structure elements among ``element``'s kids (not MCIDs, not OBJR)."""
        out = []
        for kid in element.get("K", ()):
            if isinstance(kid, int):
                continue
            target = self.get(kid)
            if isinstance(target, dict) and target.get("Type") == "/StructElem":
                out.append(target)
        return out


def fix_structure(pdf: Any) -> None:
    """Apply every correction above to a tagged pydyf PDF (no-op when it is not tagged)."""
    root_ref = pdf.catalog.get("StructTreeRoot")
    if root_ref is None:
        return
    import pydyf

    tree = _Tree(pdf)
    root = tree.get(root_ref)
    ids: dict[str, Any] = {}
    for top in tree.kids(root):
        _merge(tree, top)
        _prune(tree, top)
        _tables(tree, top, ids)
    _artifacts(tree, root)
    if ids:  # ISO 32000-1 14.7.2: required as soon as an element has an /ID
        names = pydyf.Array()
        for ident in sorted(ids):
            names.extend((pydyf.String(ident), ids[ident]))
        root["IDTree"] = pydyf.Dictionary({"Names": names})


def _merge(tree: _Tree, element: Any) -> None:
    """Join the pieces of split elements among ``element``'s kids, depth first."""
    kept: list[Any] = []
    seen: set[int] = set()
    for kid in element.get("K", ()):
        target = None if isinstance(kid, int) else tree.get(kid)
        source = getattr(target, _SOURCE, None)
        if target is None or source is None or target.get("Type") != "/StructElem":
            kept.append(kid)
            continue
        if id(source) in seen and target.get("S") in _REPEATED:
            continue  # a repeated table header: its content becomes an artifact
        previous = tree.get(kept[-1]) if kept and not isinstance(kept[-1], int) else None
        if (
            previous is not None
            and getattr(previous, _SOURCE, None) is source
            and previous.get("S") == target.get("S")
            and not _has_mcids(previous)
            and not _has_mcids(target)
        ):
            for moved in tree.kids(target):
                moved["P"] = kept[-1]
            previous["K"].extend(target["K"])
            continue
        seen.add(id(source))
        kept.append(kid)
    element["K"][:] = kept
    for kid in tree.kids(element):
        _merge(tree, kid)


def _has_mcids(element: Any) -> bool:
    return any(isinstance(kid, int) for kid in element.get("K", ()))


def _prune(tree: _Tree, element: Any) -> bool:
    """Drop kids without content below ``element``; True when ``element`` is empty."""
    kept = []
    for kid in element.get("K", ()):
        target = None if isinstance(kid, int) else tree.get(kid)
        if target is not None and target.get("Type") == "/StructElem" and _prune(tree, target):
            continue
        kept.append(kid)
    element["K"][:] = kept
    return not kept


def _tables(tree: _Tree, element: Any, ids: dict[str, Any]) -> None:
    """Set header scopes and cell headers in every table below ``element``."""
    for kid in tree.kids(element):
        if kid.get("S") == "/Table":
            _table(tree, kid, ids)
        else:
            _tables(tree, kid, ids)


def _rows(tree: _Tree, table: Any) -> Iterator[tuple[Any, bool]]:
    """Each TR of a table, with whether it sits in the table head."""
    for kid in tree.kids(table):
        if kid.get("S") == "/TR":
            yield kid, False
        elif kid.get("S") in ("/THead", "/TBody", "/TFoot"):
            for row in tree.kids(kid):
                if row.get("S") == "/TR":
                    yield row, kid.get("S") == "/THead"


def _table(tree: _Tree, table: Any, ids: dict[str, Any]) -> None:
    import pydyf

    # Lay the cells on a grid to know which columns and rows each covers.
    placed: list[tuple[Any, int, int, int, int]] = []  # cell, row, col, rows, cols
    taken: set[tuple[int, int]] = set()
    heads: list[bool] = []
    for row_index, (row, in_head) in enumerate(_rows(tree, table)):
        cells = [c for c in tree.kids(row) if c.get("S") in ("/TH", "/TD")]
        heads.append(in_head or all(c.get("S") == "/TH" for c in cells))
        column = 0
        for cell in cells:
            while (row_index, column) in taken:
                column += 1
            attributes = cell.get("A") or {}
            cols, rows = int(attributes.get("ColSpan", 1)), int(attributes.get("RowSpan", 1))
            for r in range(row_index, row_index + rows):
                for c in range(column, column + cols):
                    taken.add((r, c))
            placed.append((cell, row_index, column, rows, cols))
            column += cols
    column_heads: dict[int, list[Any]] = {}
    row_heads: dict[int, list[tuple[int, Any]]] = {}  # row -> (column, header id)
    data_columns: dict[int, list[int]] = {}  # row -> columns where data cells start
    for cell, row_index, column, rows, cols in placed:
        if cell.get("S") == "/TD":
            for r in range(row_index, row_index + rows):
                data_columns.setdefault(r, []).append(column)
        if cell.get("S") != "/TH":
            continue
        # Numbered in the merged table: WeasyPrint numbered each page's piece on its own.
        text = f"{table.number}-{row_index}-{column}"
        ident = pydyf.String(text)
        cell["ID"] = ident
        ids[text] = cell.reference
        attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
        if heads[row_index]:
            attributes["Scope"] = "/Column"
            for c in range(column, column + cols):
                column_heads.setdefault(c, []).append(ident)
        else:
            attributes["Scope"] = "/Row"
            for r in range(row_index, row_index + rows):
                row_heads.setdefault(r, []).append((column, ident))
    for cell, row_index, column, rows, cols in placed:
        if cell.get("S") != "/TD":
            continue
        headers = []
        for r in range(row_index, row_index + rows):
            headers += _row_headers(row_heads.get(r, []), data_columns.get(r, []), column)
        headers += [h for c in range(column, column + cols) for h in column_heads.get(c, ())]
        attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
        if headers:
            attributes["Headers"] = pydyf.Array(dict.fromkeys(headers))
        else:
            attributes.pop("Headers", None)


def _row_headers(heads: list[tuple[int, Any]], data: list[int], column: int) -> list[Any]:
    """The row headers of the data cell at ``column``: the run of header cells nearest to
    its left (a key-value row "TH TD TH TD" pairs each TD with the TH before it), or every
    header to its left when data cells stand between them and the cell ("TH TD TD")."""
    left = [(c, ident) for c, ident in heads if c < column]
    boundary = max((c for c in data if c < column), default=-1)
    nearest = [ident for c, ident in left if c > boundary]
    return nearest or [ident for _, ident in left]


def _reachable(tree: _Tree, root: Any) -> set[int]:
    found: set[int] = set()
    pending = list(tree.kids(root))
    while pending:
        element = pending.pop()
        if element.number in found:
            continue
        found.add(element.number)
        pending.extend(tree.kids(element))
    return found


def _artifacts(tree: _Tree, root: Any) -> None:
    """Turn marked content whose element is outside the tree into pagination artifacts."""
    import pydyf

    reachable = _reachable(tree, root)
    nums = tree.get(root["ParentTree"])["Nums"]
    pages = tree.pdf.page_references
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if not isinstance(value, list) or key >= len(pages):
            continue
        dropped = set()
        for mcid, reference in enumerate(value):
            element = tree.get(reference) if reference is not None else None
            if element is None or element.number in reachable:
                continue
            dropped.add(mcid)
            value[mcid] = "null"
            element.clear()  # no longer referenced from the tree: keep the file small
        if not dropped:
            continue
        stream = tree.get(tree.get(pages[key])["Contents"]).stream
        for index in range(1, len(stream) - 1):
            item = stream[index]
            if (
                isinstance(item, dict)
                and item.get("MCID") in dropped
                and stream[index + 1] == b"BDC"
            ):
                stream[index - 1] = "/Artifact"
                stream[index] = pydyf.Dictionary({"Type": "/Pagination"})
