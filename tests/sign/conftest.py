"""Fixtures of the signing tests: a small test PKI, issued PDFs and a reader-style signer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

import pytest

from docflow.sign import add_signature_fields
from pki_support import Pki, make_pki

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


@pytest.fixture(scope="session")
def pki() -> Pki:
    """Make a CA, a client certificate and a vendor certificate (PKCS#12, one password)."""
    return make_pki(P12_PASSWORD)


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
