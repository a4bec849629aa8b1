"""add_signature_fields: one empty field per party at its rect, /SigFlags 3, deterministic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO

import pytest

from docflow.errors import InvalidInput
from docflow.sign import add_signature_fields

ISSUED_ON = dt.date(2026, 11, 23)


@dataclass(frozen=True)
class Box:
    """A signature box, shaped like docflow.render.SigBox."""

    page: int
    x: float
    y: float
    width: float
    height: float


def _fields(pdf: bytes) -> dict[str, tuple[int, list[float]]]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(pdf))
    count = int(reader.root["/Pages"]["/Count"])
    pages = [reader.find_page_for_modification(i)[0] for i in range(count)]
    found = {}
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        assert field["/FT"] == "/Sig"
        assert "/V" not in field
        page = pages.index(field.raw_get("/P"))
        assert ref in [a for a in pages[page].get_object()["/Annots"]]
        found[str(field["/T"])] = (page, [float(v) for v in field["/Rect"]])
    return found


def test_fields_sit_at_the_given_rects(issued_pdf: bytes) -> None:
    assert _fields(issued_pdf) == {
        "client": (0, [60.0, 120.0, 280.0, 200.0]),
        "vendor": (0, [310.0, 120.0, 530.0, 200.0]),
    }


def test_sig_flags_are_3(issued_pdf: bytes) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    assert PdfFileReader(BytesIO(issued_pdf)).root["/AcroForm"]["/SigFlags"] == 3


def test_issued_pdf_extends_the_rendered_pdf(plain_pdf: bytes, issued_pdf: bytes) -> None:
    assert issued_pdf.startswith(plain_pdf)
    assert len(issued_pdf) > len(plain_pdf)


def test_same_input_gives_same_bytes(plain_pdf: bytes, issued_pdf: bytes, boxes: dict) -> None:
    reordered = dict(reversed(boxes.items()))
    assert add_signature_fields(plain_pdf, reordered, ISSUED_ON) == issued_pdf


def test_other_date_gives_other_bytes(plain_pdf: bytes, issued_pdf: bytes, boxes: dict) -> None:
    assert add_signature_fields(plain_pdf, boxes, dt.date(2026, 11, 24)) != issued_pdf


def test_no_boxes_returns_the_pdf_unchanged(plain_pdf: bytes) -> None:
    assert add_signature_fields(plain_pdf, {}, ISSUED_ON) == plain_pdf


def test_poppler_sees_two_unsigned_fields(tmp_path, issued_pdf: bytes) -> None:
    import subprocess

    path = tmp_path / "issued.pdf"
    path.write_bytes(issued_pdf)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert out.count("The signature form field is not signed.") == 2


@pytest.mark.parametrize(
    ("boxes", "message"),
    [
        pytest.param({"client": Box(3, 1, 1, 10, 10)}, "on page 4", id="page-out-of-range"),
        pytest.param({"client": Box(0, 1, 1, 0, 10)}, "no area", id="no-area"),
        pytest.param({"a.b": Box(0, 1, 1, 10, 10)}, "without dots", id="dotted-name"),
        pytest.param({"client": Box(0, 1, 1, 10, 10)}, "client", id="field-exists"),
    ],
)
def test_bad_boxes_are_refused(issued_pdf: bytes, boxes: dict[str, Box], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        add_signature_fields(issued_pdf, boxes, ISSUED_ON)


def test_non_pdf_is_refused(boxes: dict) -> None:
    with pytest.raises(InvalidInput, match="not a PDF"):
        add_signature_fields(b"hello", boxes, ISSUED_ON)


def test_render_sigbox_fits(plain_pdf: bytes) -> None:
    meta = pytest.importorskip("docflow.render.meta")
    boxes = {"client": meta.SigBox(page=0, x=60.5, y=120.25, width=220.0, height=80.0)}
    pdf = add_signature_fields(plain_pdf, boxes, ISSUED_ON)
    assert _fields(pdf) == {"client": (0, [60.5, 120.25, 280.5, 200.25])}


def test_first_id_is_kept_when_fields_are_added_again(issued_pdf: bytes) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    more = add_signature_fields(issued_pdf, {"witness": Box(0, 60, 300, 100, 40)}, ISSUED_ON)
    before = PdfFileReader(BytesIO(issued_pdf)).trailer["/ID"]
    after = PdfFileReader(BytesIO(more)).trailer["/ID"]
    assert after[0] == before[0] and after[1] != before[1]
    assert set(_fields(more)) == {"client", "vendor", "witness"}


def test_same_bytes_in_another_process(tmp_path, plain_pdf: bytes, issued_pdf: bytes) -> None:
    """No clock, no random /ID, no hash-order dependence: another interpreter (another hash
    seed) writes the same bytes."""
    import os
    import subprocess
    import sys

    path = tmp_path / "plain.pdf"
    path.write_bytes(plain_pdf)
    code = (
        "import sys, datetime\n"
        "from docflow.sign import add_signature_fields\n"
        "from docflow.render.meta import SigBox\n"
        f"pdf = open({str(path)!r}, 'rb').read()\n"
        "boxes = {'client': SigBox(0, 60, 120, 220, 80), 'vendor': SigBox(0, 310, 120, 220, 80)}\n"
        "sys.stdout.buffer.write(add_signature_fields(pdf, boxes, datetime.date(2026, 11, 23)))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True)
    assert out.stdout == issued_pdf


def test_widgets_meet_pdfa(plain_pdf: bytes, boxes: dict) -> None:
    """What PDF/A-3 asks of a widget added in an incremental update: a normal appearance
    stream, the Print flag, nothing hidden, and no NeedAppearances on the form."""
    from pypdf import PdfReader
    from pypdf.generic import BooleanObject, NameObject

    with_flag = add_signature_fields(plain_pdf, {"witness": boxes["client"]}, ISSUED_ON)
    reader = PdfReader(BytesIO(with_flag))
    form = reader.root_object["/AcroForm"]
    form[NameObject("/NeedAppearances")] = BooleanObject(True)  # as a stale form might have
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=reader)
    stale = BytesIO()
    writer.write(stale)
    issued = add_signature_fields(stale.getvalue(), {"client": boxes["vendor"]}, ISSUED_ON)
    reader = PdfReader(BytesIO(issued))
    form = reader.root_object["/AcroForm"]
    assert "/NeedAppearances" not in form and form["/SigFlags"] == 3
    for ref in form["/Fields"]:
        widget = ref.get_object()
        flags = int(widget["/F"])
        assert flags & 4 and not flags & (1 | 2 | 32 | 256)
        assert set(widget["/AP"]) == {"/N"}
        assert widget["/AP"]["/N"].get_object()["/Subtype"] == "/Form"


def test_a_signer_without_a_signing_cell_is_a_template_error(plain_pdf: bytes) -> None:
    from docflow.errors import TemplateError

    boxes = {"client": Box(0, 60, 120, 220, 80)}
    with pytest.raises(TemplateError, match=r'no signing cell for vendor \(<td id="sig-vendor">'):
        add_signature_fields(plain_pdf, boxes, ISSUED_ON, signers=["client", "vendor"])
    assert add_signature_fields(plain_pdf, boxes, ISSUED_ON, signers=["client"])


def _rewritten(pdf: bytes) -> bytes:
    """``pdf`` rewritten by pypdf as one revision with a classic cross-reference table, its
    form marked /NeedAppearances as a stale form might be."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import BooleanObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    form = writer.root_object.get("/AcroForm")
    if form is not None:
        form.get_object()[NameObject("/NeedAppearances")] = BooleanObject(True)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("which", "parties"),
    [
        pytest.param("plain", ("client", "vendor"), id="rendered"),
        pytest.param("issued", ("witness",), id="fields-already-there"),
        pytest.param("rewritten", ("witness",), id="one-revision-xref-table"),
    ],
)
def test_only_the_touched_objects_are_read_and_the_bytes_are_pypdfs(
    plain_pdf: bytes,
    issued_pdf: bytes,
    boxes: dict,
    which: str,
    parties: tuple[str, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Adding fields reads only what it changes, yet writes what pypdf writes after copying
    every object of the file."""
    from pypdf import PdfReader, PdfWriter

    import docflow.sign.increment

    pdf = {"plain": plain_pdf, "issued": issued_pdf, "rewritten": _rewritten(issued_pdf)}[which]
    wanted = {party: boxes["client"] for party in parties}
    reader = PdfReader(BytesIO(pdf), strict=True)
    lazy = docflow.sign.increment.LazyIncrementalWriter(reader)
    copied = sum(obj is not None for obj in lazy._objects)
    assert copied < len(PdfWriter(reader, incremental=True)._objects) // 2
    fast = add_signature_fields(pdf, wanted, ISSUED_ON)
    monkeypatch.setattr(
        docflow.sign.increment,
        "LazyIncrementalWriter",
        lambda reader: PdfWriter(reader, incremental=True),
    )
    assert add_signature_fields(pdf, wanted, ISSUED_ON) == fast
    assert fast.startswith(pdf)
