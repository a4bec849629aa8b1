"""A wrong file cannot become a signature, and a signature recorded by mistake can be withdrawn,
through the real ``docflow sign`` command and the API, on a project started from the skeleton.

Refused (exit 6, naming what the file is, nothing recorded): a file byte-identical to one
docflow holds (a document's PDF, a signed file, a recorded scan), and a PDF scan whose text
layer is another document's. Withdrawn: a recorded signature before the step that needs it,
digital ones in the reverse order they were made, with a reason kept in the log.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pm_helpers import CODE, skeleton_at, skeleton_states, store_dump
from sign_helpers import make_pki, reader_sign, write_keys

from docflow.app.evidence import named_document

pytestmark = pytest.mark.slow
__all__ = ["skeleton_at", "skeleton_states"]  # fixtures used by name

Docflow = Callable[..., Any]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _resaved(pdf: bytes) -> bytes:
    """The same document saved again by another tool: other bytes, the same text layer."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


@pytest.mark.parametrize(
    ("given", "named"),
    [
        pytest.param(
            "documents/SP-1-v1.pdf", "documents/SP-1-v1.pdf (SP-1 v1, signed)", id="other"
        ),
        pytest.param("documents/RM-1-v1.pdf", "documents/RM-1-v1.pdf (RM-1 v1, issued)", id="own"),
    ],
)
def test_a_pdf_docflow_issued_is_not_a_signature(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, given: str, named: str
) -> None:
    ws = skeleton_at("zh-CN", "survey.memo_issued")
    before = store_dump(ws)
    r = docflow("sign", "RM-1", "--party", "client", "--signer", "张伟", "--file", given, cwd=ws)
    assert r.code == 6, r.err
    assert f"this file is {named}" in r.err and "Traceback" not in r.err
    assert store_dump(ws) == before


def test_a_recorded_scan_cannot_sign_again(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("en", "survey.memo_issued")
    scan = ws.parent / "rm-1 scan.png"
    scan.write_bytes(PNG)
    ok = docflow(
        "sign", "RM-1", "--party", "client", "--signer", "Zhang Wei", "--file", str(scan), cwd=ws
    )
    assert ok.code == 0, ok.err
    before = store_dump(ws)
    r = docflow(
        "sign", "RM-1", "--party", "vendor", "--signer", "Li Qiang", "--file", str(scan), cwd=ws
    )
    assert r.code == 6, r.err
    assert "the scan file rm-1 scan.png of the client's signature on RM-1 v1" in r.err
    assert store_dump(ws) == before


def test_a_scan_of_another_document_is_refused_and_its_own_accepted(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("zh-CN", "survey.memo_issued")
    other = ws.parent / "scan-of-sp.pdf"
    other.write_bytes(_resaved((ws / "documents/SP-1-v1.pdf").read_bytes()))
    before = store_dump(ws)
    r = docflow(
        "sign", "RM-1", "--party", "client", "--signer", "张伟", "--file", str(other), cwd=ws
    )
    assert r.code == 6, r.err
    assert f"this scan is of SP-1 (需求调研计划), not of RM-1: its text names {CODE}/SP-1" in r.err
    assert store_dump(ws) == before

    own = ws.parent / "scan-of-rm.pdf"
    own.write_bytes(_resaved((ws / "documents/RM-1-v1.pdf").read_bytes()))
    r = docflow(
        "sign",
        "RM-1",
        "--party",
        "client",
        "--signer",
        "张伟",
        "--file",
        str(own),
        "--json",
        cwd=ws,
    )
    assert r.code == 0, r.err
    assert r.json()["signature"]["method"] == "scan"


class _Docs:
    """A project's documents as named_document sees them."""

    def __init__(self, code: str, ids: list[str]) -> None:
        self.code = code
        self.all_documents = [type("Doc", (), {"doc_id": i})() for i in ids]


@pytest.mark.parametrize(
    ("pages", "target", "named"),
    [
        pytest.param(
            ["WH-2026/SP-1 需求调研计划", "WH-2026/SP-1"], "RM-1", "SP-1", id="header-of-other"
        ),
        pytest.param(
            ["WH-2026/CN-1 通知", "验收确认单编号：WH-2026/AC-1", "WH-2026/CN-1"],
            "CN-1",
            "CN-1",
            id="cites-another",
        ),
        pytest.param(["SP-1 page one", "SP-1 page two"], "RM-1", "SP-1", id="bare-ids"),
        pytest.param(["CA-10 CA-10 changes RM-1"], "CA-1", "CA-10", id="not-a-prefix"),
        pytest.param(
            ["WH-2026/RM-1", "WH-2026/RM-1 WH-2026/CA-1"], "CA-1", "RM-1", id="most-pages-wins"
        ),
        pytest.param(["WH-2026/CA-1 WH-2026/RM-1"], "CA-1", "CA-1", id="tie-favours-target"),
        pytest.param(["a photograph, no numbers"], "RM-1", None, id="no-text"),
        pytest.param([], "RM-1", None, id="image-only"),
    ],
)
def test_which_document_a_scan_names(pages: list[str], target: str, named: str | None) -> None:
    docs = _Docs("WH-2026", ["SP-1", "RM-1", "CA-1", "CA-10", "AC-1", "CN-1"])
    assert named_document(docs, pages, target) == named  # type: ignore[arg-type]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_recorded_signature_is_withdrawn_before_the_step_that_needs_it(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.planned")
    assert (
        docflow("sign", "SP-1", "--party", "client", "--signer", "Wrong Person", cwd=ws).code == 0
    )
    r = docflow(
        "sign",
        "--withdraw",
        "SP-1",
        "--party",
        "client",
        "--reason",
        "signed by the wrong person",
        "--json",
        cwd=ws,
        env={"DOCFLOW_ACTOR": "pm-wang"},
    )
    assert r.code == 0, r.err
    view = r.json()
    assert view["status"] == "issued" and view["awaiting"] == ["client"]
    assert view["withdrawn"]["signer"] == "Wrong Person"
    assert view["reason"] == "signed by the wrong person"
    log = docflow("log", "--json", cwd=ws).json()
    (event,) = [e for e in log if e["type"] == "signature.withdrawn"]
    assert event["actor"] == "pm-wang"
    assert event["data"]["reason"] == "signed by the wrong person"
    assert event["data"]["party"] == "client" and event["data"]["document"] == "SP-1"
    blocked = docflow("advance", "--json", cwd=ws)
    assert blocked.code == 3 and blocked.json()["blockers"][0]["document"] == "SP-1"

    assert (
        docflow("sign", "SP-1", "--party", "client", "--signer", "Right Person", cwd=ws).code == 0
    )
    assert docflow("advance", cwd=ws).code == 0  # start_survey, on that signature
    before = store_dump(ws)
    r = docflow("sign", "--withdraw", "SP-1", "--party", "client", "--reason", "late", cwd=ws)
    assert r.code == 5
    assert "step start_survey (survey.planned -> survey.in_progress) was taken" in r.err
    assert store_dump(ws) == before
    assert docflow("verify", cwd=ws).code == 0


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(
            ["--party", "client", "--reason", "x"],
            5,
            "client has not signed SP-1 v1",
            id="nothing-to-withdraw",
        ),
        pytest.param(
            ["--party", "client", "--reason", " "], 4, "needs a reason", id="blank-reason"
        ),
        pytest.param(["--party", "client"], 2, "--withdraw needs --reason", id="no-reason"),
        pytest.param(
            ["--party", "client", "--reason", "x", "--signer", "A"],
            2,
            "takes --party and --reason only",
            id="signer-too",
        ),
    ],
)
def test_a_withdrawal_that_cannot_be(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, args: list[str], code: int, says: str
) -> None:
    ws = skeleton_at("en", "survey.planned")
    before = store_dump(ws)
    r = docflow("sign", "--withdraw", "SP-1", *args, cwd=ws)
    assert r.code == code, r.err
    assert says in r.err and "Traceback" not in r.err
    assert store_dump(ws) == before


def test_digital_signatures_come_off_in_the_reverse_order(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, tmp_path: Path
) -> None:
    from docflow import api

    pki = make_pki()
    keys = write_keys(pki, tmp_path)
    secrets = {
        "DOCFLOW_P12_PASSWORD": pki.password.decode(),
        "DOCFLOW_TRUST_ROOTS": str(keys["ca"]),
    }
    ws = skeleton_at("en", "survey.memo_issued")
    issued = (ws / "documents/RM-1-v1.pdf").read_bytes()
    client_file = reader_sign(issued, pki.client_p12, "client")
    upload = tmp_path / "rm-1-signed.pdf"
    upload.write_bytes(client_file)
    signed = ws / "documents/RM-1-v1.signed.pdf"
    assert (
        docflow(
            "sign",
            "RM-1",
            "--party",
            "client",
            "--signer",
            "Zhang Wei",
            "--file",
            str(upload),
            cwd=ws,
        ).code
        == 0
    )
    r = docflow(
        "sign",
        "RM-1",
        "--party",
        "vendor",
        "--signer",
        "Li Qiang",
        "--p12",
        str(keys["p12"]),
        cwd=ws,
        env=secrets,
    )
    assert r.code == 0, r.err
    both = signed.read_bytes()

    before = store_dump(ws)
    r = docflow("sign", "--withdraw", "RM-1", "--party", "client", "--reason", "x", cwd=ws)
    assert r.code == 5 and "withdraw the vendor's signature first" in r.err
    assert store_dump(ws) == before

    project = api.Project.open(ws, actor="tester")
    view = project.withdraw_signature("RM-1", "vendor", "signed with the wrong certificate")
    assert view.document.status == "issued" and view.document.awaiting == ("vendor",)
    assert signed.read_bytes() == client_file  # the file as it stood before the vendor signed
    assert docflow("verify", cwd=ws).code == 0
    view = project.withdraw_signature("RM-1", "client", "the client signs again")
    assert view.document.awaiting == ("client", "vendor")
    assert not signed.exists() and "signed_pdf" not in view.document.files
    assert docflow("verify", cwd=ws).code == 0

    # Both sign again, in the same order: the same bytes as before.
    assert (
        docflow(
            "sign",
            "RM-1",
            "--party",
            "client",
            "--signer",
            "Zhang Wei",
            "--file",
            str(upload),
            cwd=ws,
        ).code
        == 0
    )
    r = docflow(
        "sign",
        "RM-1",
        "--party",
        "vendor",
        "--signer",
        "Li Qiang",
        "--p12",
        str(keys["p12"]),
        "--json",
        cwd=ws,
        env=secrets,
    )
    assert r.code == 0, r.err
    assert r.json()["status"] == "signed"
    again = signed.read_bytes()
    assert again.startswith(client_file) and both.startswith(client_file)
    assert hashlib.sha256(again).hexdigest() == r.json()["signature"]["file_sha256"]
    assert docflow("verify", cwd=ws).code == 0
    assert docflow("advance", cwd=ws).code == 0  # confirm_requirements on those signatures
