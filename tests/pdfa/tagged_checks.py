"""Checks of a tagged PDF's structure tree and marked content, with pikepdf.

``structure_problems(pdf)`` walks the tree from the catalog and every page's content stream:
each piece of text must be either inside an /Artifact or in marked content whose MCID the
ParentTree maps to an element of the tree; element types must be standard; tables, lists and
headings must be shaped as ISO 32000-1 14.8.4 describes them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pikepdf
from pdfa_checks import STANDARD_TYPES, TEXT_OPERATORS

_KIDS = {
    "/Table": {"/TR", "/THead", "/TBody", "/TFoot", "/Caption"},
    "/THead": {"/TR"},
    "/TBody": {"/TR"},
    "/TFoot": {"/TR"},
    "/TR": {"/TH", "/TD"},
    "/L": {"/LI", "/L", "/Caption"},
    "/LI": {"/Lbl", "/LBody"},
}


def _kids(element: pikepdf.Object) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def walk(pdf: pikepdf.Pdf) -> tuple[list[pikepdf.Dictionary], dict[tuple[Any, int], Any]]:
    """Every element of the tree in reading order, and (page, MCID) -> element."""
    root = pdf.Root.StructTreeRoot
    elements: list[pikepdf.Dictionary] = []
    content: dict[tuple[Any, int], Any] = {}
    seen: set[tuple[int, int]] = set()

    def visit(element: pikepdf.Dictionary, page: Any) -> None:
        if element.objgen in seen:
            raise ValueError("the structure tree has a cycle")
        seen.add(element.objgen)
        elements.append(element)
        page = element.get("/Pg", page)
        for kid in _kids(element):
            if isinstance(kid, int):
                content[(page.objgen, int(kid))] = element
            elif kid.get("/Type") == "/MCR":
                content[(kid.get("/Pg", page).objgen, int(kid.MCID))] = element
            elif kid.get("/Type") == "/OBJR":
                continue
            else:
                if kid.get("/P") is None or kid.P.objgen != element.objgen:
                    raise ValueError(f"element {kid.get('/S')} does not name its parent")
                visit(kid, page)

    for top in _kids(root):
        visit(top, None)
    return elements, content


def _marked_text(pdf: pikepdf.Pdf, content: dict[tuple[Any, int], Any]) -> list[str]:
    """Text outside both the tree and artifacts, or MCIDs the ParentTree maps elsewhere."""
    problems = []
    parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    for number, page in enumerate(pdf.pages, start=1):
        if page.obj.get("/Tabs") != "/S" or "/StructParents" not in page.obj:
            problems.append(f"page {number}: no /Tabs /S or /StructParents")
            continue
        mapped = parents.get(int(page.obj.StructParents))
        stack: list[tuple[str, int | None]] = []
        loose = 0
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BMC":
                stack.append((str(operands[0]), None))
            elif op == "BDC":
                props = operands[1]
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                stack.append((str(operands[0]), None if mcid is None else int(mcid)))
                if mcid is not None:
                    element = content.get((page.obj.objgen, int(mcid)))
                    if element is None:
                        problems.append(f"page {number}: MCID {mcid} is not in the tree")
                    elif mapped is None or mapped[int(mcid)].objgen != element.objgen:
                        problems.append(f"page {number}: ParentTree misses MCID {mcid}")
            elif op == "EMC" and stack:
                stack.pop()
            elif op in TEXT_OPERATORS:
                artifact = any(tag == "/Artifact" for tag, _ in stack)
                tagged = any(mcid is not None for _, mcid in stack)
                if not artifact and not tagged:
                    loose += 1
        if loose:
            problems.append(f"page {number}: {loose} text operations neither tagged nor artifact")
    return problems


def structure_problems(pdf: pikepdf.Pdf) -> list[str]:
    """What is wrong with the tagging of ``pdf`` (see the module docstring)."""
    root = pdf.Root
    if "/StructTreeRoot" not in root:
        return ["no StructTreeRoot"]
    problems = []
    if not bool((root.get("/MarkInfo") or {}).get("/Marked", False)):
        problems.append("MarkInfo /Marked is not true")
    try:
        elements, content = walk(pdf)
    except ValueError as exc:
        return [*problems, str(exc)]
    roles = root.StructTreeRoot.get("/RoleMap") or {}
    for element in elements:
        kind = str(element.get("/S"))
        if kind[1:] not in STANDARD_TYPES and kind not in roles:
            problems.append(f"non-standard structure type {kind}")
        allowed = _KIDS.get(kind)
        kid_types = {
            str(k.get("/S"))
            for k in _kids(element)
            if isinstance(k, pikepdf.Dictionary) and "/S" in k
        }
        if allowed is not None and not kid_types <= allowed:
            problems.append(f"{kind} holds {sorted(kid_types - allowed)}")
        if kind == "/TH":
            attributes = element.get("/A")
            scopes = [
                a.get("/Scope")
                for a in (attributes if isinstance(attributes, pikepdf.Array) else [attributes])
                if a is not None
            ]
            if not any(s in ("/Row", "/Column", "/Both") for s in scopes):
                problems.append("a table header cell has no /Scope")
        if not _kids(element):
            problems.append(f"empty {kind} element")
    if "/IDTree" not in root.StructTreeRoot and any("/ID" in e for e in elements):
        problems.append("elements have /ID but the tree has no IDTree")
    problems += _marked_text(pdf, content)
    return problems


def structure_types(pdf_bytes: bytes) -> Counter[str]:
    """How many elements of each type the tree holds, e.g. ``{"/P": 40, "/H2": 9, ...}``."""
    import io

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        elements, _ = walk(pdf)
        return Counter(str(e.get("/S")) for e in elements)


def header_scopes(pdf_bytes: bytes) -> Counter[str]:
    """How many table header cells (/TH) have each /Scope, e.g. ``{"/Column": 6, "/Row": 5}``."""
    import io

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        elements, _ = walk(pdf)
        scopes: Counter[str] = Counter()
        for element in elements:
            if str(element.get("/S")) != "/TH":
                continue
            attributes = element.get("/A")
            for a in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
                if isinstance(a, pikepdf.Dictionary) and "/Scope" in a:
                    scopes[str(a.Scope)] += 1
        return scopes
