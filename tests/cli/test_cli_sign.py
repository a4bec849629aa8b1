"""Signatures through the real ``docflow sign`` command: a client's digital signature made in
a reader, the vendor's PKCS#12 signature, scans, refusals, and frozen signed documents.

The workspace (example project, RM-1 issued and awaiting both parties, SP-1 signed) is built
once per module and copied per test.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import sign_helpers as h
from sign_helpers import (
    Pki,
    drive_to,
    make_pki,
    pdfsig_valid_count,
    pyhanko_statuses,
    reader_sign,
    run_docflow,
)

pytestmark = pytest.mark.slow

Docflow = Callable[..., Any]
Snap = tuple[Any, ...]
ISSUED = h.ISSUED
SIGNED = h.SIGNED


@pytest.fixture(scope="module")
def pki() -> Pki:
    """The test PKI: a CA, the client's and the vendor's PKCS#12."""
    return make_pki()


@pytest.fixture(scope="module")
def keys(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The vendor's PKCS#12, its password file and the CA certificate, on disk."""
    return h.write_keys(pki, tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def memo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workspace at survey.memo_issued: RM-1 awaits client and vendor, SP-1 is signed."""
    from docflow import api

    ws = tmp_path_factory.mktemp("memo") / "ws"
    api.init(ws, example=True, actor="tester")
    drive_to(ws, "survey.memo_issued")
    return ws


@pytest.fixture(scope="module")
def memo_snapshot(memo_template: Path) -> Snap:
    """The log, signatures and files of the module's workspace, which every copy shares."""
    return h.snapshot(run_docflow, memo_template)


@pytest.fixture
def ws(memo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the module's workspace."""
    copy = tmp_path / "ws"
    shutil.copytree(memo_template, copy)
    return copy


@pytest.fixture(scope="module")
def signed_template(
    memo_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    pki: Pki,
    keys: dict[str, Path],
) -> h.Signed:
    """RM-1 signed digitally by both parties through the command (client first)."""
    ws = tmp_path_factory.mktemp("signed") / "ws"
    shutil.copytree(memo_template, ws)
    client_file = reader_sign((ws / ISSUED).read_bytes(), pki.client_p12, "client")
    upload = ws.parent / "rm-1-client-signed.pdf"
    upload.write_bytes(client_file)
    client = h.sign(
        run_docflow, ws, "client", "--file", str(upload), "--date", "2026-11-25", "--json"
    )
    secrets = {
        "DOCFLOW_P12_PASSWORD": pki.password.decode(),
        "DOCFLOW_TRUST_ROOTS": str(keys["ca"]),
    }
    vendor = h.sign(run_docflow, ws, "vendor", "--p12", str(keys["p12"]), "--json", env=secrets)
    return h.Signed(ws, client_file, client, vendor)


@pytest.fixture
def signed_ws(signed_template: h.Signed, tmp_path: Path) -> Path:
    """A private copy of the workspace where both parties signed RM-1."""
    copy = tmp_path / "ws"
    shutil.copytree(signed_template.ws, copy)
    return copy


def test_client_reader_signature_is_accepted_and_recorded(
    signed_template: h.Signed, tmp_path: Path
) -> None:
    r = signed_template.client_run
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    view = r.json()
    assert view["status"] == "issued" and view["awaiting"] == ["vendor"]
    sig = view["signature"]
    assert sig["method"] == "digital" and sig["party"] == "client"
    assert "Client Signer" in sig["certificate"]
    assert sig["trusted"] is False and "not vouched for" in sig["trust"]
    assert sig["file_sha256"] == hashlib.sha256(signed_template.client_file).hexdigest()
    assert h.stored_blob(signed_template.ws, sig["file_sha256"]) == signed_template.client_file
    assert sig["signed_file"] == SIGNED
    (tmp_path / "client.pdf").write_bytes(signed_template.client_file)
    assert pdfsig_valid_count(tmp_path / "client.pdf") == 1


def test_vendor_signs_on_top_of_the_client_signed_file(
    signed_template: h.Signed, pki: Pki, docflow: Docflow
) -> None:
    r = signed_template.vendor_run
    assert r.code == 0, r.err
    view = r.json()
    assert view["status"] == "signed" and view["awaiting"] == []
    sig = view["signature"]
    assert sig["method"] == "digital" and "Vendor Signer" in sig["certificate"]
    assert sig["trusted"] is True and "chains to a trusted root" in sig["trust"]
    final = (signed_template.ws / SIGNED).read_bytes()
    assert final.startswith(signed_template.client_file)
    assert sig["file_sha256"] == hashlib.sha256(final).hexdigest()
    assert pyhanko_statuses(final, pki.ca_pem) == [
        ("client", True, "ENTIRE_REVISION"),
        ("vendor", True, "ENTIRE_FILE"),
    ]
    assert pdfsig_valid_count(signed_template.ws / SIGNED) == 2
    verified = docflow("verify", "--json", cwd=signed_template.ws)
    assert verified.code == 0 and verified.json()["ok"] is True, verified.out


@pytest.mark.parametrize("command", ["status", "docs"])
def test_signatures_show_who_how_when_and_file(
    signed_template: h.Signed, docflow: Docflow, command: str
) -> None:
    doc = h.rm1(docflow, signed_template.ws, command)
    assert doc["status"] == "signed" and doc["awaiting"] == []
    assert doc["files"]["signed_pdf"] == SIGNED
    final = (signed_template.ws / SIGNED).read_bytes()
    by_party = {s["party"]: s for s in doc["signatures"]}
    client, vendor = by_party["client"], by_party["vendor"]
    assert (client["signer"], client["method"], client["signed_on"]) == (
        "周建国",
        "digital",
        "2026-11-25",
    )
    assert client["file_sha256"] == hashlib.sha256(signed_template.client_file).hexdigest()
    assert "Client Signer" in client["certificate"] and client["trust"]
    assert (vendor["signer"], vendor["method"]) == ("李明", "digital")
    assert vendor["file_sha256"] == hashlib.sha256(final).hexdigest()
    assert "Vendor Signer" in vendor["certificate"]
    assert all(s["actor"] == "tester" and s["at"] for s in doc["signatures"])


def test_signed_document_is_never_rerendered(signed_ws: Path, docflow: Docflow) -> None:
    before = {p.name: p.read_bytes() for p in (signed_ws / "documents").iterdir()}
    project = signed_ws / "project.yaml"
    text = project.read_text("utf-8")
    project.write_text(text.replace("name: ", "name: 新", 1), "utf-8")
    assert project.read_text("utf-8") != text
    r = docflow("render", "--all", "--json", cwd=signed_ws)
    assert r.code == 0, r.err
    after = {p.name: p.read_bytes() for p in (signed_ws / "documents").iterdir()}
    assert after == before
    doc = h.rm1(docflow, signed_ws)
    assert (doc["version"], doc["status"]) == (1, "signed")


def test_legal_export_holds_the_signed_pdf(signed_ws: Path, docflow: Docflow) -> None:
    out = signed_ws.parent / "legal.zip"
    r = docflow("export", "legal", str(out), cwd=signed_ws)
    assert r.code == 0, r.err
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "annex-01-RM-1-v1.signed.pdf" in names, names
        signed = zf.read("annex-01-RM-1-v1.signed.pdf")
        manifest = json.loads(zf.read("manifest.json"))
    assert signed == (signed_ws / SIGNED).read_bytes()
    [row] = [row for row in manifest["register"] if row["document"] == "RM-1"]
    assert row["sha256_pdf"] == hashlib.sha256(signed).hexdigest()
    assert "client: 周建国 (digital, 2026-11-25)" in row["signatures"]
    assert "vendor: 李明 (digital" in row["signatures"]


def test_vendor_signs_with_p12_password_file(
    ws: Path, docflow: Docflow, pki: Pki, keys: dict[str, Path]
) -> None:
    issued = (ws / ISSUED).read_bytes()
    r = h.sign(docflow, ws, "vendor", *h.p12_file(keys), "--json")
    assert r.code == 0, r.err
    assert r.json()["awaiting"] == ["client"]
    signed = (ws / SIGNED).read_bytes()
    assert signed.startswith(issued) and (ws / ISSUED).read_bytes() == issued
    assert pyhanko_statuses(signed, pki.ca_pem) == [("vendor", True, "ENTIRE_FILE")]
    assert pki.password.decode() not in r.out + docflow("log", "--json", cwd=ws).out
    assert pdfsig_valid_count(ws / SIGNED) == 1
    # The client may still sign the vendor-signed file in its reader.
    both = reader_sign(signed, pki.client_p12, "client")
    upload = ws.parent / "both.pdf"
    upload.write_bytes(both)
    r = h.sign(
        docflow, ws, "client", "--file", str(upload), "--trust-root", str(keys["ca"]), "--json"
    )
    assert r.code == 0, r.err
    assert r.json()["status"] == "signed" and r.json()["signature"]["trusted"] is True
    assert (ws / SIGNED).read_bytes() == both and pdfsig_valid_count(ws / SIGNED) == 2
    assert [s[1] for s in pyhanko_statuses(both, pki.ca_pem)] == [True, True]


@pytest.mark.parametrize(
    ("args", "env", "code"),
    [
        pytest.param(["--p12-password", "x"], {}, 2, id="password-as-flag-is-usage-error"),
        pytest.param([], {"DOCFLOW_P12_PASSWORD": "wrong"}, 4, id="wrong-password"),
        pytest.param([], {}, 4, id="no-password"),
    ],
)
def test_p12_password_problems_record_nothing(
    memo_snapshot: Snap,
    ws: Path,
    docflow: Docflow,
    keys: dict[str, Path],
    args: list[str],
    env: dict[str, str],
    code: int,
) -> None:
    r = h.sign(docflow, ws, "vendor", "--p12", str(keys["p12"]), *args, env=env)
    assert r.code == code, r.err
    assert "Traceback" not in r.err
    assert h.snapshot(docflow, ws) == memo_snapshot


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(h.other_document, "does not begin with the issued", id="other-document"),
        pytest.param(h.appended_after_signing, "whole file", id="page-change-appended"),
        pytest.param(h.signature_altered, "not valid", id="signature-bytes-altered"),
        pytest.param(h.other_party_field, "not in the client's field", id="other-party-field"),
        pytest.param(h.page_changed_with_signature, "beyond", id="page-change-in-same-update"),
    ],
)
def test_bad_signed_pdf_is_refused_and_nothing_recorded(
    memo_snapshot: Snap,
    ws: Path,
    docflow: Docflow,
    pki: Pki,
    make: Callable[[Path, Pki], bytes],
    message: str,
) -> None:
    upload = ws.parent / "signed.pdf"
    upload.write_bytes(make(ws, pki))
    r = h.sign(docflow, ws, "client", "--file", str(upload), "--json")
    assert r.code == 6, r.out + r.err
    assert message in r.json()["message"]
    assert "Traceback" not in r.err
    assert h.snapshot(docflow, ws) == memo_snapshot
    assert not (ws / SIGNED).exists()


@pytest.mark.parametrize(
    ("fmt", "name"), [("PNG", "scan.png"), ("JPEG", "scan.jpg"), ("PDF", "scan.pdf")]
)
def test_scan_is_stored_and_hashed(ws: Path, docflow: Docflow, fmt: str, name: str) -> None:
    data = h.image(fmt)
    (ws.parent / name).write_bytes(data)
    r = h.sign(docflow, ws, "client", "--file", str(ws.parent / name), "--json")
    assert r.code == 0, r.err
    sha = hashlib.sha256(data).hexdigest()
    assert r.json()["signature"]["method"] == "scan"
    [sig] = h.rm1(docflow, ws)["signatures"]
    assert (sig["method"], sig["file"], sig["file_sha256"]) == ("scan", name, sha)
    assert h.stored_blob(ws, sha) == data
    assert docflow("verify", cwd=ws).code == 0


def test_verify_names_a_corrupted_scan(ws: Path, docflow: Docflow) -> None:
    data = h.image("PNG")
    (ws.parent / "scan.png").write_bytes(data)
    r = h.sign(docflow, ws, "client", "--file", str(ws.parent / "scan.png"))
    assert r.code == 0, r.err
    sha = hashlib.sha256(data).hexdigest()
    with closing(sqlite3.connect(ws / ".docflow" / "docflow.db")) as db, db:
        db.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", (data[:-1] + b"\0", sha))
    r = docflow("verify", "--json", cwd=ws)
    assert r.code == 6, r.out + r.err
    problems = r.json()["problems"]
    assert [p["kind"] for p in problems] == ["signature_file"]
    assert "scan file of client's signature on RM-1" in problems[0]["message"]
    assert problems[0]["path"] == "RM-1/client"


def test_file_that_is_no_scan_is_refused(ws: Path, memo_snapshot: Snap, docflow: Docflow) -> None:
    note = ws.parent / "signature.txt"
    note.write_text("signed by 周建国", "utf-8")
    r = h.sign(docflow, ws, "client", "--file", str(note), "--json")
    assert r.code == 4, r.out + r.err
    assert "signature.txt" in r.json()["message"]
    assert h.snapshot(docflow, ws) == memo_snapshot


def test_signing_a_party_twice_is_a_conflict(ws: Path, docflow: Docflow) -> None:
    assert h.sign(docflow, ws, "client").code == 0
    before = h.snapshot(docflow, ws)
    r = docflow("sign", "RM-1", "--party", "client", "--signer", "王五", cwd=ws)
    assert r.code == 5, r.err
    assert "甲方已签署 RM-1 v1" in r.err  # the example project speaks zh-CN
    assert h.snapshot(docflow, ws) == before


def test_party_not_required_is_a_conflict(ws: Path, memo_snapshot: Snap, docflow: Docflow) -> None:
    r = docflow("sign", "SP-1", "--party", "vendor", "--signer", "李明", cwd=ws)
    assert r.code == 5, r.err
    assert h.snapshot(docflow, ws) == memo_snapshot


def test_signed_copy_of_a_superseded_version_is_a_conflict(
    ws: Path, docflow: Docflow, pki: Pki
) -> None:
    old = reader_sign((ws / ISSUED).read_bytes(), pki.client_p12, "client")
    (ws.parent / "old.pdf").write_bytes(old)
    project = ws / "project.yaml"
    text = project.read_text("utf-8")
    project.write_text(text.replace("name: ", "name: 新", 1), "utf-8")
    r = docflow("render", "RM-1", "--json", cwd=ws)
    assert r.code == 0, r.err
    assert h.rm1(docflow, ws)["version"] == 2
    before = h.snapshot(docflow, ws)
    r = h.sign(docflow, ws, "client", "--file", str(ws.parent / "old.pdf"))
    assert r.code == 5, r.err
    assert "superseded" in r.err
    assert h.snapshot(docflow, ws) == before


def test_client_copy_made_before_the_vendor_signed_is_a_conflict(
    ws: Path, docflow: Docflow, pki: Pki, keys: dict[str, Path]
) -> None:
    early = reader_sign((ws / ISSUED).read_bytes(), pki.client_p12, "client")
    (ws.parent / "early.pdf").write_bytes(early)
    r = h.sign(docflow, ws, "vendor", *h.p12_file(keys))
    assert r.code == 0, r.err
    before = h.snapshot(docflow, ws)
    r = h.sign(docflow, ws, "client", "--file", str(ws.parent / "early.pdf"))
    assert r.code == 5, r.err
    assert SIGNED in r.err
    assert h.snapshot(docflow, ws) == before


def test_void_document_is_a_conflict(confirmed_copy: Path, docflow: Docflow) -> None:
    ws = confirmed_copy
    r = docflow(
        "change",
        "new",
        "--title",
        "Drop report",
        "--reason",
        "Not needed",
        "--removes",
        "R-020",
        "--json",
        cwd=ws,
    )
    assert r.code == 0, r.err
    approved = docflow("change", "approve", r.json()["id"], "--json", cwd=ws)
    assert approved.code == 0, approved.err
    doc_id = approved.json()["document"]["id"]
    assert docflow("change", "withdraw", r.json()["id"], "--reason", "Kept", cwd=ws).code == 0
    before = h.snapshot(docflow, ws)
    r = docflow("sign", doc_id, "--party", "client", "--signer", "周建国", cwd=ws)
    assert r.code == 5, r.err
    assert f"{doc_id} v1 已作废，不能签署" in r.err  # the example project speaks zh-CN
    assert h.snapshot(docflow, ws) == before


def test_workflow_can_require_trusted_certificates(
    pki: Pki, keys: dict[str, Path], tmp_path: Path
) -> None:
    from docflow import api
    from docflow.resources import data_path

    strict = tmp_path / "wf" / "implementation.yaml"
    strict.parent.mkdir()
    source = (data_path("workflows") / "implementation.yaml").read_text("utf-8")
    strict.write_text(source + "\nsignatures:\n  require_trusted: true\n", "utf-8")
    ws = tmp_path / "ws"
    api.init(ws, workflow=str(strict), example=True, actor="tester")
    drive_to(ws, "survey.memo_issued")
    upload = tmp_path / "signed.pdf"
    upload.write_bytes(reader_sign((ws / ISSUED).read_bytes(), pki.client_p12, "client"))
    before = h.snapshot(run_docflow, ws)
    refused = h.sign(run_docflow, ws, "client", "--file", str(upload))
    assert refused.code == 6 and "not trusted" in refused.err
    assert h.snapshot(run_docflow, ws) == before
    ok = h.sign(
        run_docflow, ws, "client", "--file", str(upload), "--trust-root", str(keys["ca"]), "--json"
    )
    assert ok.code == 0, ok.err
    assert ok.json()["signature"]["trusted"] is True
