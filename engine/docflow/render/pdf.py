"""Render the block tree to PDF/A-3a with WeasyPrint and find each party's signature cell.

Deterministic: the PDF's dates come from the issue date, its /ID from the request, and
nothing reads the clock. WeasyPrint is imported inside the functions here, and by pdfwrite.py
(what is kept per process, and the writing), which only ``render_pdf`` imports. What makes
the PDF archival is in pdfa.py, pdftags.py and cidfonts.py.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from docflow.errors import EnvironmentProblem
from docflow.render.fetcher import make_url_fetcher
from docflow.render.fonts import require_fonts, warn_if_no_subsetting
from docflow.render.libs import import_weasyprint
from docflow.render.meta import DocMeta, SigBox

__all__ = ["MIN_WEASYPRINT", "render_pdf", "signature_boxes"]

MIN_WEASYPRINT = 70
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px (1/96 in); PDF user space is 1/72 in


def _weasyprint() -> Any:
    weasyprint = import_weasyprint()
    major = int(str(weasyprint.__version__).split(".")[0])
    if major < MIN_WEASYPRINT:
        raise EnvironmentProblem(
            f"WeasyPrint {weasyprint.__version__} is too old: docflow needs {MIN_WEASYPRINT} "
            "or later (pip install -U weasyprint)"
        )
    return weasyprint


def signature_boxes(document: Any) -> dict[str, SigBox]:
    """The first laid-out cell with id ``sig-<party>`` per party, in PDF points."""
    from weasyprint.formatting_structure.boxes import TableCellBox

    found: dict[str, SigBox] = {}
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if not isinstance(box, TableCellBox) or box.element is None:
                continue
            ident = box.element.get("id") or ""
            party = ident.removeprefix("sig-")
            if not ident.startswith("sig-") or party in found:
                continue
            height = box.border_height() * PX_TO_PT
            found[party] = SigBox(
                page=index,
                x=round(box.border_box_x() * PX_TO_PT, 3),
                y=round((page.height - box.border_box_y()) * PX_TO_PT - height, 3),
                width=round(box.border_width() * PX_TO_PT, 3),
                height=round(height, 3),
            )
    return found


def render_pdf(
    html: str, meta: DocMeta, template_dirs: tuple[Path, ...], data: bytes = b""
) -> tuple[bytes, dict[str, SigBox]]:
    """Lay out ``html`` (from :func:`htmlout.document_html`) and return the PDF and sig boxes.

    The PDF is PDF/A-3a; ``data``, when given, is embedded as its associated file data.json.
    """
    require_fonts(meta.locale)
    weasyprint = _weasyprint()
    warn_if_no_subsetting()
    from docflow.render import fontfiles, pdfa
    from docflow.render.cidfonts import CompactFonts
    from docflow.render.pdftags import trace_sources
    from docflow.render.pdfwrite import join_kept_runs, parsed_style, split_style

    trace_sources()
    fetcher = make_url_fetcher(template_dirs)
    base_url = template_dirs[0].as_uri() + "/" if template_dirs else None
    # The stylesheet is the same for every document of a workspace: parse it once.
    if meta.locale.startswith("zh"):
        html = join_kept_runs(html)
    body, css = split_style(html)
    style = parsed_style(css, base_url, template_dirs) if css is not None else None
    if style is None:
        page = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        document = page.render(pdf_variant=pdfa.VARIANT)
    else:
        page = weasyprint.HTML(string=body, base_url=base_url, url_fetcher=fetcher)
        document = page.render(
            font_config=style.font_config, stylesheets=[style.css], pdf_variant=pdfa.VARIANT
        )
    boxes = signature_boxes(document)
    pdfa.set_metadata(document, meta)
    pdfa.use_srgb(document)
    fonts = document.fonts = CompactFonts()
    identifier = hashlib.sha256(
        f"{meta.number}\x00{meta.version}\x00{meta.anchor_hash}".encode()
    ).hexdigest()[:32]
    with fontfiles.lazy_fonts():
        pdf = document.write_pdf(
            pdf_identifier=identifier.encode("ascii"),
            pdf_variant=pdfa.VARIANT,
            output_intent=pdfa.OUTPUT_INTENT,
            attachments=[pdfa.attachment(data, meta)] if data else None,
            finisher=pdfa.finisher(fonts.bare),
        )
    return bytes(pdf), boxes
