"""verify_signed_pdf: a reader-signed copy of the issued PDF is accepted; anything else is not."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest

from docflow.errors import IntegrityFailure, InvalidInput
from docflow.sign import is_digitally_signed, verify_signed_pdf


def pdfsig(tmp_path: Path, pdf: bytes) -> str:
    """poppler's independent report on the signatures of `pdf`."""
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def client_signed(issued_pdf: bytes, reader_sign: Callable[..., bytes]) -> bytes:
    """The issued PDF signed by the client in its field, as a reader would."""
    return reader_sign(issued_pdf, "client")


def test_client_signature_is_accepted(issued_pdf: bytes, client_signed: bytes, pki) -> None:
    check = verify_signed_pdf(issued_pdf, client_signed, "client", trust_roots=[pki.ca_pem])
    assert (check.party, check.field, check.coverage) == ("client", "client", "ENTIRE_FILE")
    assert check.intact and check.valid and check.trusted
    assert "Client Signer" in check.signer_subject
    assert check.signed_at is not None
    assert check.to_dict()["signer_subject"] == check.signer_subject


def test_untrusted_root_is_reported_not_refused(issued_pdf: bytes, client_signed: bytes) -> None:
    check = verify_signed_pdf(issued_pdf, client_signed, "client")
    assert check.valid and not check.trusted
    assert "not vouched for" in check.trust_note


def test_poppler_finds_the_client_signature_valid(tmp_path: Path, client_signed: bytes) -> None:
    report = pdfsig(tmp_path, client_signed)
    assert "Signature Validation: Signature is Valid." in report
    assert "Signer Certificate Common Name: Client Signer" in report


def test_is_digitally_signed(issued_pdf: bytes, client_signed: bytes) -> None:
    assert not is_digitally_signed(issued_pdf)
    assert is_digitally_signed(client_signed)


def test_vendor_may_sign_after_the_client(
    client_signed: bytes, reader_sign: Callable[..., bytes], pki
) -> None:
    both = reader_sign(client_signed, "vendor", pki.vendor_p12)
    check = verify_signed_pdf(client_signed, both, "vendor", trust_roots=[pki.ca_pem])
    assert check.field == "vendor" and check.trusted


# Each tamper case builds a bad "signed" PDF from the issued one.
Tamper = Callable[[bytes, Callable[..., bytes], bytes], bytes]


def _other_document(issued: bytes, sign: Callable[..., bytes], other: bytes) -> bytes:
    return sign(other, "client")


def _content_appended_after_signing(issued: bytes, sign: Callable[..., bytes], _: bytes) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(sign(issued, "client")))
    _add_page_content(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _signature_bytes_altered(issued: bytes, sign: Callable[..., bytes], _: bytes) -> bytes:
    from pyhanko.pdf_utils.reader import PdfFileReader

    signed = sign(issued, "client")
    sig = PdfFileReader(BytesIO(signed)).embedded_signatures[0]
    value: bytes = sig.signer_info["signature"].native
    hex_value = value.hex().encode()
    at = signed.lower().index(hex_value) + len(hex_value) // 2
    flipped = b"0" if signed[at : at + 1] != b"0" else b"1"
    return signed[:at] + flipped + signed[at + 1 :]


def _other_party_field(issued: bytes, sign: Callable[..., bytes], _: bytes) -> bytes:
    return sign(issued, "vendor")


def _page_changed_with_signature(issued: bytes, sign: Callable[..., bytes], _: bytes) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(issued))
    _add_page_content(writer)
    return sign(issued, "client", writer=writer)


def _garbage_appended(issued: bytes, sign: Callable[..., bytes], _: bytes) -> bytes:
    return issued + b"\n1 0 obj\n<< /Garbage"


def _two_signatures(issued: bytes, sign: Callable[..., bytes], _: bytes) -> bytes:
    return sign(sign(issued, "client"), "vendor")


def _add_page_content(writer) -> None:
    """Draw over page 1: a new content stream appended to the page."""
    from pyhanko.pdf_utils import generic

    stream = generic.StreamObject(stream_data=b"0 0 1 rg 100 400 200 100 re f")
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    contents = page.raw_get("/Contents")
    page["/Contents"] = generic.ArrayObject([contents, writer.add_object(stream)])
    writer.update_container(page)


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        pytest.param(_other_document, "does not begin with the issued", id="other-document"),
        pytest.param(_content_appended_after_signing, "whole file", id="appended-after-signing"),
        pytest.param(_signature_bytes_altered, "not valid", id="signature-bytes-altered"),
        pytest.param(_other_party_field, "not in the client's field", id="other-party-field"),
        pytest.param(_page_changed_with_signature, "beyond", id="page-changed-with-signature"),
        pytest.param(_two_signatures, "adds 2 signatures", id="two-signatures"),
        pytest.param(_garbage_appended, "signed PDF", id="garbage-appended"),
    ],
)
def test_tampered_pdf_is_refused(
    issued_pdf: bytes,
    other_issued_pdf: bytes,
    reader_sign: Callable[..., bytes],
    pki,
    tamper: Tamper,
    message: str,
) -> None:
    bad = tamper(issued_pdf, reader_sign, other_issued_pdf)
    with pytest.raises(IntegrityFailure, match=message):
        verify_signed_pdf(issued_pdf, bad, "client", trust_roots=[pki.ca_pem])


def test_unchanged_issued_pdf_is_refused(issued_pdf: bytes) -> None:
    with pytest.raises(IntegrityFailure, match="holds no signature"):
        verify_signed_pdf(issued_pdf, issued_pdf, "client")


def test_signature_in_a_field_the_signer_created_is_refused(
    plain_pdf: bytes, boxes: dict, issued_on, pki
) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from docflow.sign import add_signature_fields

    vendor_only = add_signature_fields(plain_pdf, {"vendor": boxes["vendor"]}, issued_on)
    signer = signers.SimpleSigner.load_pkcs12_data(
        pki.client_p12, other_certs=(), passphrase=pki.password
    )
    signed = signers.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(vendor_only)),
        signers.PdfSignatureMetadata(field_name="client"),
        signer=signer,
        new_field_spec=fields.SigFieldSpec("client", box=(60, 120, 280, 200)),
    ).getvalue()
    with pytest.raises(IntegrityFailure, match="no empty signature field 'client'"):
        verify_signed_pdf(vendor_only, signed, "client")


def test_bad_trust_root_is_invalid_input(issued_pdf: bytes, client_signed: bytes) -> None:
    with pytest.raises(InvalidInput, match="Trust root #1"):
        verify_signed_pdf(issued_pdf, client_signed, "client", trust_roots=[b"not a cert"])
