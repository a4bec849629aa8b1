"""Fixtures of the signing tests: a small test PKI, issued PDFs and a reader-style signer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from docflow.sign import add_signature_fields

ISSUED_ON = dt.date(2026, 11, 23)
P12_PASSWORD = b"vendor-secret"


@dataclass(frozen=True)
class Box:
    """A signature box, shaped like docflow.render.SigBox."""

    page: int
    x: float
    y: float
    width: float
    height: float


BOXES = {"client": Box(0, 60, 120, 220, 80), "vendor": Box(0, 310, 120, 220, 80)}


@dataclass(frozen=True)
class Pki:
    """A test CA with a client certificate and a vendor certificate, both as PKCS#12."""

    ca_pem: bytes
    client_p12: bytes
    vendor_p12: bytes
    password: bytes


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Docflow Test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _cert(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    is_ca = issuer is None
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=not is_ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _p12(name: str, key: rsa.RSAPrivateKey, cert: x509.Certificate, ca: x509.Certificate) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, [ca], serialization.BestAvailableEncryption(P12_PASSWORD)
    )


@pytest.fixture(scope="session")
def pki() -> Pki:
    """Make a CA, a client certificate and a vendor certificate (PKCS#12, one password)."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _cert("Docflow Test CA", ca_key, None, ca_key)
    client_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client = _cert("Client Signer", client_key, ca, ca_key)
    vendor_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    vendor = _cert("Vendor Signer", vendor_key, ca, ca_key)
    return Pki(
        ca_pem=ca.public_bytes(serialization.Encoding.PEM),
        client_p12=_p12("client", client_key, client, ca),
        vendor_p12=_p12("vendor", vendor_key, vendor, ca),
        password=P12_PASSWORD,
    )


def _render(title: str) -> bytes:
    import weasyprint

    html = f"""<html><head><style>@page {{ size: A4; margin: 20mm }}
    td {{ border: 1px solid #000; height: 30mm; width: 75mm }}</style></head>
    <body><h1>{title}</h1><p>Scope and terms of {title}.</p>
    <table><tr><td>Client</td><td>Vendor</td></tr></table></body></html>"""
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


@pytest.fixture(scope="session")
def boxes() -> dict[str, Box]:
    """The signature boxes of the test documents, by party."""
    return dict(BOXES)


@pytest.fixture(scope="session")
def issued_on() -> dt.date:
    """The issue date of the test documents."""
    return ISSUED_ON


@pytest.fixture(scope="session")
def plain_pdf() -> bytes:
    """A rendered one-page document without signature fields."""
    return _render("Requirement memo RM-1")


@pytest.fixture(scope="session")
def issued_pdf(plain_pdf: bytes) -> bytes:
    """The issued form of plain_pdf: empty "client" and "vendor" signature fields."""
    return add_signature_fields(plain_pdf, BOXES, ISSUED_ON)


@pytest.fixture(scope="session")
def other_issued_pdf() -> bytes:
    """Another issued document (different text, same fields)."""
    return add_signature_fields(_render("Survey plan SP-1"), BOXES, ISSUED_ON)


ReaderSign = Callable[..., bytes]


@pytest.fixture(scope="session")
def reader_sign(pki: Pki) -> ReaderSign:
    """Sign like a PDF reader does: into an existing empty field, as an incremental update.

    ``reader_sign(pdf, field="client", p12=None, writer=None)``: pass a prepared
    IncrementalPdfFileWriter to sign in the same revision as other changes.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    def sign(pdf: bytes, field: str = "client", p12: bytes | None = None, writer=None) -> bytes:
        signer = signers.SimpleSigner.load_pkcs12_data(
            p12 or pki.client_p12, other_certs=(), passphrase=pki.password
        )
        if writer is None:
            writer = IncrementalPdfFileWriter(BytesIO(pdf))
        meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
        out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer, existing_fields_only=True)
        return out.getvalue()

    return sign
