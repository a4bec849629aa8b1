"""The shared first half of rendering: template -> HTML -> block tree -> page HTML.

Both renderers start from one :class:`Prepared`, so the Jinja template runs once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docflow.errors import TemplateError
from docflow.render.blocks import Document
from docflow.render.context import kind_template_name, load_labels, render_template, search_path
from docflow.render.frame import PageWords, page_words
from docflow.render.html import parse_html
from docflow.render.htmlout import document_html
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
            return path.read_text(encoding="utf-8")
    raise TemplateError("style.css not found in any template folder", "style.css")


def prepare(request: RenderRequest) -> Prepared:
    """Render the template and parse it; raise TemplateError when either fails."""
    meta = request.meta
    dirs = search_path(request.template_dirs)
    context = dict(request.context)
    if not context.get("labels"):
        context["labels"] = load_labels(dirs, meta.locale)
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
