"""The company letterhead in both renderers: a stylesheet for the PDF, a header and footer
for the DOCX. It reads the template context's ``letterhead`` (see
:mod:`docflow.spec.letterhead`); without one nothing changes.

PDF: the logo and company name in the running header (top left), the footer text bottom
left, headings and the running header in the primary colour, table headers on the accent
colour. DOCX: the logo before the company name in the frame's header, the footer text in a
paragraph of its own in the footer, headings in the primary colour.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from typing import Any

__all__ = ["add_logo", "apply_docx", "company", "stylesheet"]


def _css_text(text: str) -> str:
    """``text`` as a CSS string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def company(letterhead: Mapping[str, Any] | None, default: str) -> str:
    """The name printed at the top of every page: the letterhead's company, else ``default``."""
    if letterhead and letterhead.get("company"):
        return str(letterhead["company"])
    return default


def stylesheet(letterhead: Mapping[str, Any] | None) -> str:
    """CSS appended to the document's stylesheet (empty without a letterhead)."""
    if not letterhead:
        return ""
    rules = []
    logo = letterhead.get("logo")
    colors = letterhead.get("colors") or {}
    primary, accent = colors.get("primary"), colors.get("accent")
    top = []
    if logo:
        uri = f"data:{logo['mime']};base64,{logo['data']}"
        top.append(
            f'content: url("{uri}") "\\2003" string(df-letterhead); '
            f"image-resolution: {int(logo['dpi'])}dpi;"
        )
    if primary:
        top.append(f"color: {primary};")
    page = []
    if top:
        page.append("@top-left { " + " ".join(top) + " }")
        if primary:
            page.append(f"@top-right {{ color: {primary}; }}")
    if letterhead.get("footer"):
        page.append(
            "@bottom-left { content: "
            + _css_text(str(letterhead["footer"]))
            + "; font-size: 8pt; color: #444; width: 55%; }"
            + " @bottom-center { white-space: nowrap; }"
        )
    if page:
        rules.append("@page { " + " ".join(page) + " }")
    if primary:
        rules.append(f"h1, h2, h3 {{ color: {primary}; }}")
    if accent:
        rules.append(f"table.grid thead th, table.kv th {{ background-color: {accent}; }}")
    return "\n/* letterhead */\n" + "\n".join(rules) + "\n"


def add_logo(document: Any, letterhead: Mapping[str, Any] | None) -> None:
    """Put the logo before the company name in the frame's header (call before docxtpl
    renders the frame: docxtpl replaces the header part and keeps its relationships)."""
    logo = (letterhead or {}).get("logo")
    if not logo:
        return
    from docx.shared import Mm

    header = document.sections[0].header
    if not header.paragraphs:
        return
    paragraph = header.paragraphs[0]
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(base64.b64decode(logo["data"])), height=Mm(logo["height_mm"]))
    run.add_text("\u2003")
    first = paragraph._p.find(f"{{{_W}}}r")
    if first is not None and first is not run._r:
        first.addprevious(run._r)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def apply_docx(document: Any, letterhead: Mapping[str, Any] | None) -> None:
    """Add the footer text and the heading colour to a DOCX whose frame docxtpl rendered."""
    if not letterhead:
        return
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    footer_text = letterhead.get("footer")
    if footer_text:
        for rel in document.part.rels.values():
            if rel.reltype != RT.FOOTER:
                continue
            element = rel.target_part.element
            paragraph, run, props, size, text = (
                OxmlElement("w:p"),
                OxmlElement("w:r"),
                OxmlElement("w:rPr"),
                OxmlElement("w:sz"),
                OxmlElement("w:t"),
            )
            size.set(qn("w:val"), "16")  # 8 pt
            props.append(size)
            text.text = str(footer_text)
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run.append(props)
            run.append(text)
            paragraph.append(run)
            element.append(paragraph)
    primary = (letterhead.get("colors") or {}).get("primary")
    if primary:
        color = RGBColor.from_string(primary.lstrip("#").upper())
        for style in document.styles:
            if getattr(style, "name", "") in ("Title", "Heading 1", "Heading 2", "Heading 3"):
                style.font.color.rgb = color
