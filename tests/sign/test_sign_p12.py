"""sign_with_p12: the vendor's PAdES signature in its own field, accepted by pyHanko and poppler."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest

from docflow.errors import Conflict, InvalidInput
from docflow.sign import is_digitally_signed, sign_with_p12, verify_signed_pdf


@pytest.fixture(scope="module")
def vendor_signed(issued_pdf: bytes, pki) -> bytes:
    """The issued PDF signed by the vendor with its PKCS#12 certificate."""
    return sign_with_p12(
        issued_pdf, "vendor", pki.vendor_p12, pki.password, signer_name="李四", reason="同意"
    )


def test_vendor_signature_validates_with_pyhanko(
    issued_pdf: bytes, vendor_signed: bytes, pki
) -> None:
    check = verify_signed_pdf(issued_pdf, vendor_signed, "vendor", trust_roots=[pki.ca_pem])
    assert (check.field, check.coverage, check.intact, check.valid, check.trusted) == (
        "vendor",
        "ENTIRE_FILE",
        True,
        True,
        True,
    )
    assert "Vendor Signer" in check.signer_subject


def test_vendor_signature_is_pades(vendor_signed: bytes) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    (signature,) = PdfFileReader(BytesIO(vendor_signed)).embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Name"] == "李四"
    assert signature.sig_object["/Reason"] == "同意"


def test_vendor_signature_is_valid_for_poppler(tmp_path: Path, vendor_signed: bytes) -> None:
    path = tmp_path / "vendor.pdf"
    path.write_bytes(vendor_signed)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in report
    assert "Signature Type: ETSI.CAdES.detached" in report
    assert "Total document signed" in report


def test_appearance_embeds_a_cjk_font(tmp_path: Path, vendor_signed: bytes) -> None:
    path = tmp_path / "vendor.pdf"
    path.write_bytes(vendor_signed)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts


def test_client_may_sign_after_the_vendor(
    vendor_signed: bytes, reader_sign: Callable[..., bytes], pki
) -> None:
    both = reader_sign(vendor_signed, "client")
    check = verify_signed_pdf(vendor_signed, both, "client", trust_roots=[pki.ca_pem])
    assert check.valid and is_digitally_signed(both)


@pytest.mark.parametrize(
    ("p12", "password", "party", "error", "message"),
    [
        pytest.param(None, b"wrong", "vendor", InvalidInput, "password", id="bad-password"),
        pytest.param(None, None, "vendor", InvalidInput, "password", id="no-password"),
        pytest.param(b"not a p12", b"x", "vendor", InvalidInput, "PKCS#12", id="not-p12"),
        pytest.param(None, "ok", "witness", InvalidInput, "no signature field", id="no-field"),
    ],
)
def test_bad_signing_input_is_refused(
    issued_pdf: bytes,
    pki,
    p12: bytes | None,
    password: bytes | str | None,
    party: str,
    error: type[Exception],
    message: str,
) -> None:
    secret = pki.password if password == "ok" else password
    with pytest.raises(error, match=message):
        sign_with_p12(issued_pdf, party, p12 or pki.vendor_p12, secret, signer_name="V")


def test_signed_field_is_a_conflict(vendor_signed: bytes, pki) -> None:
    with pytest.raises(Conflict, match="already signed"):
        sign_with_p12(vendor_signed, "vendor", pki.vendor_p12, pki.password, signer_name="V")
