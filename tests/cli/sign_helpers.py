"""Helpers of the ``docflow sign`` command tests: a test PKI, a reader-style signer, pdfsig,
and snapshots of a workspace's store and files.
"""

from __future__ import annotations

import functools
import hashlib
import io
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pki_support
from pki_support import Pki

P12_PASSWORD = b"vendor secret"
ISSUED = "documents/RM-1-v1.pdf"
SIGNED = "documents/RM-1-v1.signed.pdf"


@dataclass
class Signed:
    """A workspace where the client signed RM-1 in a reader and the vendor with --p12."""

    ws: Path
    client_file: bytes
    client_run: Any
    vendor_run: Any


def write_keys(pki: Pki, root: Path) -> dict[str, Path]:
    """The vendor's PKCS#12, its password file and the CA certificate, written to `root`."""
    files = {
        "p12": (root / "company.p12", pki.vendor_p12),
        "password": (root / "p12-password.txt", pki.password + b"\n"),
        "ca": (root / "ca.pem", pki.ca_pem),
    }
    for path, data in files.values():
        path.write_bytes(data)
    return {name: path for name, (path, _) in files.items()}


def p12_file(keys: dict[str, Path]) -> tuple[str, ...]:
    """The arguments that sign with the vendor's PKCS#12 and its password file."""
    return "--p12", str(keys["p12"]), "--p12-password-file", str(keys["password"])


def make_pki() -> Pki:
    """A CA, a client certificate ("Client Signer") and a vendor one ("Vendor Signer")."""
    return pki_support.make_pki(P12_PASSWORD, "Docflow CLI Test PKI")


def reader_sign(pdf: bytes, p12: bytes, field: str, *, writer: Any = None) -> bytes:
    """Sign `pdf` as a PDF reader does: into the existing empty `field`, incrementally.

    Pass a prepared IncrementalPdfFileWriter to sign in the same revision as other changes.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12_data(p12, other_certs=(), passphrase=P12_PASSWORD)
    if writer is None:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
    out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer, existing_fields_only=True)
    signed: bytes = out.getvalue()
    return signed


def pyhanko_statuses(pdf: bytes, ca_pem: bytes) -> list[tuple[str, bool, str]]:
    """(field, bottom line, coverage) of every signature, by pyHanko with its difference
    analysis; the bottom line holds when the signature is intact, valid, trusted and the
    later revisions only do what its document modification policy allows."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(BytesIO(pdf))
    context = ValidationContext(
        trust_roots=list(load_certs_from_pemder_data(ca_pem)), allow_fetching=False
    )
    found = []
    for sig in reader.embedded_signatures:
        status = validate_pdf_signature(sig, context)
        found.append((str(sig.field_name), status.bottom_line, status.coverage.name))
    return found


def stored_blob(ws: Path, sha256: str) -> bytes | None:
    """The bytes the workspace's SQLite store holds under `sha256`, or None."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(ws / ".docflow" / "docflow.db")) as db:
        row = db.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return bytes(row[0]) if row else None


def pdfsig(path: Path) -> str:
    """poppler's pdfsig report of `path` (no certificate trust check)."""
    exe = shutil.which("pdfsig")
    assert exe is not None, "pdfsig (poppler-utils) is not installed"
    proc = subprocess.run(
        [exe, "-nocert", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    return proc.stdout + proc.stderr


def pdfsig_valid_count(path: Path) -> int:
    """How many signatures pdfsig reports as valid with a digest that matches."""
    report = pdfsig(path)
    return report.count("Signature Validation: Signature is Valid.")


def state_of(ws: Path, log_json: str) -> tuple[str, dict[str, str]]:
    """The event log (as printed by ``docflow log --json``) and the sha256 of each file under
    documents/ and of project.yaml: what a refused command must leave as it was."""
    files = {
        str(p.relative_to(ws)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted([*(ws / "documents").rglob("*"), ws / "project.yaml"])
        if p.is_file()
    }
    return log_json, files


def add_page_content(writer: Any) -> None:
    """Draw over page 1 through `writer`: a new content stream appended to the page."""
    from pyhanko.pdf_utils import generic

    stream = generic.StreamObject(stream_data=b"0 0 1 rg 100 400 200 100 re f")
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    contents = page.raw_get("/Contents")
    page["/Contents"] = generic.ArrayObject([contents, writer.add_object(stream)])
    writer.update_container(page)


def append_page_change(signed: bytes) -> bytes:
    """`signed` with an incremental update after the signature that draws on page 1."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed))
    add_page_content(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def page_changed_while_signing(issued: bytes, p12: bytes) -> bytes:
    """The client's signature and a drawing on page 1 in one incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(issued))
    add_page_content(writer)
    return reader_sign(issued, p12, "client", writer=writer)


def alter_signature_value(signed: bytes) -> bytes:
    """`signed` with one hex digit of its (last) signature value flipped."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    sig = PdfFileReader(BytesIO(signed)).embedded_signatures[-1]
    value: bytes = sig.signer_info["signature"].native
    hex_value = value.hex().encode()
    at = signed.lower().index(hex_value) + len(hex_value) // 2
    flipped = b"0" if signed[at : at + 1] != b"0" else b"1"
    return signed[:at] + flipped + signed[at + 1 :]


@functools.cache
def _root_conftest() -> Any:
    """tests/conftest.py as a module of its own name (several conftest.py files exist)."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("docflow_tests_root_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def run_docflow(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Any:
    """Run the command as the ``docflow`` fixture does; usable in module fixtures."""
    return _root_conftest().run_in_process(*args, cwd=cwd, env=env)


#: The day the documents of these tests are issued: before every signing date they give.
ISSUED_ON = "2026-11-02"


def drive_to(ws: Path, state: str) -> None:
    """Take a fresh example workspace along the main path to `state`, in this process, its
    documents dated :data:`ISSUED_ON`."""
    _root_conftest().drive(ws, state, issued_on=ISSUED_ON)


def snapshot(docflow: Callable[..., Any], ws: Path) -> tuple[Any, ...]:
    """What a refused command must leave unchanged: the log, signatures and files."""
    log = docflow("log", "--json", cwd=ws)
    status = docflow("status", "--json", cwd=ws)
    assert log.code == 0 and status.code == 0, log.err + status.err
    docs = [
        (d["id"], d["version"], d["status"], d["signatures"], d["files"])
        for d in status.json()["documents"]
    ]
    return (*state_of(ws, log.out), docs)


def sign(docflow: Callable[..., Any], ws: Path, party: str, *args: str, **kwargs: Any) -> Any:
    """``docflow sign RM-1 --party PARTY --signer <that party's signer> ARGS...`` in `ws`."""
    signer = {"client": "周建国", "vendor": "李明"}[party]
    return docflow("sign", "RM-1", "--party", party, "--signer", signer, *args, cwd=ws, **kwargs)


def rm1(docflow: Callable[..., Any], ws: Path, command: str = "status") -> dict[str, Any]:
    """RM-1 as ``status --json`` or ``docs --json`` shows it."""
    r = docflow(command, "--json", cwd=ws)
    assert r.code == 0, r.err
    docs = r.json()["documents"] if command == "status" else r.json()
    return next(d for d in docs if d["id"] == "RM-1")


# Signed files the command must refuse, made from a workspace's RM-1 (or SP-1).


def other_document(ws: Path, pki: Pki) -> bytes:
    return reader_sign((ws / "documents/SP-1-v1.pdf").read_bytes(), pki.client_p12, "client")


def appended_after_signing(ws: Path, pki: Pki) -> bytes:
    return append_page_change(reader_sign((ws / ISSUED).read_bytes(), pki.client_p12, "client"))


def signature_altered(ws: Path, pki: Pki) -> bytes:
    return alter_signature_value(reader_sign((ws / ISSUED).read_bytes(), pki.client_p12, "client"))


def other_party_field(ws: Path, pki: Pki) -> bytes:
    return reader_sign((ws / ISSUED).read_bytes(), pki.client_p12, "vendor")


def page_changed_with_signature(ws: Path, pki: Pki) -> bytes:
    return page_changed_while_signing((ws / ISSUED).read_bytes(), pki.client_p12)


def image(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (250, 250, 245)).save(out, format=fmt)
    return out.getvalue()


def store_and_files(ws: Path) -> tuple[list[str], dict[str, str]]:
    """A dump of the workspace's SQLite store (every table, every row) and the sha256 of
    every file in the workspace outside .docflow/: what a refused command leaves alone."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(ws / ".docflow" / "docflow.db")) as db:
        dump = list(db.iterdump())
    files = {
        str(p.relative_to(ws)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(ws.rglob("*"))
        if p.is_file() and ".docflow" not in p.relative_to(ws).parts
    }
    return dump, files


def record_leniently(ws: Path, party: str, signed: bytes, monkeypatch: Any) -> None:
    """Record `signed` as `party`'s digital signature on RM-1 the way an earlier docflow
    did: checked by nothing but pyHanko's own validation (here: not at all), so that a
    forgery it let in is in the store."""
    from docflow import sign as pdfsign
    from docflow.app.signing import SignRequest
    from docflow.app.signing import sign as record
    from docflow.runtime.session import open_session
    from docflow.runtime.workspace import Workspace
    from docflow.sign import SignatureCheck

    accepted = SignatureCheck(
        party=party,
        field=party,
        signer_subject="Common Name: Client Signer",
        signed_at=None,
        trusted=False,
        trust_note="not checked",
        coverage="ENTIRE_FILE",
        intact=True,
        valid=True,
    )
    monkeypatch.setattr(pdfsign, "verify_signed_pdf", lambda *_a, **_k: accepted)
    upload = ws.parent / f"{party}-lenient.pdf"
    upload.write_bytes(signed)
    session = open_session(Workspace(ws), None, actor="tester")
    record(session, SignRequest("RM-1", party, "周建国", upload))
    monkeypatch.undo()
