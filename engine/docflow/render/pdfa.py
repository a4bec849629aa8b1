"""PDF/A-3a for every PDF docflow writes: what WeasyPrint is asked for, and what is fixed after.

WeasyPrint's ``pdf/a-3a`` variant tags the PDF (StructTreeRoot, MarkInfo, /Lang from
``<html lang>``), writes XMP metadata claiming ``pdfaid:part 3, conformance A``, an sRGB
OutputIntent with ICC-based colours, and /AF for attachments. docflow adds:

- the document information and its XMP twin from the document itself, so they agree and do
  not depend on the clock: title, author (the vendor, from the page frame), creator tool,
  and the creation and modification dates at midnight UTC of the issue date (the date the
  signature-field revision also stamps);
- the data the document was rendered from as the associated file ``data.json``
  (AFRelationship /Data, MIME type application/json, dated the issue date);
- in the finisher: the producer in XMP only (see ``finish``), the XMP stream uncompressed,
  one /AF entry per file (WeasyPrint lists each twice), the structure fixes of
  :mod:`docflow.render.pdftags`, and the compact CJK fonts of :mod:`docflow.render.cidfonts`;
  then each stream is written once (:mod:`pdfwrite`).

What these PDFs do not claim or do is listed in README.md ("PDF/A").
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from typing import Any

from docflow.render.meta import DocMeta

__all__ = [
    "ATTACHMENT_NAME",
    "CREATOR",
    "OUTPUT_INTENT",
    "VARIANT",
    "attachment",
    "conformance_check",
    "finisher",
    "pdf_date",
    "set_metadata",
    "use_srgb",
]

VARIANT = "pdf/a-3a"
ATTACHMENT_NAME = "data.json"
CREATOR = "docflow"
_JSON = "/application#2fjson"
# The output intent's name for WeasyPrint: not "srgb", for which WeasyPrint opens its ICC file
# for every PDF and never closes it.
OUTPUT_INTENT = "docflow-srgb"


@functools.cache
def _srgb_icc() -> bytes:
    from importlib.resources import files

    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def use_srgb(document: Any) -> None:
    """Give a laid-out document WeasyPrint's sRGB profile as its output intent."""
    from weasyprint.css import ColorProfile

    profile = ColorProfile(
        io.BytesIO(_srgb_icc()), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"])
    )
    document.color_profiles[OUTPUT_INTENT] = profile
    document.output_intent = OUTPUT_INTENT


def pdf_date(issued_on: dt.date) -> str:
    """The W3C date-time docflow stamps for ``issued_on``: midnight UTC, as the fields do."""
    return f"{issued_on.isoformat()}T00:00:00Z"


def _frame_letterhead(document: Any) -> str:
    """The vendor name the page frame prints at the top of each page ("" when none)."""
    html = getattr(document, "_html", None)
    root = getattr(html, "etree_element", None)
    if root is None:
        return ""
    for element in root.iter("div"):
        if "df-frame" in (element.get("class") or "").split():
            return str(element.get("data-letterhead") or "")
    return ""


def set_metadata(document: Any, meta: DocMeta) -> None:
    """Author, creator tool and dates of a laid-out WeasyPrint document, from ``meta``."""
    metadata = document.metadata
    author = _frame_letterhead(document)
    metadata.authors = [author] if author else []
    metadata.generator = CREATOR
    metadata.created = metadata.modified = pdf_date(meta.issued_on)
    metadata.lang = meta.locale


def attachment(data: bytes, meta: DocMeta) -> Any:
    """``data`` as the associated file data.json, dated the issue date."""
    import weasyprint

    when = dt.datetime(meta.issued_on.year, meta.issued_on.month, meta.issued_on.day)
    return weasyprint.Attachment(
        string=data,
        name=ATTACHMENT_NAME,
        description=f"{meta.number} v{meta.version}: the data this document was rendered from",
        created=when,
        modified=when,
        relationship="Data",
    )


def _associated_files(pdf: Any) -> None:
    """One /AF entry per file specification, each embedded file typed application/json."""
    catalog = pdf.catalog
    files = catalog.get("AF")
    if files is None:
        return
    files[:] = list(dict.fromkeys(files))
    for reference in files:
        spec = pdf.objects[_number(reference)]
        name = getattr(spec.get("UF"), "string", "")
        if isinstance(name, str) and name.endswith(".json"):
            # WeasyPrint guesses from the system's MIME table; the file says what it is.
            pdf.objects[_number(spec["EF"]["F"])].extra["Subtype"] = _JSON


def _number(reference: Any) -> int:
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])


def finisher(bare_fonts: dict[bytes, bytes], write_once: bool = True) -> Callable[[Any, Any], None]:
    """The WeasyPrint finisher of a docflow PDF (see the module docstring).

    ``write_once=False`` leaves the writing to pydyf (same bytes, slower; for tests).
    """
    from docflow.render.cidfonts import embed_bare_cff
    from docflow.render.pdftags import fix_structure
    from docflow.render.pdfwrite import keep_signing_objects_outside, write_streams_once

    def finish(document: Any, pdf: Any) -> None:
        metadata = pdf.catalog.get("Metadata")
        if metadata is not None:
            # XMP stays readable by tools that scan for the packet without parsing the PDF.
            pdf.objects[_number(metadata)].compress = False
        # The producer stays in XMP only: signers (pyHanko) append theirs to the Info entry and
        # put only theirs in XMP, which would leave the two disagreeing in every signed copy.
        pdf.info.pop("Producer", None)
        _associated_files(pdf)
        fix_structure(pdf)
        embed_bare_cff(pdf, bare_fonts)
        keep_signing_objects_outside(pdf)
        if write_once:
            write_streams_once(document, pdf)

    return finish


def conformance_check(locale: str = "en") -> tuple[bool, str]:
    """Whether this machine can check PDF/A conformance, and how (for ``docflow doctor``),
    said in ``locale``."""
    import importlib.util
    import shutil

    from docflow.runtime.lang import say

    verapdf = shutil.which("verapdf")
    if verapdf is not None:
        return True, say(
            locale,
            f"PDF 按 PDF/A-3a 生成；用 {verapdf} -f 3a 文件 验证",
            f"PDFs are written as PDF/A-3a; validate them with {verapdf} -f 3a FILE",
        )
    how = say(
        locale,
        "PDF 按 PDF/A-3a 生成；未安装 veraPDF，符合性按结构检查（tests/pdfa，用 pikepdf）；"
        "README.md 的 PDF/A 一节列出这种检查不能发现的问题",
        "PDFs are written as PDF/A-3a; veraPDF is not installed, so conformance is checked "
        "structurally (tests/pdfa, with pikepdf): README.md, section PDF/A, lists what that "
        "does not cover",
    )
    return importlib.util.find_spec("pikepdf") is not None, how
