"""The shared first half of rendering: template -> HTML -> block tree -> page HTML.

Both renderers start from one :class:`Prepared`, so the Jinja template runs once. It is also
the one place both go through for what they print, so the rules on text live here:
bidirectional control characters are removed from the data, the labels and the document's
metadata before anything renders (and from template text by the HTML parser), so the DOCX
and the PDF show the same characters in the order they are stored; every template file the
renderers read must lie inside the template folders.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docflow.errors import TemplateError
from docflow.render.blocks import Document
from docflow.render.context import kind_template_name, load_labels, render_template, search_path
from docflow.render.fetcher import template_file
from docflow.render.frame import PageWords, page_words
from docflow.render.html import parse_html
from docflow.render.htmlout import document_html
from docflow.render.htmlstate import strip_bidi
from docflow.render.meta import DocMeta, RenderRequest

__all__ = ["Prepared", "letterhead", "prepare", "stylesheet"]


@dataclass(frozen=True)
class Prepared:
    """A parsed document with everything the two renderers need."""

    meta: DocMeta
    document: Document
    dirs: tuple[Path, ...]
    words: PageWords
    letterhead: str
    context: Mapping[str, Any]
    html: str


def letterhead(context: Mapping[str, Any]) -> str:
    """The vendor's name from the project data, printed at the top of every page."""
    project = context.get("p") or {}
    parties = project.get("parties") or {}
    vendor = parties.get("vendor") or {}
    return str(vendor.get("name") or "")


def stylesheet(dirs: tuple[Path, ...]) -> str:
    """style.css of the first template folder that has one."""
    for folder in dirs:
        path = folder / "style.css"
        if path.is_file():
            return template_file(path, dirs).read_text(encoding="utf-8")
    raise TemplateError("style.css not found in any template folder", "style.css")


def without_bidi(value: Any) -> Any:
    """``value`` with bidirectional controls removed from every string it holds.

    A value that says it is already clean (``bidi_clean``: the read-recording proxies a
    document's context is wrapped in after this ran) is kept as it is, so that walking it here
    neither reads every field nor drops the proxies.
    """
    if getattr(value, "bidi_clean", False) is True:
        return value
    if isinstance(value, str):
        return strip_bidi(value)
    if isinstance(value, Mapping):
        return {key: without_bidi(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(without_bidi(item) for item in value)
    return value


_PRINTED_META = ("title", "number", "project_code", "project_name", "contract_number")


def prepare(request: RenderRequest) -> Prepared:
    """Render the template and parse it; raise TemplateError when either fails."""
    from docflow.render.docx import find_frame

    dirs = search_path(request.template_dirs)
    context = dict(request.context)
    if not context.get("labels"):
        context["labels"] = load_labels(dirs, request.meta.locale)
    context = without_bidi(context)
    printed: dict[str, Any] = {
        name: strip_bidi(getattr(request.meta, name)) for name in _PRINTED_META
    }
    meta = dataclasses.replace(request.meta, **printed)
    template_file(find_frame(dirs, meta.locale), dirs)  # the DOCX renderer reads it later
    request = RenderRequest(meta, context, request.template_dirs)
    html = render_template(request)
    document = parse_html(html, kind_template_name(meta.template, meta.locale), meta.title)
    words = page_words(meta.locale, context["labels"])
    from docflow.render import letterhead as company_letterhead

    own = context.get("letterhead")  # the company letterhead, if a letterhead.yaml is in force
    head = company_letterhead.company(own, letterhead(context))
    css = stylesheet(dirs) + company_letterhead.stylesheet(own)
    page = document_html(document, meta, words, head, css)
    return Prepared(meta, document, dirs, words, head, context, page)
