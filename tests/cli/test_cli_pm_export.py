"""Sending documents: ``docflow export client`` writes the current versions, named for people,
with a cover letter (PDF and DOCX) that lists what is enclosed and who signs what; through
the command and the API, on a project started from the skeleton, in both locales."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pm_helpers import docx_text, edit_project, normal, pdf_pages, skeleton_at, skeleton_states
from sign_helpers import make_pki, reader_sign

pytestmark = pytest.mark.slow
__all__ = ["skeleton_at", "skeleton_states"]  # fixtures used by name

Docflow = Callable[..., Any]

NAMES = {
    "zh-CN": (
        "WH-2026 需求备忘录 RM-1 v1",
        "WH-2026 文件递送函",
        "RM-1（需求备忘录）需甲方、乙方签署",
    ),
    "en": (
        "WH-2026 Requirement memo RM-1 v1",
        "WH-2026 Cover letter",
        "RM-1 (Requirement memo) by the Client and the Vendor",
    ),
}


def _zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_documents_awaiting_signatures_go_out_with_a_cover_letter(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.memo_issued")
    memo, letter, signing = NAMES[locale]
    out = ws.parent / "to-client.zip"
    r = docflow("export", "client", "--pending", str(out), "--json", cwd=ws)
    assert r.code == 0, r.err
    result = r.json()
    assert [(d["id"], d["version"], d["awaiting"]) for d in result["documents"]] == [
        ("RM-1", 1, ["client", "vendor"])
    ]
    names = [f"{memo}.pdf", f"{memo}.docx", f"{letter}.pdf", f"{letter}.docx"]
    assert [f["name"] for f in result["files"]] == names
    files = _zip(out)
    assert sorted(files) == sorted(names)
    for f in result["files"]:
        assert hashlib.sha256(files[f["name"]]).hexdigest() == f["sha256"]
    assert files[f"{memo}.pdf"] == (ws / "documents/RM-1-v1.pdf").read_bytes()
    for text in (" ".join(pdf_pages(files[f"{letter}.pdf"])), docx_text(files[f"{letter}.docx"])):
        assert "WH-2026/RM-1" in text and normal(signing) in text
        assert normal(f"{memo}.pdf") in text and normal(f"{memo}.docx") in text


def test_by_id_and_by_step(skeleton_at: Callable[[str, str], Path], docflow: Docflow) -> None:
    from docflow import api

    ws = skeleton_at("en", "survey.memo_issued")
    by_step = api.Project.open(ws, actor="tester").export_client(
        ws.parent / "step.zip", step="plan_survey"
    )
    assert [d["id"] for d in by_step.documents] == ["SP-1"]
    assert by_step.documents[0]["status"] == "signed" and by_step.documents[0]["awaiting"] == []
    r = docflow("export", "client", "SP-1", "RM-1", str(ws.parent / "ids.zip"), "--json", cwd=ws)
    assert r.code == 0, r.err
    assert [d["id"] for d in r.json()["documents"]] == ["SP-1", "RM-1"]
    letter = [f["name"] for f in r.json()["files"] if f["role"] == "cover_letter_pdf"]
    text = " ".join(pdf_pages(_zip(ws.parent / "ids.zip")[letter[0]]))
    assert "WH-2026/SP-1" in text and "Signatures needed: RM-1" in text


def test_only_current_versions_and_signed_files_go_out(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, tmp_path: Path
) -> None:
    ws = skeleton_at("en", "survey.memo_issued")
    edit_project(ws, lambda d: d["memo"].update(background="The warehouse runs on paper."))
    assert docflow("render", "RM-1", cwd=ws).code == 0  # v2 supersedes v1
    versions = docflow("docs", "--all", "--json", cwd=ws).json()
    assert [(d["id"], d["version"], d["status"]) for d in versions if d["id"] == "RM-1"] == [
        ("RM-1", 1, "superseded"),
        ("RM-1", 2, "issued"),
    ]
    assert "superseded" in docflow("docs", "--all", cwd=ws).out

    pki = make_pki()
    signed = tmp_path / "rm-1 signed.pdf"
    signed.write_bytes(
        reader_sign((ws / "documents/RM-1-v2.pdf").read_bytes(), pki.client_p12, "client")
    )
    scan = tmp_path / "sp-1.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x01" * 32)
    assert (
        docflow(
            "sign",
            "RM-1",
            "--party",
            "client",
            "--signer",
            "Zhang Wei",
            "--file",
            str(signed),
            cwd=ws,
        ).code
        == 0
    )

    out = tmp_path / "out.zip"
    r = docflow("export", "client", "RM-1", str(out), "--with-signed", "--json", cwd=ws)
    assert r.code == 0, r.err
    files = _zip(out)
    assert "WH-2026 Requirement memo RM-1 v2 signed.pdf" in files
    assert files["WH-2026 Requirement memo RM-1 v2 signed.pdf"] == signed.read_bytes()
    assert not [n for n in files if "v1" in n]
    assert r.json()["documents"][0]["awaiting"] == ["vendor"]


def test_scans_go_out_with_with_signed(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, tmp_path: Path
) -> None:
    ws = skeleton_at("zh-CN", "survey.planned")
    scan = tmp_path / "扫描.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x02" * 32)
    assert (
        docflow(
            "sign", "SP-1", "--party", "client", "--signer", "张伟", "--file", str(scan), cwd=ws
        ).code
        == 0
    )
    out = tmp_path / "out.zip"
    assert docflow("export", "client", "SP-1", str(out), cwd=ws).code == 0
    assert "WH-2026 需求调研计划 SP-1 v1 甲方签字扫描件.png" not in _zip(out)
    assert docflow("export", "client", "SP-1", str(out), "--with-signed", cwd=ws).code == 0
    assert _zip(out)["WH-2026 需求调研计划 SP-1 v1 甲方签字扫描件.png"] == scan.read_bytes()


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(["SP-1", "out.pdf"], 2, "OUT.zip", id="not-a-zip"),
        pytest.param(["out.zip"], 2, "DOC_ID..., --step TRIGGER or --pending", id="nothing-named"),
        pytest.param(["SP-1", "--pending", "out.zip"], 2, "DOC_ID..., --step", id="two-ways"),
        pytest.param(["--step", "nope", "out.zip"], 2, "unknown step 'nope'", id="unknown-step"),
        pytest.param(
            ["--step", "plan_deployment", "out.zip"], 5, "has not been taken", id="step-not-taken"
        ),
        pytest.param(["SP-7", "out.zip"], 4, "no document SP-7", id="unknown-document"),
        pytest.param(["--pending", "out.zip"], 4, "awaits a signature", id="nothing-pending"),
    ],
)
def test_a_bundle_that_cannot_be(
    skeleton_at: Callable[[str, str], Path],
    docflow: Docflow,
    args: list[str],
    code: int,
    says: str,
) -> None:
    ws = skeleton_at("en", "survey.planned")
    assert docflow("sign", "SP-1", "--party", "client", "--signer", "A", cwd=ws).code == 0
    r = docflow("export", "client", *args, cwd=ws)
    assert r.code == code, r.err
    assert says in r.err and "Traceback" not in r.err
    assert not (ws / "out.zip").exists() and not (ws / "out.pdf").exists()


def test_a_void_document_is_not_sent(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("en", "survey.planned")
    assert docflow("void", "SP-1", "--reason", "wrong", cwd=ws).code == 0
    r = docflow("export", "client", "SP-1", "out.zip", cwd=ws)
    assert r.code == 5 and "SP-1 v1 is void" in r.err
    assert not (ws / "out.zip").exists()
