"""The vendor's own signature: PAdES B-B with a PKCS#12 certificate, into its empty field.

The signature is an incremental update of the issued PDF, so the issued bytes stay a prefix
and verify_signed_pdf accepts the result like any reader's signature.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

from docflow.errors import Conflict, InvalidInput
from docflow.sign._pdf import open_pdf
from docflow.sign.appearance import stamp_style

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

__all__ = ["load_signer", "sign_field", "sign_with_p12"]


def sign_with_p12(
    pdf: bytes,
    party: str,
    p12: bytes,
    password: bytes | None,
    *,
    signer_name: str,
    reason: str | None = None,
) -> bytes:
    """Sign `pdf` in `party`'s existing empty field with the key and certificate in `p12`.

    The field shows the signer's name and the signing time. A wrong password or a file that
    is not PKCS#12 is InvalidInput; a missing field is InvalidInput; a field already signed
    is a Conflict.
    """
    signer = load_signer(p12, password)
    return sign_field(pdf, party, signer, signer_name, reason, stamp_style(signer_name, reason))


def sign_field(
    pdf: bytes, party: str, signer: SimpleSigner, name: str, reason: str | None, style: Any
) -> bytes:
    """Sign ``pdf`` in ``party``'s existing empty field (PAdES, SHA-256) with ``signer``, the
    field's appearance drawn by ``style``, as an incremental update. A missing field is
    InvalidInput; a field already signed is a Conflict."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    reader = open_pdf(pdf, "The PDF to sign")
    found = list(fields.enumerate_sig_fields(reader, with_name=party))
    if not found:
        raise InvalidInput(f"The PDF has no signature field named {party!r} to sign in.")
    if found[0][1] is not None:
        raise Conflict(f"The {party}'s signature field in this PDF is already signed.")
    meta = signers.PdfSignatureMetadata(
        field_name=party,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=name,
        reason=reason,
    )
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), prev=reader)
    try:
        out = pdf_signer.sign_pdf(writer, existing_fields_only=True)
    except SigningError as exc:
        raise InvalidInput(f"Cannot sign the {party}'s field: {exc}") from exc
    signed: bytes = out.getvalue()
    return signed


def load_signer(
    p12: bytes, password: bytes | None, what: str = "The PKCS#12 certificate"
) -> SimpleSigner:
    """Open the PKCS#12 archive (``what`` names it in the message); a wrong password and a
    wrong file read the same to users."""
    from pyhanko.sign import signers

    try:
        signer: SimpleSigner = signers.SimpleSigner.load_pkcs12_data(
            p12, other_certs=(), passphrase=password
        )
    except ValueError as exc:
        raise InvalidInput(
            f"{what} cannot be opened: the password is wrong "
            "or the file is not a PKCS#12 (.p12/.pfx) archive."
        ) from exc
    return signer
