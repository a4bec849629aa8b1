"""Empty signature fields in an issued PDF: one per party, at that party's signature cell.

The fields are added as one incremental update that is a pure function of its inputs: no
clock (the modification date is the issue date), and the trailer /ID comes from a hash of
the input, so re-issuing the same document gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, date, datetime
from io import BytesIO
from typing import TYPE_CHECKING

from docflow.errors import InvalidInput
from docflow.sign._pdf import open_pdf
from docflow.sign.types import SigBoxLike

if TYPE_CHECKING:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader

__all__ = ["add_signature_fields"]


def add_signature_fields(pdf: bytes, boxes: Mapping[str, SigBoxLike], issued_on: date) -> bytes:
    """Return `pdf` with one empty signature field per party, named after the party.

    Each field's widget sits on ``box.page`` at ``(x, y, x + width, y + height)``. The
    AcroForm gets ``/SigFlags 3`` (signatures exist, append only), which is what readers set
    when they sign; leaving it at 1 would make the signer's update rewrite the form
    dictionary. Same input, same bytes. With no boxes the PDF is returned unchanged.
    """
    if not boxes:
        return pdf
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field, ensure_sig_flags

    reader = open_pdf(pdf, "the PDF to add signature fields to")
    page_count = int(reader.root["/Pages"]["/Count"])
    ordered = sorted(boxes.items(), key=lambda item: _reading_order(item[0], item[1], page_count))
    writer = _deterministic_writer(pdf, reader, boxes, issued_on)
    for party, box in ordered:
        spec = SigFieldSpec(
            sig_field_name=party,
            on_page=box.page,
            # pyHanko annotates the box as ints but rounds floats correctly.
            box=(box.x, box.y, box.x + box.width, box.y + box.height),  # type: ignore[arg-type]
            empty_field_appearance=False,
        )
        try:
            append_signature_field(writer, spec)
        except PdfError as exc:
            raise InvalidInput(f"Cannot add the signature field {party!r}: {exc}") from exc
    ensure_sig_flags(writer, lock_sig_flags=True)
    out = BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


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
    if box.width <= 0 or box.height <= 0:
        raise InvalidInput(
            f"The signature box of {party!r} has no area ({box.width} x {box.height} pt)."
        )
    return box.page, -(box.y + box.height), box.x


def _deterministic_writer(
    pdf: bytes, reader: PdfFileReader, boxes: Mapping[str, SigBoxLike], issued_on: date
) -> IncrementalPdfFileWriter:
    """An incremental writer whose /ID and /ModDate derive from the input only."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    modified = datetime(issued_on.year, issued_on.month, issued_on.day, tzinfo=UTC)

    class _Writer(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            # pyHanko would stamp the wall clock and its producer name here.
            if self._info is not None:
                info = self._info.get_object()  # type: ignore[no-untyped-call]
                info[generic.pdf_name("/ModDate")] = generic.pdf_date(modified)
                self.mark_update(self._info)

    writer = _Writer(BytesIO(pdf), prev=reader)
    seed = hashlib.sha256(pdf)
    for party, box in sorted(boxes.items()):
        rect = (box.page, box.x, box.y, box.width, box.height)
        seed.update(f"\n{party}:{rect!r}".encode())
    seed.update(issued_on.isoformat().encode())
    try:
        first, _ = reader.trailer["/ID"]
        id1 = generic.ByteStringObject(first.original_bytes)
    except KeyError:
        id1 = generic.ByteStringObject(hashlib.sha256(pdf).digest()[:16])
    writer._document_id = generic.ArrayObject([id1, generic.ByteStringObject(seed.digest()[:16])])
    return writer
