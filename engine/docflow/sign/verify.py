"""Verification of a PDF that a party signed in its own reader.

The signed file must be the issued file, byte for byte, followed by incremental updates
that only fill that party's empty signature field, the last of them its one new signature.
The checks run in this order, each raising IntegrityFailure naming what is wrong:

1. the issued bytes are the file's prefix;
2. docflow's own strict reading of the updates (:mod:`docflow.sign.revisions`): they
   descend from the issued revision itself, and every byte after the issued ones is
   accounted for;
3. exactly one new signature, in the party's own field; its signed range is the whole file
   but one hex /Contents (:mod:`docflow.sign.byterange`);
4. what the updates change (:mod:`docflow.sign.changes`): the party's field, nothing else;
   and /Contents is a CMS signature;
5. pypdf and pyHanko read every new object alike (:mod:`docflow.sign.readers`);
6. pyHanko: the signature's digest and value, whole-file coverage, the signer certificate's
   validity period at the claimed signing time, and its difference analysis from the
   issued revision.

Certificate trust is reported, not required, because clients sign with whatever
certificate their organisation issues.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docflow.errors import IntegrityFailure, InvalidInput
from docflow.sign._pdf import open_pdf
from docflow.sign._pypdf import open_pypdf, pypdf_errors
from docflow.sign.byterange import check_byte_range
from docflow.sign.certificate import check_validity_period
from docflow.sign.changes import check_changes, find_new_signature
from docflow.sign.readers import check_readers_agree
from docflow.sign.revisions import Revision, read_revisions
from docflow.sign.trust import load_roots, trust_note
from docflow.sign.types import SignatureCheck

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

__all__ = ["verify_signed_pdf"]


def _parser_errors() -> tuple[type[BaseException], ...]:
    """What pyHanko and pypdf raise on a damaged or hostile file (pyHanko also asserts)."""
    from pyhanko.pdf_utils.misc import PdfError

    return (PdfError, *pypdf_errors())


def verify_signed_pdf(
    issued: bytes, signed: bytes, party: str, *, trust_roots: Sequence[bytes] = ()
) -> SignatureCheck:
    """Accept `signed` as `issued` signed by `party`, or raise IntegrityFailure saying why.

    `trust_roots` are PEM or DER certificates; the result says whether the signer's
    certificate chains to one of them; a root that is not a certificate is InvalidInput.
    """
    roots = load_roots(trust_roots)
    _check_prefix(issued, signed)
    try:
        reader, revisions = _check_structure(issued, signed, party)
        issued_reader = open_pdf(issued, "The issued PDF")
        signed_reader = open_pdf(signed, "The signed PDF")
        listed = set().union(*(r.listed for r in revisions))
        check_readers_agree(reader, signed_reader, listed)
        _check_field_was_empty(issued_reader, party)
        base_revision = issued_reader.xrefs.total_revisions - 1
        signature = _the_new_signature(signed_reader, base_revision, party)
        status = _validate(signature, roots, party)
        check_validity_period(status.signing_cert, status.signer_reported_dt, party)
        _check_changes(signed_reader, base_revision, party)
    except InvalidInput as exc:
        raise IntegrityFailure(exc.message) from exc
    except _parser_errors() as exc:
        raise IntegrityFailure(f"The signed PDF cannot be read: {exc}") from exc
    subject: str = status.signing_cert.subject.human_friendly
    reported = status.signer_reported_dt
    return SignatureCheck(
        party=party,
        field=str(signature.field_name),
        signer_subject=subject,
        signed_at=reported.isoformat() if reported is not None else None,
        trusted=bool(status.trusted),
        trust_note=trust_note(status, bool(trust_roots)),
        coverage=status.coverage.name,
        intact=bool(status.intact),
        valid=bool(status.valid),
    )


def _check_structure(issued: bytes, signed: bytes, party: str) -> tuple[Any, list[Revision]]:
    """docflow's own checks (steps 2-4), with pypdf as the reader; returns pypdf's reader
    of the signed file and its updates."""
    issued_reader = open_pypdf(issued, "The issued PDF")
    reader = open_pypdf(signed, "The signed PDF")
    revisions = read_revisions(issued, signed, reader)
    new = find_new_signature(issued_reader, reader, party)
    check_byte_range(signed, revisions[-1], new.number, new.byte_range, new.contents, party)
    check_changes(issued_reader, reader, revisions, party)
    _require_cms(new.contents, party)
    return reader, revisions


def _require_cms(contents: bytes, party: str) -> None:
    """The /Contents must be a CMS SignedData with a signer (zero padding may follow)."""
    from asn1crypto import cms

    try:
        info = cms.ContentInfo.load(contents, strict=False)
        if info["content_type"].native != "signed_data":
            raise ValueError(f"content type {info['content_type'].native}")
        signer = info["content"]["signer_infos"][0]
        signer["signature"].native  # noqa: B018 -- asn1crypto parses lazily
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
        raise IntegrityFailure(
            f"The {party}'s signature value (/Contents) is not a CMS signature ({exc})."
        ) from exc


def _check_prefix(issued: bytes, signed: bytes) -> None:
    """The signed file must begin with exactly the issued bytes and add something."""
    prefix = signed[: len(issued)]
    if hashlib.sha256(prefix).digest() != hashlib.sha256(issued).digest():
        raise IntegrityFailure(
            "The signed PDF does not begin with the issued document's bytes: "
            "it is not a signed copy of this document, or the issued part was altered."
        )
    if len(signed) == len(issued):
        raise IntegrityFailure("The signed PDF is the issued PDF unchanged: it holds no signature.")


def _check_field_was_empty(reader: PdfFileReader, party: str) -> None:
    """The party must sign a field docflow issued for it, not one it created itself."""
    from pyhanko.sign.fields import enumerate_sig_fields

    if next(enumerate_sig_fields(reader, filled_status=False, with_name=party), None) is None:
        raise IntegrityFailure(
            f"The issued PDF has no empty signature field {party!r}, "
            f"so it cannot take a signature by the {party}."
        )


def _the_new_signature(
    reader: PdfFileReader, base_revision: int, party: str
) -> EmbeddedPdfSignature:
    """The one signature added after the issued revision, which must sit in `party`'s field."""
    new = [sig for sig in reader.embedded_signatures if sig.signed_revision > base_revision]
    if len(new) != 1:
        raise IntegrityFailure(
            f"The signed PDF adds {len(new)} signatures to the issued document; "
            f"exactly one, by the {party}, is accepted."
        )
    signature: EmbeddedPdfSignature = new[0]
    if signature.field_name != party:
        raise IntegrityFailure(
            f"The new signature sits in the field {signature.field_name!r}, "
            f"not in the {party}'s field {party!r}."
        )
    return signature


def _validate(signature: EmbeddedPdfSignature, roots: list[Any], party: str) -> Any:
    """Cryptographic checks: digest intact, signature value valid, whole file covered."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        # Our own difference analysis runs from the issued revision, not the signed one.
        status = validate_pdf_signature(signature, context, skip_diff=True)
    except (SignatureValidationError, ValueError, KeyError, TypeError) as exc:
        raise IntegrityFailure(f"The {party}'s signature cannot be validated: {exc}") from exc
    if not status.intact:
        raise IntegrityFailure(
            f"The {party}'s signature does not match the bytes it signs: "
            "the file was altered after signing."
        )
    if not status.valid:
        raise IntegrityFailure(
            f"The {party}'s signature value is not valid: the signature bytes were altered."
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise IntegrityFailure(
            f"The {party}'s signature does not cover the whole file: "
            "something was appended after signing."
        )
    return status


def _check_changes(reader: PdfFileReader, base_revision: int, party: str) -> None:
    """pyHanko's difference analysis: only the filling of `party`'s field is allowed."""
    from pyhanko.sign.diff_analysis import (
        DEFAULT_DIFF_POLICY,
        ModificationLevel,
        SuspiciousModification,
    )

    try:
        result = DEFAULT_DIFF_POLICY.review_file(reader, base_revision)
    except SuspiciousModification as exc:
        result = exc
    if isinstance(result, SuspiciousModification):
        detail = str(result).splitlines()[0] if str(result) else "unexplained changes"
        raise IntegrityFailure(
            f"The signed PDF changes the issued document beyond filling the {party}'s "
            f"signature field ({detail})."
        )
    if result.modification_level > ModificationLevel.FORM_FILLING:
        raise IntegrityFailure(
            f"The signed PDF changes the issued document beyond form filling "
            f"({result.modification_level.name}), not only the {party}'s signature."
        )
    others = set(result.changed_form_fields) - {party}
    if others:
        raise IntegrityFailure(
            f"The signed PDF also changes the form field(s) {', '.join(sorted(others))}."
        )
