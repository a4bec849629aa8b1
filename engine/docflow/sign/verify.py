"""Verification of a PDF that a party signed in its own reader.

The signed file must be the issued file, byte for byte, followed by incremental updates
that only fill that party's empty signature field, the last of them its one new signature.
Every check that fails raises IntegrityFailure naming the check; certificate trust is
reported, not required, because clients sign with whatever certificate their organisation
issues.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docflow.errors import IntegrityFailure, InvalidInput
from docflow.sign._pdf import open_pdf
from docflow.sign.types import SignatureCheck

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

__all__ = ["is_digitally_signed", "verify_signed_pdf"]


def verify_signed_pdf(
    issued: bytes, signed: bytes, party: str, *, trust_roots: Sequence[bytes] = ()
) -> SignatureCheck:
    """Accept `signed` as `issued` signed by `party`, or raise IntegrityFailure saying why.

    `trust_roots` are PEM or DER certificates; the result says whether the signer's
    certificate chains to one of them; a root that is not a certificate is InvalidInput.
    """
    from pyhanko.pdf_utils.misc import PdfError

    roots = _load_roots(trust_roots)
    _check_prefix(issued, signed)
    # A file that cannot be read is not "the issued PDF plus a signature" either.
    try:
        issued_reader = open_pdf(issued, "The issued PDF")
        signed_reader = open_pdf(signed, "The signed PDF")
        _check_field_was_empty(issued_reader, party)
        base_revision = issued_reader.xrefs.total_revisions - 1
        signature = _the_new_signature(signed_reader, base_revision, party)
        status = _validate(signature, roots, party)
        _check_changes(signed_reader, base_revision, party)
    except InvalidInput as exc:
        raise IntegrityFailure(exc.message) from exc
    except PdfError as exc:
        raise IntegrityFailure(f"The signed PDF cannot be read: {exc}") from exc
    subject: str = status.signing_cert.subject.human_friendly
    reported = status.signer_reported_dt
    return SignatureCheck(
        party=party,
        field=str(signature.field_name),
        signer_subject=subject,
        signed_at=reported.isoformat() if reported is not None else None,
        trusted=bool(status.trusted),
        trust_note=_trust_note(status, bool(trust_roots)),
        coverage=status.coverage.name,
        intact=bool(status.intact),
        valid=bool(status.valid),
    )


def is_digitally_signed(pdf: bytes) -> bool:
    """Whether `pdf` carries any digital signature (empty signature fields do not count).

    Scanner software writes PDFs with small syntax slips, so a file the strict parser refuses
    is read again leniently. A file that neither reads counts as signed when it holds a
    signature's /ByteRange, so that a damaged signed PDF is verified, and refused, rather
    than filed as a scan; any other unreadable file is InvalidInput.
    """
    try:
        reader = open_pdf(pdf, "The PDF")
    except InvalidInput:
        try:
            reader = open_pdf(pdf, "The PDF", strict=False)
        except InvalidInput:
            if b"/ByteRange" in pdf:
                return True
            raise
    return bool(reader.embedded_signatures)


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


def _load_roots(trust_roots: Sequence[bytes]) -> list[Any]:
    """Parse PEM or DER certificates; a bad one is an InvalidInput naming its position."""
    from pyhanko.keys import load_certs_from_pemder_data

    roots: list[Any] = []
    for number, data in enumerate(trust_roots, start=1):
        try:
            certs = list(load_certs_from_pemder_data(data))
            for cert in certs:
                cert.subject.human_friendly  # noqa: B018 -- asn1crypto parses lazily
        except (ValueError, TypeError) as exc:
            raise InvalidInput(f"Trust root #{number} is not a PEM or DER certificate.") from exc
        if not certs:
            raise InvalidInput(f"Trust root #{number} holds no certificate.")
        roots.extend(certs)
    return roots


def _trust_note(status: Any, have_roots: bool) -> str:
    """One sentence on whether the certificate is trusted, and if not, why."""
    if status.trusted:
        return "The signer's certificate chains to a trusted root."
    if status.revoked:
        return "The signer's certificate has been revoked."
    if not have_roots:
        return "No trust roots are configured, so the signer's certificate is not vouched for."
    problem = status.trust_problem_indic
    reason = f" ({problem.name})" if problem is not None else ""
    return f"The signer's certificate does not chain to a trusted root{reason}."
