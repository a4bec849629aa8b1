"""Empty signature fields in an issued PDF: one per party, at that party's signature cell.

The fields are added with pypdf as one incremental update (the rendered bytes stay the
file's prefix) that is a pure function of its inputs: no clock (the modification date is
the issue date) and a trailer /ID made from a hash of the input, so re-issuing the same
document gives the same bytes. Each field is one field merged with its widget, printed and
locked, with an empty /N appearance stream, as pyHanko makes them and as PDF/A-3 asks of a
widget; the form has /SigFlags 3 and no /NeedAppearances. pypdf loads only when fields are
written: importing this module costs nothing.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Mapping, Sequence
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING, Any

from docflow.errors import InvalidInput, TemplateError
from docflow.sign._pypdf import pypdf_errors
from docflow.sign.types import SigBoxLike
from docflow.sign.xrefself import list_itself

if TYPE_CHECKING:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, IndirectObject

__all__ = ["add_signature_fields", "prepare_fields"]

# Widget annotation flags: Print (4) and Locked (128), as pyHanko sets them; PDF/A needs Print.
_WIDGET_FLAGS = 132


def prepare_fields() -> None:
    """Start importing pypdf in a background thread, so that a command that will add
    fields later does not wait for the import then (it takes about 0.15 s of CPU).

    Call it where the command is about to wait for something else, e.g. right after
    sending a PDF to the render worker; it returns at once and does nothing the second
    time. Not in a process that forks afterwards: a child forked while the import runs
    would inherit a held import lock.
    """
    global _preloading  # one thread per process
    if _preloading is None and "pypdf" not in sys.modules:
        _preloading = threading.Thread(target=_import_pypdf, name="docflow-pypdf", daemon=True)
        _preloading.start()


def _import_pypdf() -> None:
    import pypdf.filters  # noqa: F401 -- the package, and the filters its first write loads


_preloading: threading.Thread | None = None


def add_signature_fields(
    pdf: bytes,
    boxes: Mapping[str, SigBoxLike],
    issued_on: date,
    *,
    signers: Sequence[str] = (),
) -> bytes:
    """Return `pdf` with one empty signature field per party, named after the party.

    Each field's widget sits on ``box.page`` at ``(x, y, x + width, y + height)``. The
    AcroForm gets ``/SigFlags 3`` (signatures exist, append only), which is what readers set
    when they sign; leaving it at 1 would make the signer's update rewrite the form
    dictionary. Same input, same bytes. With no boxes the PDF is returned unchanged.

    Each party in `signers` must have a box: a template without a party's signing cell
    (``m.signature_block``) is a TemplateError, not a PDF nobody can sign digitally.
    """
    missing = [party for party in signers if party not in boxes]
    if missing:
        cells = ", ".join(f'<td id="sig-{party}">' for party in missing)
        raise TemplateError(
            f"the document's template has no signing cell for {', '.join(missing)} ({cells}, "
            "made by m.signature_block(doc.signers)): its PDF would have no field to sign in"
        )
    if not boxes:
        return pdf
    what = "the PDF to add signature fields to"
    if not pdf.startswith(b"%PDF-"):
        raise InvalidInput(f"{what} is not a PDF file (it does not start with %PDF-).")
    from pypdf import PdfReader

    from docflow.sign.increment import LazyIncrementalWriter

    try:
        reader = PdfReader(BytesIO(pdf), strict=True)
        if "/Encrypt" in reader.trailer:
            raise InvalidInput(f"{what} cannot be read as a PDF: the file is encrypted")
        writer = LazyIncrementalWriter(reader)
        _number_new_objects_after(writer, reader)
        pages = list(writer.pages)
        ordered = sorted(
            boxes.items(), key=lambda item: _reading_order(item[0], item[1], len(pages))
        )
        fields = _form_fields(writer)
        taken = {_field_name(ref.get_object()) for ref in fields}
        for party, box in ordered:
            if party in taken:
                raise InvalidInput(
                    f"Cannot add the signature field {party!r}: the PDF has a field of that name."
                )
            fields.append(_add_field(writer, party, box, pages[box.page]))
        _stamp_modification_date(writer, issued_on)
        _set_document_id(writer, reader, pdf, boxes, issued_on)
        out = BytesIO()
        writer.write(out)
    except pypdf_errors() as exc:
        raise InvalidInput(f"{what} cannot be read as a PDF: {exc}") from exc
    return list_itself(out.getvalue(), _info_reference(reader))


def _info_reference(reader: Any) -> tuple[int, int] | None:
    """The rendered file's /Info as (object number, generation), if it names one."""
    from pypdf.generic import IndirectObject

    info = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
    return (info.idnum, info.generation) if isinstance(info, IndirectObject) else None


def _number_new_objects_after(writer: PdfWriter, reader: Any) -> None:
    """New objects get numbers from the trailer's /Size up, never a number in use.

    pypdf numbers new objects after the highest object its reader listed, and a
    cross-reference stream need not list itself (pypdf's own do not): a new object could
    take the number of an earlier revision's cross-reference stream, which the standard
    forbids and pyHanko's strict reader refuses.
    """
    size = reader.trailer.get("/Size")
    if isinstance(size, int) and 0 < size <= 10_000_000:
        missing = size - 1 - len(writer._objects)
        writer._objects.extend([None] * max(missing, 0))


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


def _form_fields(writer: PdfWriter) -> ArrayObject:
    """The AcroForm's /Fields array, changed in place by the caller (the form made if none)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    root = writer.root_object
    form = root.get("/AcroForm")
    if form is None:
        # A new form gets an object of its own, as readers and pyHanko make it.
        root[NameObject("/AcroForm")] = writer._add_object(DictionaryObject())
        form = root["/AcroForm"]
    form = form.get_object()
    if not isinstance(form, DictionaryObject):
        raise InvalidInput("the PDF's /AcroForm is not a dictionary")
    fields = form.get("/Fields")
    if fields is None:
        form[NameObject("/Fields")] = fields = ArrayObject()
    fields = fields.get_object()
    if not isinstance(fields, ArrayObject):
        raise InvalidInput("the PDF's AcroForm /Fields is not an array")
    form[NameObject("/SigFlags")] = NumberObject(3)
    # Appearances must not be regenerated once signed, and PDF/A forbids the flag.
    form.pop("/NeedAppearances", None)
    return fields


def _field_name(field: Any) -> str:
    """A field's partial name (/T) as text ("" when it has none)."""
    title = field.get("/T") if hasattr(field, "get") else None
    return str(title) if title is not None else ""


def _add_field(writer: PdfWriter, party: str, box: SigBoxLike, page: Any) -> IndirectObject:
    """One field merged with its widget on `page`, listed in the page's /Annots."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        StreamObject,
        TextStringObject,
    )

    def number(value: float) -> FloatObject:
        return FloatObject(round(float(value), 4))

    appearance = StreamObject()
    appearance.update(
        {
            NameObject("/BBox"): ArrayObject(
                [NumberObject(0), NumberObject(0), number(box.width), number(box.height)]
            ),
            NameObject("/Resources"): DictionaryObject(),
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
        }
    )
    rect = (box.x, box.y, box.x + box.width, box.y + box.height)
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Sig"),
            NameObject("/T"): TextStringObject(party),
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/F"): NumberObject(_WIDGET_FLAGS),
            NameObject("/Rect"): ArrayObject([number(v) for v in rect]),
            NameObject("/P"): page.indirect_reference,
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(appearance)}),
        }
    )
    ref = writer._add_object(field)
    annots = page.get("/Annots")
    if annots is None:
        page[NameObject("/Annots")] = ArrayObject([ref])
    else:
        listed = annots.get_object()
        if not isinstance(listed, ArrayObject):
            raise InvalidInput(f"page {box.page + 1}'s /Annots is not an array")
        listed.append(ref)
    return ref


def _stamp_modification_date(writer: PdfWriter, issued_on: date) -> None:
    """The document information's /ModDate becomes the issue date (midnight UTC)."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    info = writer._info
    if isinstance(info, DictionaryObject):
        info[NameObject("/ModDate")] = TextStringObject(f"D:{issued_on:%Y%m%d}000000Z")


def _set_document_id(
    writer: PdfWriter,
    reader: Any,
    pdf: bytes,
    boxes: Mapping[str, SigBoxLike],
    issued_on: date,
) -> None:
    """The trailer /ID: the first part kept, the second a hash of everything added.

    pypdf would keep both parts of the rendered file's /ID (or draw random ones); the
    standard asks for a new second part on each change, and docflow for the same bytes on
    each run.
    """
    from pypdf.generic import ArrayObject, ByteStringObject

    seed = hashlib.sha256(pdf)
    for party, box in sorted(boxes.items()):
        rect = (box.page, box.x, box.y, box.width, box.height)
        seed.update(f"\n{party}:{rect!r}".encode())
    seed.update(issued_on.isoformat().encode())
    previous = reader.trailer.get("/ID")
    first = hashlib.sha256(pdf).digest()[:16]
    if isinstance(previous, list) and previous:
        original = getattr(previous[0], "original_bytes", previous[0])
        if isinstance(original, bytes):
            first = original
    writer._ID = ArrayObject([ByteStringObject(first), ByteStringObject(seed.digest()[:16])])
