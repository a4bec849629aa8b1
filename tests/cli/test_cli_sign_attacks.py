"""Forged and tampered signed PDFs through the real ``docflow sign`` command: each attack
class is refused with exit 6 and a message naming what is wrong, and nothing is recorded
(the store, dumped table by table, and every workspace file stay as they were). Files that
are no regular file, or too big, are refused unread with exit 4.

A forgery that an earlier, more lenient docflow let into the store is found too: the
vendor's ``--p12`` will not sign on top of it, and ``docflow verify`` reports it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sign_helpers as h
from sign_helpers import Pki, drive_to, make_pki

from pdf_attack_cases import ATTACKS, build, scan_with_hidden_signature
from pdf_attacks import Issued, Signing, load_signer

pytestmark = pytest.mark.slow

Docflow = Callable[..., Any]
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
    """One workspace at survey.memo_issued: RM-1 awaits client and vendor."""
    from docflow.app.init import init_workspace

    ws = tmp_path_factory.mktemp("memo") / "ws"
    init_workspace(ws, example=True, actor="tester")
    drive_to(ws, "survey.memo_issued")
    return ws


@pytest.fixture
def ws(memo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the module's workspace."""
    copy = tmp_path / "ws"
    shutil.copytree(memo_template, copy)
    return copy


@pytest.fixture(scope="module")
def attacks(memo_template: Path, pki: Pki) -> dict[str, bytes]:
    """Every attack file, made from the workspace's issued RM-1."""
    issued = (memo_template / ISSUED).read_bytes()
    signer = load_signer(pki.client_p12, h.P12_PASSWORD)
    return {name: build(name, issued, signer) for name in ATTACKS}


def _refused(docflow: Docflow, ws: Path, party: str, *args: str, code: int = 6) -> str:
    """Run ``docflow sign RM-1``; assert it fails with `code` and changes nothing."""
    before = h.store_and_files(ws)
    r = h.sign(docflow, ws, party, *args, "--json")
    assert r.code == code, r.out + r.err
    assert "Traceback" not in r.err
    assert h.store_and_files(ws) == before  # the signed file (made or not) included
    message: str = r.json()["message"]
    return message


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack_is_refused_and_nothing_recorded(
    name: str, attacks: dict[str, bytes], ws: Path, docflow: Docflow
) -> None:
    upload = ws.parent / f"{name}.pdf"
    upload.write_bytes(attacks[name])
    assert ATTACKS[name][1] in _refused(docflow, ws, "client", "--file", str(upload))


@pytest.mark.parametrize("escaped", [False, True], ids=["plain", "escaped-in-object-stream"])
def test_pdf_with_a_hidden_signature_is_no_scan(ws: Path, docflow: Docflow, escaped: bool) -> None:
    upload = ws.parent / "scan.pdf"
    upload.write_bytes(scan_with_hidden_signature(escaped))
    message = _refused(docflow, ws, "client", "--file", str(upload))
    assert "does not begin with the issued document's bytes" in message


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
    ws: Path, docflow: Docflow, validity: tuple[dt.timedelta, dt.timedelta], words: str
) -> None:
    pki = make_pki_with(validity)
    signer = load_signer(pki.client_p12, h.P12_PASSWORD)
    upload = ws.parent / "signed.pdf"
    upload.write_bytes(Signing(Issued.read((ws / ISSUED).read_bytes())).write(signer))
    message = _refused(docflow, ws, "client", "--file", str(upload))
    assert words in message and "client's certificate" in message


def make_pki_with(validity: tuple[dt.timedelta, dt.timedelta]) -> Pki:
    import pki_support

    return pki_support.make_pki(h.P12_PASSWORD, "Docflow CLI Test PKI", client_validity=validity)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("orphaned-revision", "does not descend from the issued document"),
        ("duplicate-xref-table", "twice"),
        ("literal-contents-unsigned-tail", "not exactly one hex string"),
    ],
)
def test_a_stored_forgery_is_never_countersigned_and_verify_reports_it(
    name: str,
    words: str,
    attacks: dict[str, bytes],
    ws: Path,
    docflow: Docflow,
    keys: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h.record_leniently(ws, "client", attacks[name], monkeypatch)
    assert (ws / SIGNED).read_bytes() == attacks[name]
    message = _refused(docflow, ws, "vendor", *h.p12_file(keys))
    assert "does not verify, so no signature is added" in message
    verified = docflow("verify", "--json", cwd=ws)
    assert verified.code == 6, verified.out + verified.err
    problems = [p for p in verified.json()["problems"] if p["kind"] == "signature_invalid"]
    assert [p["path"] for p in problems] == ["RM-1/v1"]
    assert words in problems[0]["message"]


def test_verify_rechecks_a_good_signed_file(
    ws: Path, docflow: Docflow, pki: Pki, keys: dict[str, Path]
) -> None:
    upload = ws.parent / "client.pdf"
    upload.write_bytes(h.reader_sign((ws / ISSUED).read_bytes(), pki.client_p12, "client"))
    assert h.sign(docflow, ws, "client", "--file", str(upload)).code == 0
    assert h.sign(docflow, ws, "vendor", *h.p12_file(keys)).code == 0
    verified = docflow("verify", "--json", cwd=ws)
    assert verified.code == 0 and verified.json()["ok"], verified.out


def _special_file(kind: str, folder: Path) -> Path:
    """A path that is no regular file: a FIFO nobody writes to, a device, a directory, a
    listening socket, or a 2 GB sparse file."""
    import os
    import socket
    import tempfile

    if kind == "fifo":
        path = folder / "pipe.pdf"
        os.mkfifo(path)
    elif kind == "dev-zero":
        path = Path("/dev/zero")
    elif kind == "directory":
        path = folder / "folder.pdf"
        path.mkdir()
    elif kind == "socket":  # AF_UNIX paths are short: make it under /tmp
        path = Path(tempfile.mkdtemp(prefix="df-sock-")) / "s.pdf"
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        server.listen(1)
        _SOCKETS.append((server, path))
    else:
        path = folder / "huge.pdf"
        with path.open("wb") as out:
            out.write(b"%PDF-1.7\n")
            out.truncate(2 * 1024**3)
    return path


_SOCKETS: list[tuple[Any, Path]] = []


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        pytest.param("fifo", "named pipe", id="fifo"),
        pytest.param("dev-zero", "character device", id="dev-zero"),
        pytest.param("directory", "directory", id="directory"),
        pytest.param("socket", "socket", id="socket"),
        pytest.param("sparse-2gb", "files over 50 MB are refused", id="sparse-2gb"),
    ],
)
def test_file_that_is_no_regular_file_or_too_big_is_refused_unread(
    ws: Path, docflow: Docflow, kind: str, words: str
) -> None:
    import time

    before = h.store_and_files(ws)
    path = _special_file(kind, ws.parent)
    started = time.monotonic()
    try:
        r = h.sign(docflow, ws, "client", "--file", str(path), "--json")
    finally:
        while _SOCKETS:
            server, socket_path = _SOCKETS.pop()
            server.close()
            shutil.rmtree(socket_path.parent)
    assert r.code == 4, r.out + r.err
    assert words in r.json()["message"] and str(path) in r.json()["message"]
    assert time.monotonic() - started < 60  # refused at once, not read
    assert h.store_and_files(ws) == before


@pytest.mark.parametrize(
    ("limit", "words"),
    [
        pytest.param("1", "files over 1 MB are refused", id="below-the-file"),
        pytest.param("lots", "DOCFLOW_MAX_INPUT_MB must be a whole number", id="not-a-number"),
    ],
)
def test_input_size_limit_comes_from_the_environment(
    ws: Path, docflow: Docflow, limit: str, words: str
) -> None:
    before = h.store_and_files(ws)
    scan = ws.parent / "scan.png"
    scan.write_bytes(h.image("PNG") + b"\0" * (2 * 1024 * 1024))
    r = h.sign(
        docflow, ws, "client", "--file", str(scan), "--json", env={"DOCFLOW_MAX_INPUT_MB": limit}
    )
    assert r.code == 4, r.out + r.err
    assert words in r.json()["message"]
    assert h.store_and_files(ws) == before


def test_p12_that_is_no_regular_file_is_refused(ws: Path, docflow: Docflow) -> None:
    before = h.store_and_files(ws)
    r = h.sign(
        docflow, ws, "vendor", "--p12", "/dev/zero", "--json", env={"DOCFLOW_P12_PASSWORD": "x"}
    )
    assert r.code == 4, r.out + r.err
    assert "character device" in r.json()["message"]
    assert h.store_and_files(ws) == before
