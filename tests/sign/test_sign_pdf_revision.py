"""The pypdf incremental update behind add_signature_fields.

pyHanko and Poppler are the judges: whatever the input's cross-reference kind, the fields
docflow adds read back as empty signature fields, and a reader can sign them.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zlib
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest

from docflow.errors import InvalidInput
from docflow.sign import add_signature_fields, verify_signed_pdf

ISSUED_ON = dt.date(2026, 11, 23)


def _reader(pdf: bytes):  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(BytesIO(pdf), strict=True)


def _empty_sig_fields(pdf: bytes) -> dict[str, list[float]]:
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = _reader(pdf)
    found = {}
    for name, value, ref in enumerate_sig_fields(reader):
        assert value is None
        found[name] = [float(v) for v in ref.get_object()["/Rect"]]
    return found


def _weasyprint(html: str, **options: object) -> bytes:
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=html).write_pdf(**options)
    return pdf


# -- inputs of both cross-reference kinds ------------------------------------------------


def _handmade_pdf(xref: str) -> bytes:
    """A one-page PDF with a classic table, or a PNG-predicted cross-reference stream."""
    objects = {
        1: b"<</Type /Catalog /Pages 2 0 R>>",
        2: b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        3: b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R]>>",
        4: b"<</Type /Annot /Subtype /Link /Rect [0 0 10 10]>>",
    }
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for num, body in objects.items():
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, body)
    start = len(out)
    if xref == "table":
        out += b"xref\n0 5\n0000000000 65535 f \n"
        out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, 5))
        out += b"trailer\n<</Size 5 /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % start
        return bytes(out)
    offsets[5] = start
    rows = [bytes([0, 0, 0, 0])] + [
        bytes([1]) + offsets[n].to_bytes(2, "big") + b"\0" for n in range(1, 6)
    ]
    previous, encoded = bytes(4), bytearray()
    for row in rows:  # PNG "Up" filter, as many producers write it
        encoded += b"\x02" + bytes((a - b) & 0xFF for a, b in zip(row, previous, strict=True))
        previous = row
    data = zlib.compress(bytes(encoded))
    out += (
        b"5 0 obj\n<</Type /XRef /Size 6 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode "
        b"/DecodeParms <</Predictor 12 /Columns 4>> /Length %d>>\nstream\n" % len(data)
    )
    out += data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


class _Box:
    def __init__(self, page: int, x: float, y: float, width: float, height: float) -> None:
        self.page, self.x, self.y, self.width, self.height = page, x, y, width, height


@pytest.mark.parametrize("xref", ["table", "stream"])
def test_handmade_pdfs_get_their_fields(xref: str) -> None:
    plain = _handmade_pdf(xref)
    issued = add_signature_fields(plain, {"client": _Box(0, 20, 30, 100, 40)}, ISSUED_ON)
    assert issued.startswith(plain)
    assert _empty_sig_fields(issued) == {"client": [20.0, 30.0, 120.0, 70.0]}
    page = _reader(issued).root["/Pages"]["/Kids"][0].get_object()
    assert len(page["/Annots"]) == 2  # the link is kept


def test_uncompressed_weasyprint_pdf_can_be_signed(
    tmp_path: Path, boxes: dict, reader_sign: Callable[..., bytes], pki
) -> None:
    html = '<p>Memo <a href="https://example.org">link</a></p><table><tr><td>x</td></tr></table>'
    plain = _weasyprint(html, uncompressed_pdf=True)
    assert b"\nxref\n" in plain
    issued = add_signature_fields(plain, boxes, ISSUED_ON)
    assert set(_empty_sig_fields(issued)) == {"client", "vendor"}
    signed = reader_sign(issued, "vendor", pki.vendor_p12)
    check = verify_signed_pdf(issued, signed, "vendor", trust_roots=[pki.ca_pem])
    assert check.valid and check.trusted and check.coverage == "ENTIRE_FILE"
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in report
    assert "The signature form field is not signed." in report  # the client's, still empty


def test_fields_go_on_the_right_pages(boxes: dict) -> None:
    html = "<p>one</p><p style='break-before: page'>two</p><p style='break-before: page'>3</p>"
    plain = _weasyprint(html)
    issued = add_signature_fields(
        plain, {"client": _Box(2, 10, 10, 50, 20), "vendor": _Box(1, 10, 10, 50, 20)}, ISSUED_ON
    )
    reader = _reader(issued)
    pages = [reader.find_page_for_modification(i)[0] for i in range(3)]
    for name, page in (("client", 2), ("vendor", 1)):
        [field] = [f for f in reader.root["/AcroForm"]["/Fields"] if f.get_object()["/T"] == name]
        assert field.get_object().raw_get("/P") == pages[page]
        assert field in list(pages[page].get_object()["/Annots"])


def test_modification_date_is_the_issue_date(issued_pdf: bytes) -> None:
    assert str(_reader(issued_pdf).trailer["/Info"]["/ModDate"]) == "D:20261123000000Z"


def _encrypted(pdf: bytes) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=BytesIO(pdf))
    writer.encrypt("secret", algorithm="AES-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        pytest.param(lambda pdf: pdf[: len(pdf) // 2], "cannot be read", id="truncated"),
        pytest.param(lambda pdf: _encrypted(pdf), "encrypted", id="encrypted"),
        pytest.param(
            lambda pdf: pdf.replace(b"startxref\n", b"startxref\n1"),
            "cannot be read",
            id="bad-offset",
        ),
    ],
)
def test_damaged_pdfs_are_refused(damage: Callable[[bytes], bytes], message: str) -> None:
    broken = damage(_handmade_pdf("table"))
    with pytest.raises(InvalidInput, match=message):
        add_signature_fields(broken, {"client": _Box(0, 20, 30, 100, 40)}, ISSUED_ON)


def test_adding_fields_imports_pypdf_only(tmp_path: Path, plain_pdf: bytes) -> None:
    path = tmp_path / "plain.pdf"
    path.write_bytes(plain_pdf)
    code = (
        "import sys, datetime\n"
        "from docflow.sign import add_signature_fields\n"
        "from docflow.render.meta import SigBox\n"
        f"pdf = open({str(path)!r}, 'rb').read()\n"
        "box = SigBox(page=0, x=60, y=120, width=220, height=80)\n"
        "out = add_signature_fields(pdf, {'client': box}, datetime.date(2026, 11, 23))\n"
        "assert len(out) > len(pdf)\n"
        "heavy = {'pyhanko', 'pyhanko_certvalidator', 'asn1crypto', 'pydyf', 'pypdf'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['pypdf']"
