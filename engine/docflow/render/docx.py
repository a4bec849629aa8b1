"""Render the block tree to DOCX: docxtpl fills frame.docx, python-docx writes the body.

The frame (letterhead, header, footer, styles) comes from the first template folder holding
``<locale>/frame.docx`` or ``frame.docx``. Core properties are set after docxtpl (which would
render them as templates), and the zip is rewritten with fixed timestamps so that the same
request gives the same bytes.

Languages: Latin text is en-US in a Chinese document (so that LibreOffice does not break
words, numbers and addresses as if they were Chinese) and en-GB in an English one, whose body
text Word hyphenates as the PDF's is; East Asian text is zh-CN. Chinese body text is set
flush left as in the PDF: justified, a line that ends before a long code would be spread
character by character.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.errors import TemplateError
from docflow.render.context import build_environment
from docflow.render.frame import running_head

if TYPE_CHECKING:
    from docflow.render.pipeline import Prepared

__all__ = ["BODY_MARKER", "find_frame", "render_docx"]

BODY_MARKER = "[[docflow-body]]"


def find_frame(dirs: tuple[Path, ...], locale: str) -> Path:
    """The frame.docx to use: a locale's own first, in template folder order."""
    for folder in dirs:
        for candidate in (folder / locale / "frame.docx", folder / "frame.docx"):
            if candidate.is_file():
                return candidate
    raise TemplateError("frame.docx not found in any template folder", "frame.docx")


def _marker(document: Any, frame: Path) -> Any:
    for paragraph in document.paragraphs:
        if paragraph.text.strip() == BODY_MARKER:
            return paragraph._p
    raise TemplateError(f"no paragraph {BODY_MARKER!r} marks where the body goes", str(frame))


def _set_locale(document: Any, locale: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    zh = locale.startswith("zh")
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:val"), "en-US" if zh else "en-GB")
            lang.set(qn("w:eastAsia"), "zh-CN")
    if zh:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        document.styles["Normal"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    settings = document.settings.element
    if not zh and settings.find(qn("w:autoHyphenation")) is None:
        tab_stop = settings.find(qn("w:defaultTabStop"))
        flag = OxmlElement("w:autoHyphenation")
        if tab_stop is not None:  # schema order: right after defaultTabStop
            tab_stop.addnext(flag)


def _core_properties(document: Any, prepared: Prepared) -> None:
    meta = prepared.meta
    issued = dt.datetime.combine(meta.issued_on, dt.time(), tzinfo=dt.UTC)
    props = document.core_properties
    props.title = prepared.document.title
    props.subject = meta.number
    props.keywords = meta.anchor_keyword
    props.author = prepared.letterhead
    props.last_modified_by = prepared.letterhead
    props.category = meta.code
    props.identifier = meta.id
    props.language = meta.locale
    props.comments = ""
    props.revision = max(meta.version, 1)
    props.created = issued
    props.modified = issued
    props.last_printed = issued


def _fixed_zip(data: bytes, issued_on: dt.date) -> bytes:
    """Rewrite the package with one timestamp and fixed attributes (python-docx uses now)."""
    stamp = (max(issued_on.year, 1980), issued_on.month, issued_on.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dest.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render_docx(prepared: Prepared) -> bytes:
    """The DOCX of a prepared document."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError as JinjaError

    from docflow.render.docxbody import BodyBuilder

    meta = prepared.meta
    frame = find_frame(prepared.dirs, meta.locale)
    template = DocxTemplate(str(frame))
    words = prepared.words
    head_title, head_detail = running_head(meta, prepared.document.title, words)
    context = {
        "doc": meta.to_dict(),
        "doc_title": prepared.document.title,
        "head": {"title": head_title, "detail": head_detail},
        "letterhead": prepared.letterhead,
        "page": {"before": words.before, "middle": words.middle, "after": words.after},
        "p": prepared.context.get("p") or {},
        "labels": prepared.context.get("labels") or {},
    }
    env = build_environment(prepared.dirs, meta.locale)
    from docflow.render.letterhead import add_logo, apply_docx

    template.init_docx()
    add_logo(template.docx, prepared.context.get("letterhead"))  # the company letterhead
    try:
        template.render(context, jinja_env=env, autoescape=True)
    except JinjaError as exc:
        raise TemplateError(f"frame could not be rendered: {exc}", str(frame)) from exc
    document = template.docx
    apply_docx(document, prepared.context.get("letterhead"))  # the company letterhead, if any
    marker = _marker(document, frame)
    builder = BodyBuilder(document, marker)
    for block in prepared.document.blocks:
        builder.add(block)
    builder.finish()
    marker.getparent().remove(marker)
    _set_locale(document, meta.locale)
    _core_properties(document, prepared)
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue(), meta.issued_on)
