"""Telling a digitally signed PDF from a scan: a signature dictionary anywhere counts.

A signature need not sit in a form field to be a signature: a file whose signature
dictionary is kept out of the AcroForm, so that a field-based check misses it, must still be
verified (and refused) as a digital signature, never filed as a scan.
"""

from __future__ import annotations

import re

from docflow.errors import InvalidInput

__all__ = ["is_digitally_signed"]

# The marks of a signature dictionary in a file's bytes, as most writers spell them.
_MARKS = re.compile(
    rb"/ByteRange(?![^ \t\r\n\x0c\x00()<>\[\]{}/%])"
    rb"|/Type[ \t\r\n\x0c\x00]*/(?:Sig|DocTimeStamp)(?![^ \t\r\n\x0c\x00()<>\[\]{}/%])"
)
_SIGNATURE_TYPES = ("/Sig", "/DocTimeStamp")


def is_digitally_signed(pdf: bytes) -> bool:
    """Whether `pdf` holds a signature dictionary anywhere (empty signature fields do not
    count): one in a field, one outside the form, one in a compressed object stream.

    A file that pypdf cannot read even leniently is InvalidInput, unless its bytes show a
    signature: then it is treated as signed, verified, and refused.
    """
    from docflow.sign._pypdf import open_pypdf, pypdf_errors

    if _MARKS.search(pdf):
        return True
    reader = open_pypdf(pdf, "The PDF", strict=False)
    try:
        numbers = {num for table in reader.xref.values() for num in table}
        numbers |= set(reader.xref_objStm)
        for num in sorted(numbers):
            value = reader.get_object(num)
            if isinstance(value, dict) and (
                "/ByteRange" in value or value.get("/Type") in _SIGNATURE_TYPES
            ):
                return True
    except pypdf_errors() as exc:
        raise InvalidInput(f"The PDF cannot be read as a PDF: {exc}") from exc
    return False
