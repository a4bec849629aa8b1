"""Signed PDFs that other checks accept and docflow refuses: one per attack class.

Each file is built from the issued PDF by code (pdf_attack_cases.py) and carries a real,
valid signature: pyHanko finds it intact and valid (and Poppler's pdfsig calls the worst of
them "Total document signed"); verify_signed_pdf must refuse it naming what is wrong.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from docflow.errors import IntegrityFailure
from docflow.sign import is_digitally_signed, recheck_signed_file, verify_signed_pdf
from pdf_attack_cases import ATTACKS, build, scan_with_hidden_signature
from pdf_attacks import Issued, Signing, load_signer
from pki_support import make_pki

# pyHanko cannot even read these two (it asserts, or finds no CMS).
_PYHANKO_CHOKES = {"duplicate-xref-stream", "non-cms-contents"}


@pytest.fixture(scope="module")
def signer(pki: Any) -> Any:
    """The client's pyHanko signer."""
    return load_signer(pki.client_p12, pki.password)


@pytest.fixture(scope="module")
def attacks(issued_pdf: bytes, signer: Any) -> dict[str, bytes]:
    """Every attack file, built once."""
    return {name: build(name, issued_pdf, signer) for name in ATTACKS}


def _pyhanko_intact_and_valid(pdf: bytes) -> bool:
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    sigs = PdfFileReader(BytesIO(pdf)).embedded_signatures
    context = ValidationContext(trust_roots=[], allow_fetching=False)
    status = validate_pdf_signature(sigs[-1], context, skip_diff=True)
    return bool(status.intact and status.valid)


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_is_refused_naming_what_is_wrong(
    name: str, attacks: dict[str, bytes], issued_pdf: bytes
) -> None:
    words = ATTACKS[name][1]
    with pytest.raises(IntegrityFailure) as refused:
        verify_signed_pdf(issued_pdf, attacks[name], "client")
    assert words in refused.value.message


@pytest.mark.parametrize("name", sorted(set(ATTACKS) - _PYHANKO_CHOKES))
def test_attack_carries_a_signature_pyhanko_finds_valid(
    name: str, attacks: dict[str, bytes]
) -> None:
    assert _pyhanko_intact_and_valid(attacks[name])


@pytest.mark.parametrize("name", ["orphaned-revision", "duplicate-xref-table"])
def test_poppler_calls_the_forgery_valid_and_shows_another_page(
    name: str, attacks: dict[str, bytes], issued_pdf: bytes, tmp_path: Path
) -> None:
    """What other readers make of the two worst forgeries: the signature covers the whole
    file and is valid, yet page 1 is not the issued page 1."""
    forged, issued = tmp_path / "forged.pdf", tmp_path / "issued.pdf"
    forged.write_bytes(attacks[name])
    issued.write_bytes(issued_pdf)
    report = subprocess.run(["pdfsig", "-nocert", str(forged)], capture_output=True, text=True)
    assert "Total document signed" in report.stdout
    assert "Signature is Valid." in report.stdout

    def page_one(path: Path) -> str:
        args = ["pdftotext", "-f", "1", "-l", "1", str(path), "-"]
        return subprocess.run(args, capture_output=True, text=True).stdout

    assert page_one(forged) != page_one(issued)


def test_hand_made_signing_update_is_accepted(issued_pdf: bytes, signer: Any) -> None:
    """The machinery behind the attacks makes acceptable signatures when it attacks nothing."""
    signed = Signing(Issued.read(issued_pdf)).write(signer)
    check = verify_signed_pdf(issued_pdf, signed, "client")
    assert check.valid and check.coverage == "ENTIRE_FILE"


def test_opaque_appearance_filling_its_blank_cell_is_accepted(
    issued_pdf: bytes, signer: Any
) -> None:
    """The signer owns its blank cell: an appearance painting all of it is no attack."""
    paint = b"1 1 1 rg 0 0 500 500 re f 0 0 0 rg BT /F1 9 Tf 2 2 Td (personal) Tj ET"
    signed = Signing(Issued.read(issued_pdf), appearance=paint).write(signer)
    assert verify_signed_pdf(issued_pdf, signed, "client").valid


@pytest.mark.parametrize("escaped", [False, True], ids=["plain", "escaped-in-object-stream"])
def test_a_signature_outside_the_form_counts_as_signed(escaped: bool) -> None:
    scan = scan_with_hidden_signature(escaped)
    assert (b"/ByteRange" in scan) is not escaped
    assert is_digitally_signed(scan)


@pytest.mark.parametrize(
    ("validity", "words"),
    [
        pytest.param((dt.timedelta(days=-30), dt.timedelta(days=-1)), "had expired", id="expired"),
        pytest.param(
            (dt.timedelta(days=2), dt.timedelta(days=30)), "not yet valid", id="not-yet-valid"
        ),
    ],
)
def test_certificate_outside_its_validity_is_refused(
    issued_pdf: bytes, validity: tuple[dt.timedelta, dt.timedelta], words: str
) -> None:
    pki = make_pki(b"pw", client_validity=validity)
    signed = Signing(Issued.read(issued_pdf)).write(load_signer(pki.client_p12, b"pw"))
    with pytest.raises(IntegrityFailure, match=words) as refused:
        verify_signed_pdf(issued_pdf, signed, "client")
    assert "the signing time the signature claims" in refused.value.message


def test_recheck_finds_a_forgery_an_earlier_docflow_stored(
    issued_pdf: bytes, attacks: dict[str, bytes], reader_sign: Any, pki: Any
) -> None:
    both = reader_sign(attacks["orphaned-revision"], "vendor", pki.vendor_p12)
    problems = recheck_signed_file(issued_pdf, both, ["client", "vendor"])
    assert problems and "does not descend from the issued document" in problems[0]


def test_recheck_accepts_both_parties_in_order(
    issued_pdf: bytes, reader_sign: Any, pki: Any
) -> None:
    client = reader_sign(issued_pdf, "client")
    both = reader_sign(client, "vendor", pki.vendor_p12)
    assert recheck_signed_file(issued_pdf, both, ["client", "vendor"]) == []
    assert "never recorded" in recheck_signed_file(issued_pdf, both, ["client"])[0]
    garbage = both + b"% appended\n"
    assert recheck_signed_file(issued_pdf, garbage, ["client", "vendor"])


def test_pdfsig_is_installed() -> None:
    assert shutil.which("pdfsig") and shutil.which("pdftotext")


# WeasyPrint's PDF/A writer leaves its ICC profile file open.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_pdfa_document_signed_by_pyhanko_is_accepted(
    boxes: dict, issued_on: dt.date, pki: Any
) -> None:
    """pyHanko rewrites a PDF/A file's XMP metadata when it signs (its date and producer):
    that is no change to the document."""
    import weasyprint

    from docflow.sign import add_signature_fields, sign_with_p12

    html = "<html lang=en><head><title>Memo</title></head><body><h1>Memo</h1></body></html>"
    rendered = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-3b")
    issued = add_signature_fields(rendered, boxes, issued_on)
    signed = sign_with_p12(issued, "vendor", pki.vendor_p12, pki.password, signer_name="V")
    assert verify_signed_pdf(issued, signed, "vendor", trust_roots=[pki.ca_pem]).trusted


def _xmp(description: bytes) -> Any:
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    stream.set_data(
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        b"xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
        b"xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:xmp='http://ns.adobe.com/xap/1.0/'>"
        + description
        + b"</rdf:RDF></x:xmpmeta>"
    )
    return stream


@pytest.mark.parametrize(
    ("after", "same"),
    [
        pytest.param(
            b"<rdf:Description xmp:ModifyDate='2027-01-01'><dc:title><rdf:Alt><rdf:li "
            b"xml:lang='x-default'>Memo</rdf:li></rdf:Alt></dc:title></rdf:Description>",
            True,
            id="new-date-other-form",
        ),
        pytest.param(
            b"<rdf:Description><dc:title><rdf:Alt><rdf:li xml:lang='x-default'>Forged"
            b"</rdf:li></rdf:Alt></dc:title></rdf:Description>",
            False,
            id="title-changed",
        ),
    ],
)
def test_xmp_may_change_only_its_dates(after: bytes, same: bool) -> None:
    from docflow.sign.metadata import same_xmp

    before = _xmp(
        b"<rdf:Description xmp:ModifyDate='2026-01-01'><dc:title><rdf:Alt>"
        b"<rdf:li xml:lang='x-default'>Memo</rdf:li></rdf:Alt></dc:title></rdf:Description>"
    )
    assert same_xmp(before, _xmp(after)) is same
