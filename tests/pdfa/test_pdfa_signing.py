"""Issued PDF/A documents stay signable and verifiable, and the signed copies stay PDF/A.

The requirement memo is issued through the lifecycle; the client signs it with pyHanko
(docflow's own PKCS#12 signer, as the client's tools would) and hands it to ``docflow sign
--file``; the vendor signs with ``docflow sign --p12``. pdfsig and docflow verify both
signatures, and the final file passes the same structural checks as the issued one.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from pdfa_checks import pdfa_problems
from pdfa_lifecycle import issued_document, run_docflow

from docflow.app.demo import walk
from docflow.runtime.workspace import Workspace

P12_PASSWORD = b"pdfa test secret"
BEFORE_MEMO = "survey.in_progress"  # the next step issues the requirement memo


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def memo_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zh-CN example project with RM-1 issued by `docflow advance`, not yet signed."""
    ws = tmp_path_factory.mktemp("signing") / "ws"
    assert run_docflow("init", str(ws), "--example").code == 0
    walk(Workspace(ws), actor="tester", say=_quiet, until=BEFORE_MEMO)
    advanced = run_docflow("advance", "--json", cwd=ws)
    assert advanced.code == 0, advanced.err
    assert [d["id"] for d in json.loads(advanced.out)["documents"]] == ["RM-1"]
    return ws


@pytest.fixture(scope="module")
def pki():  # type: ignore[no-untyped-def]
    """A test CA with a client and a vendor certificate."""
    from pki_support import make_pki

    return make_pki(P12_PASSWORD, "docflow PDF/A test PKI")


def _pdfsig_valid(path: Path) -> int:
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    return report.count("Signature Validation: Signature is Valid.")


def test_both_signatures_verify_and_the_signed_file_stays_pdfa(
    memo_ws: Path, pki, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from docflow.sign import sign_with_p12

    issued = issued_document(memo_ws, "RM", "zh-CN")
    assert pdfa_problems(issued.pdf, locale="zh-CN", data=issued.data) == []
    client = sign_with_p12(issued.pdf, "client", pki.client_p12, pki.password, signer_name="王晓东")
    assert pdfa_problems(client, locale="zh-CN", data=issued.data) == []
    upload = tmp_path / "rm-1-client.pdf"
    upload.write_bytes(client)
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.ca_pem)
    signed = run_docflow(
        "sign", "RM-1", "--party", "client", "--signer", "王晓东", "--file", str(upload),
        "--trust-root", str(ca), "--json", cwd=memo_ws,
    )  # fmt: skip
    assert signed.code == 0, signed.err
    assert json.loads(signed.out)["signature"]["trusted"] is True
    p12 = tmp_path / "vendor.p12"
    p12.write_bytes(pki.vendor_p12)
    secrets = {"DOCFLOW_P12_PASSWORD": P12_PASSWORD.decode(), "DOCFLOW_TRUST_ROOTS": str(ca)}
    vendor = run_docflow(
        "sign",
        "RM-1",
        "--party",
        "vendor",
        "--signer",
        "陈志远",
        "--p12",
        str(p12),
        "--json",
        cwd=memo_ws,
        env=secrets,
    )
    assert vendor.code == 0, vendor.err
    final = memo_ws / "documents" / "RM-1-v1.signed.pdf"
    assert _pdfsig_valid(final) == 2
    assert pdfa_problems(final.read_bytes(), locale="zh-CN", data=issued.data) == []
    verify = run_docflow("verify", "--json", cwd=memo_ws)
    assert verify.code == 0 and json.loads(verify.out)["ok"] is True, verify.out


def test_a_reader_signature_changes_only_its_own_appearance(memo_ws: Path, pki) -> None:  # type: ignore[no-untyped-def]
    """pyHanko's default stamp (as a reader might draw it) brings its own unembedded Courier
    and 60 % opacity: what a signer's tool adds is the signer's; the issued part is intact."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    issued = issued_document(memo_ws, "RM", "zh-CN")
    signer = signers.SimpleSigner.load_pkcs12_data(
        pki.client_p12, other_certs=(), passphrase=pki.password
    )
    meta = signers.PdfSignatureMetadata(field_name="client", md_algorithm="sha256")
    writer = IncrementalPdfFileWriter(io.BytesIO(issued.pdf))
    signed = signers.PdfSigner(meta, signer=signer).sign_pdf(writer, existing_fields_only=True)
    problems = pdfa_problems(signed.getvalue(), locale="zh-CN", data=issued.data)
    assert problems and all("Courier" in p or "ExtGState" in p for p in problems), problems
    assert signed.getvalue().startswith(issued.pdf)
