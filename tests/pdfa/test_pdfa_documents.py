"""Every kind x locale, issued through the lifecycle, is PDF/A-3a and carries its stored data."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pdfa_checks import pdfa_problems, xmp_properties
from pdfa_lifecycle import KINDS, LOCALES, Issued, rerender_request, run_docflow
from tagged_checks import header_scopes, structure_types

from docflow.render import render_document

IssuedFor = Callable[[str, str], Issued]


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_issued_pdf_passes_the_pdfa_checks(issued: IssuedFor, code: str, locale: str) -> None:
    """XMP claims PDF/A-3 A, tagged, /Lang, OutputIntent, fonts embedded, data.json = stored
    snapshot, signature fields printable with an appearance, nothing forbidden."""
    doc = issued(code, locale)
    assert doc.on_disk == doc.pdf
    assert pdfa_problems(doc.pdf, locale=locale, data=doc.data) == []


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_metadata_comes_from_the_document(issued: IssuedFor, code: str, locale: str) -> None:
    """Title, author (the vendor) and dates (the issue date) as the stored snapshot says."""
    doc = issued(code, locale)
    snapshot = json.loads(doc.data)
    with pikepdf.open(io.BytesIO(doc.pdf)) as pdf:
        xmp = xmp_properties(pdf)
        info = pdf.trailer.Info
        assert str(info.Title) == f"{snapshot['meta']['number']} {snapshot['meta']['title']}"
        assert str(info.Author) == snapshot["context"]["p"]["parties"]["vendor"]["name"]
        stamp = snapshot["meta"]["issued_on"].replace("-", "")
        assert str(info.CreationDate) == str(info.ModDate) == f"D:{stamp}000000Z"
        assert xmp["xmp:CreateDate"] == f"{snapshot['meta']['issued_on']}T00:00:00Z"
        assert "/Producer" not in info and xmp["pdf:Producer"].startswith("WeasyPrint")


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_structure_has_headings_paragraphs_and_tables(
    issued: IssuedFor, code: str, locale: str
) -> None:
    """One title (H1), sections (H2), paragraphs, and tables whose header cells are TH."""
    types = structure_types(issued(code, locale).pdf)
    assert types["/H1"] == 1
    assert types["/H2"] >= 2
    assert types["/P"] >= 1
    assert types["/Table"] >= 1 and types["/TH"] >= 1 and types["/TD"] >= 1
    assert types["/LI"] == types["/LBody"]


@pytest.mark.parametrize("locale", LOCALES)
def test_lists_are_tagged_with_labels(issued: IssuedFor, locale: str) -> None:
    """The requirement memo's lists: L > LI > (Lbl, LBody), one label per item."""
    types = structure_types(issued("RM", locale).pdf)
    assert types["/L"] >= 1 and types["/LI"] >= 2
    assert types["/Lbl"] == types["/LI"] == types["/LBody"]


def _snapshot(html_sha256: str) -> bytes:
    return json.dumps({"html_sha256": html_sha256}).encode()


_CHILD = """
import json, pickle, sys
from docflow.render import render_document
request = pickle.loads(sys.stdin.buffer.read())
out = render_document(request, snapshot=lambda sha: json.dumps({"html_sha256": sha}).encode())
sys.stdout.buffer.write(out.pdf)
"""


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_same_input_gives_same_bytes_here_and_in_another_process(
    lifecycles: dict[str, Path], code: str, locale: str
) -> None:
    """Two renders in this process and one in a fresh process give the same PDF bytes."""
    request = rerender_request(lifecycles[locale], code)
    first = render_document(request, snapshot=_snapshot)
    second = render_document(request, snapshot=_snapshot)
    child = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=pickle.dumps(request),
        capture_output=True,
        check=True,
        timeout=300,
    )
    assert first.pdf == second.pdf == child.stdout
    assert first.data == _snapshot(hashlib.sha256(first.html.encode()).hexdigest())


def test_legal_register_is_pdfa(lifecycles: dict[str, Path], tmp_path: Path) -> None:
    """The register of `docflow export legal` is PDF/A-3a too (it carries no data file).

    Its tables are tagged as a reader needs them: the main contract's facts with a row
    header each (project, contract, number and signing date, amount, parties), then the
    annexes under six column headers (annex, document, version, title, issued, status).
    """
    for locale, ws in lifecycles.items():
        out = tmp_path / f"legal-{locale}.zip"
        result = run_docflow("export", "legal", str(out), cwd=ws)
        assert result.code == 0, result.err
        register = zipfile.ZipFile(out).read("register.pdf")
        assert pdfa_problems(register, locale=locale) == []
        assert header_scopes(register) == {"/Row": 6, "/Column": 6}


def test_doctor_says_how_conformance_is_checked(lifecycles: dict[str, Path]) -> None:
    result = run_docflow("doctor", "--json", cwd=lifecycles["en"])
    checks = {c["check"]: c for c in json.loads(result.out)["checks"]}
    assert "PDF/A-3a" in checks["pdf-a"]["detail"]
    assert checks["pdf-a"]["required"] is False


def test_register_of_a_skeleton_project_is_pdfa(tmp_path: Path) -> None:
    """A project started from the skeleton has no annex yet: its register is still PDF/A."""
    ws = tmp_path / "skeleton"
    assert run_docflow("init", str(ws), "--locale", "en").code == 0
    out = tmp_path / "legal.zip"
    result = run_docflow("export", "legal", str(out), cwd=ws)
    assert result.code == 0, result.err
    register = zipfile.ZipFile(out).read("register.pdf")
    assert pdfa_problems(register, locale="en") == []


def _fields_as_issued(pdf: bytes) -> dict[str, Any]:
    """The signature boxes of an issued PDF, read back from its widgets, by party."""
    from docflow.render.meta import SigBox

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = [page.obj.objgen for page in doc.pages]
        boxes = {}
        for field in doc.Root.AcroForm.Fields:
            x1, y1, x2, y2 = (float(v) for v in field.Rect)
            page = pages.index(field.P.objgen)
            boxes[str(field.T)] = SigBox(page, x1, y1, round(x2 - x1, 3), round(y2 - y1, 3))
    return boxes


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_fields_are_written_as_pypdf_would_write_them(
    issued: IssuedFor, code: str, locale: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signature fields are added by reading only the objects they touch: the update is
    byte for byte the one pypdf writes after copying every object of the file."""
    import datetime as dt

    from pypdf import PdfWriter

    import docflow.sign.increment
    from docflow.sign import add_signature_fields

    doc = issued(code, locale)
    rendered = doc.pdf[: doc.pdf.index(b"%%EOF") + len(b"%%EOF\n")]
    boxes = _fields_as_issued(doc.pdf)
    assert boxes, "the issued document has signature fields"
    on = dt.date.fromisoformat(json.loads(doc.data)["meta"]["issued_on"])
    lazy = add_signature_fields(rendered, boxes, on)
    again = add_signature_fields(lazy, {"witness": boxes[sorted(boxes)[0]]}, on)

    def full_copy(reader: Any) -> PdfWriter:
        return PdfWriter(reader, incremental=True)

    monkeypatch.setattr(docflow.sign.increment, "LazyIncrementalWriter", full_copy)
    assert add_signature_fields(rendered, boxes, on) == lazy
    assert add_signature_fields(lazy, {"witness": boxes[sorted(boxes)[0]]}, on) == again


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_what_signing_changes_is_read_without_unpacking_object_streams(
    issued: IssuedFor, code: str, locale: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The catalog, page tree, pages and document information are objects of their own, so
    adding the fields reads no object stream (the tagged structure tree sits in one)."""
    import datetime as dt

    from pypdf import PdfReader
    from pypdf._reader import PdfReader as Reader

    from docflow.sign import add_signature_fields

    doc = issued(code, locale)
    rendered = doc.pdf[: doc.pdf.index(b"%%EOF") + len(b"%%EOF\n")]
    reader = PdfReader(io.BytesIO(rendered))
    packed = {number for number, _ in reader.xref_objStm.items()}
    assert len(packed) > 100  # the structure tree is packed
    own = [reader.trailer.raw_get("/Root"), reader.trailer.raw_get("/Info")]
    own += [page.indirect_reference for page in reader.pages]
    own.append(reader.trailer["/Root"].raw_get("/Pages"))
    assert not {ref.idnum for ref in own} & packed

    unpacked: list[int] = []
    original = Reader._get_object_from_stream

    def spy(self: Any, indirect_reference: Any) -> Any:
        unpacked.append(indirect_reference.idnum)
        return original(self, indirect_reference)

    monkeypatch.setattr(Reader, "_get_object_from_stream", spy)
    on = dt.date.fromisoformat(json.loads(doc.data)["meta"]["issued_on"])
    assert add_signature_fields(rendered, _fields_as_issued(doc.pdf), on) == doc.pdf
    assert unpacked == []
