"""Empty signature fields in an issued PDF: one per party, at that party's signature cell.

The fields are added as one incremental update that is a pure function of its inputs: no
clock (the modification date is the issue date), and the trailer /ID comes from a hash of
the input, so re-issuing the same document gives the same bytes.

The update is written by docflow's own small PDF reader and writer, not pyHanko: issuing
a document needs only the catalog, the page tree and a few new objects, while importing
pyHanko's field helpers loads its whole signing stack (aiohttp, cryptography, certificate
validation), about a fifth of the CPU time of ``docflow advance``. The fields are what
pyHanko's ``append_signature_field`` writes (one field merged with its widget, an empty
appearance, print and locked flags), so pyHanko, Poppler and PDF readers sign them as any
other empty field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from typing import Any

from docflow.errors import InvalidInput
from docflow.sign._pdfread import PdfFile
from docflow.sign._pdfsyntax import PdfSyntax, Ref, Stream
from docflow.sign._pdfwrite import Revision, text_string
from docflow.sign.types import SigBoxLike

__all__ = ["add_signature_fields"]

# Widget annotation flags: Print (4) and Locked (128), as pyHanko sets them.
_WIDGET_FLAGS = 132


def add_signature_fields(pdf: bytes, boxes: Mapping[str, SigBoxLike], issued_on: date) -> bytes:
    """Return `pdf` with one empty signature field per party, named after the party.

    Each field's widget sits on ``box.page`` at ``(x, y, x + width, y + height)``. The
    AcroForm gets ``/SigFlags 3`` (signatures exist, append only), which is what readers set
    when they sign; leaving it at 1 would make the signer's update rewrite the form
    dictionary. Same input, same bytes. With no boxes the PDF is returned unchanged.
    """
    if not boxes:
        return pdf
    what = "the PDF to add signature fields to"
    if not pdf.startswith(b"%PDF-"):
        raise InvalidInput(f"{what} is not a PDF file (it does not start with %PDF-).")
    try:
        parsed = PdfFile.parse(pdf)
        pages = parsed.page_refs()
        revision = Revision(parsed)
        ordered = sorted(
            boxes.items(), key=lambda item: _reading_order(item[0], item[1], len(pages))
        )
        fields = _form_fields(revision)
        taken = {_field_name(revision.get(ref) if isinstance(ref, Ref) else ref) for ref in fields}
        for party, box in ordered:
            if party in taken:
                raise InvalidInput(
                    f"Cannot add the signature field {party!r}: the PDF has a field of that name."
                )
            fields.append(_add_field(revision, party, box, pages[box.page]))
        _stamp_modification_date(revision, issued_on)
        return revision.write(_document_id(parsed, pdf, boxes, issued_on))
    except (PdfSyntax, RecursionError) as exc:
        raise InvalidInput(f"{what} cannot be read as a PDF: {exc}") from exc


def _reading_order(party: str, box: SigBoxLike, page_count: int) -> tuple[int, float, float]:
    """Check one box and give its sort key: page, then top to bottom, then left to right."""
    if not party or "." in party:
        raise InvalidInput(
            f"Signature field name {party!r} is not valid: it must be non-empty without dots."
        )
    if not 0 <= box.page < page_count:
        raise InvalidInput(
            f"The signature box of {party!r} is on page {box.page + 1}, "
            f"but the PDF has {page_count} page(s)."
        )
    if not all(abs(v) < 1e9 for v in (box.x, box.y, box.width, box.height)):  # also NaN
        raise InvalidInput(f"The signature box of {party!r} is not on the page: {box!r}.")
    if box.width <= 0 or box.height <= 0:
        raise InvalidInput(
            f"The signature box of {party!r} has no area ({box.width} x {box.height} pt)."
        )
    return box.page, -(box.y + box.height), box.x


def _form_fields(revision: Revision) -> list[Any]:
    """The AcroForm's /Fields array, made part of the revision (the form is made if none).

    Every object on the way (catalog, form, array) is replaced in the revision, so the
    caller appends to the returned list and the change is written.
    """
    root_ref = revision.pdf.trailer["Root"]
    root = _dictionary(revision.get(root_ref), "the catalog")
    form_value = root.get("AcroForm")
    if isinstance(form_value, Ref):
        form = _dictionary(revision.get(form_value), "the AcroForm")
        revision.put(form_value, form)
    else:
        form = dict(form_value) if isinstance(form_value, dict) else {}
        # A new form gets an object of its own, as readers and pyHanko make it.
        root["AcroForm"] = form if isinstance(form_value, dict) else revision.add(form)
        revision.put(root_ref, root)
    fields_value = form.get("Fields")
    if isinstance(fields_value, Ref):
        fields = _array(revision.get(fields_value), "the AcroForm's /Fields")
        revision.put(fields_value, fields)
    else:
        fields = _array(fields_value, "the AcroForm's /Fields")
        form["Fields"] = fields
    form["SigFlags"] = 3
    form.pop("NeedAppearances", None)  # appearances must not be regenerated once signed
    return fields


def _field_name(field: Any) -> str:
    """A field's partial name (/T) as text."""
    title = field.get("T") if isinstance(field, dict) else None
    if not isinstance(title, bytes):
        return ""
    if title.startswith(b"\xfe\xff"):
        return title[2:].decode("utf-16-be", "replace")
    if title.startswith(b"\xef\xbb\xbf"):
        return title[3:].decode("utf-8", "replace")
    return title.decode("latin-1")


def _add_field(revision: Revision, party: str, box: SigBoxLike, page_ref: Ref) -> Ref:
    """One field merged with its widget on ``page_ref``, listed in the page's /Annots."""
    appearance = revision.add(
        Stream(
            {
                "BBox": [0, 0, round(box.width, 4), round(box.height, 4)],
                "Resources": {},
                "Type": "XObject",
                "Subtype": "Form",
            }
        )
    )
    rect = [box.x, box.y, box.x + box.width, box.y + box.height]
    field = revision.add(
        {
            "FT": "Sig",
            "T": text_string(party),
            "Type": "Annot",
            "Subtype": "Widget",
            "F": _WIDGET_FLAGS,
            "Rect": [round(float(v), 4) for v in rect],
            "P": page_ref,
            "AP": {"N": appearance},
        }
    )
    page = _dictionary(revision.get(page_ref), f"page object {page_ref.num}")
    annots = page.get("Annots")
    if isinstance(annots, Ref):
        revision.put(annots, [*_array(revision.get(annots), "a page's /Annots"), field])
    else:
        page["Annots"] = [*_array(annots, "a page's /Annots"), field]
        revision.put(page_ref, page)
    return field


def _dictionary(value: Any, what: str) -> dict[str, Any]:
    """A copy of a dictionary read from the PDF, to change in the revision."""
    if not isinstance(value, dict):
        raise PdfSyntax(f"{what} is not a dictionary")
    return dict(value)


def _array(value: Any, what: str) -> list[Any]:
    """A copy of an array read from the PDF (null reads as empty), to change."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise PdfSyntax(f"{what} is not an array")
    return list(value)


def _stamp_modification_date(revision: Revision, issued_on: date) -> None:
    """The document information's /ModDate becomes the issue date (midnight UTC)."""
    info_ref = revision.pdf.trailer.get("Info")
    if not isinstance(info_ref, Ref):
        return
    info = revision.get(info_ref)
    if isinstance(info, dict):
        stamp = f"D:{issued_on:%Y%m%d}000000Z".encode("ascii")
        revision.put(info_ref, {**info, "ModDate": stamp})


def _document_id(
    parsed: PdfFile, pdf: bytes, boxes: Mapping[str, SigBoxLike], issued_on: date
) -> list[bytes]:
    """The trailer /ID: the first part kept, the second a hash of everything added."""
    seed = hashlib.sha256(pdf)
    for party, box in sorted(boxes.items()):
        rect = (box.page, box.x, box.y, box.width, box.height)
        seed.update(f"\n{party}:{rect!r}".encode())
    seed.update(issued_on.isoformat().encode())
    previous = parsed.trailer.get("ID")
    if isinstance(previous, list) and previous and isinstance(previous[0], bytes):
        first = previous[0]
    else:
        first = hashlib.sha256(pdf).digest()[:16]
    return [first, seed.digest()[:16]]
