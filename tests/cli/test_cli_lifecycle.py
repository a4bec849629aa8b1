"""The whole lifecycle through the ``docflow`` command (zh-CN in real processes, en in this
process), integrity checks, and dry runs."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

MAIN_PATH = [
    ("sign_contract", "contract.signed", []),
    ("plan_survey", "survey.planned", ["SP-1"]),
    ("start_survey", "survey.in_progress", []),
    ("issue_requirement_memo", "survey.memo_issued", ["RM-1"]),
    ("confirm_requirements", "survey.confirmed", []),
    ("plan_deployment", "deployment.planned", ["DP-1"]),
    ("start_deployment", "deployment.in_progress", []),
    ("finish_deployment", "deployment.done", []),
    # The satisfaction survey goes to the client with the acceptance certificate.
    ("request_acceptance", "acceptance.requested", ["AC-1", "CS-1"]),
    ("accept", "acceptance.accepted", []),
    ("issue_completion_notice", "maintenance.notice_issued", ["CN-1"]),
    ("propose_maintenance", "maintenance.agreement_issued", ["MA-1"]),
    ("start_maintenance", "maintenance.active", []),
    ("close", "closed", []),
]


def sign_awaited(docflow: Callable[..., Any], ws: Path) -> None:
    status = docflow("status", "--json", cwd=ws)
    assert status.code == 0, status.err
    for doc in status.json()["documents"]:
        for party in doc["awaiting"]:
            r = docflow("sign", doc["id"], "--party", party, "--signer", f"{party} signer", cwd=ws)
            assert r.code == 0, r.err


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_whole_lifecycle(
    tmp_path: Path,
    docflow: Callable[..., Any],
    docflow_process: Callable[..., Any],
    locale: str,
) -> None:
    # One locale runs every command as users do, in a process of its own.
    docflow = docflow_process if locale == "zh-CN" else docflow
    ws = tmp_path / "ws"
    assert docflow("init", str(ws), "--example", "--locale", locale).code == 0
    for trigger, dest, emitted in MAIN_PATH:
        status = docflow("status", "--json", cwd=ws).json()
        step = next(t for t in status["transitions"] if t["trigger"] == trigger)
        if not step["ready"]:
            assert all(b["guard"] == "document_signed" for b in step["blockers"]), step
            sign_awaited(docflow, ws)
        r = docflow("advance", trigger, "--json", cwd=ws)
        assert r.code == 0, r.err
        result = r.json()
        assert result["from"] == status["state"] and result["to"] == dest
        assert [d["id"] for d in result["documents"]] == emitted
        for d in result["documents"]:
            for ext in ("docx", "pdf"):
                f = ws / d["files"][ext]
                assert f.is_file() and f.stat().st_size > 1000, f
    final = docflow("status", "--json", cwd=ws).json()
    assert final["state"] == "closed" and final["transitions"] == []
    assert {d["id"]: d["status"] for d in final["documents"]} == {
        "SP-1": "signed",
        "RM-1": "signed",
        "DP-1": "signed",
        "AC-1": "signed",
        "CS-1": "issued",  # a form the client fills in, not a document to sign
        "CN-1": "signed",
        "MA-1": "signed",
    }
    assert [d["annex"] for d in final["documents"] if d["id"] == "RM-1"] == [1]

    verify = docflow("verify", "--json", cwd=ws)
    assert verify.code == 0, verify.err
    assert verify.json()["ok"] is True

    log = docflow("log", "--json", cwd=ws).json()
    steps = [e["data"]["trigger"] for e in log if e["type"] == "step"]
    assert steps == [t for t, _, _ in MAIN_PATH]
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert all(e["actor"] == "tester" for e in log)
    assert sum(1 for e in log if e["type"] == "signature") == 10


def _to_state(docflow: Callable[..., Any], ws: Path, stop: str) -> None:
    for trigger, dest, _ in MAIN_PATH:
        sign_awaited(docflow, ws)
        r = docflow("advance", trigger, cwd=ws)
        assert r.code == 0, r.err
        if dest == stop:
            return


def test_verify_names_each_damage_and_render_restores(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    ws = example_workspace
    _to_state(docflow, ws, "survey.memo_issued")  # SP-1 and RM-1 issued
    assert docflow("verify", cwd=ws).code == 0

    edited = ws / "documents" / "SP-1-v1.pdf"
    edited.write_bytes(edited.read_bytes() + b"% tampered\n")
    deleted = ws / "documents" / "RM-1-v1.docx"
    deleted.unlink()
    with sqlite3.connect(ws / ".docflow" / "docflow.db") as db:
        db.execute("UPDATE events SET actor = 'mallory' WHERE seq = 2")

    r = docflow("verify", "--json", cwd=ws)
    assert r.code == 6
    problems = r.json()["problems"]
    kinds = {(p["kind"], p.get("file")) for p in problems}
    assert ("file_modified", "documents/SP-1-v1.pdf") in kinds
    assert ("file_missing", "documents/RM-1-v1.docx") in kinds
    chain = [p for p in problems if p["kind"] == "event_chain"]
    assert chain and any("2" in p["message"] for p in chain)
    assert "SP-1-v1.pdf" in r.err and "RM-1-v1.docx" in r.err

    restored = docflow("render", "--json", cwd=ws)
    assert restored.code == 0, restored.err
    assert set(restored.json()["restored"]) >= {"documents/SP-1-v1.pdf", "documents/RM-1-v1.docx"}
    again = docflow("verify", "--json", cwd=ws).json()
    assert {p["kind"] for p in again["problems"]} == {"event_chain"}


def test_dry_run_writes_nothing(
    example_workspace: Path,
    docflow: Callable[..., Any],
    tree_snapshot: Callable[[Path], dict[str, bytes]],
) -> None:
    ws = example_workspace
    assert docflow("advance", "sign_contract", cwd=ws).code == 0
    before = tree_snapshot(ws)
    r = docflow("advance", "--dry-run", "--json", cwd=ws)
    assert r.code == 0, r.err
    data = r.json()
    assert data["dry_run"] is True and data["to"] == "survey.planned"
    assert [d["id"] for d in data["documents"]] == ["SP-1"]
    assert tree_snapshot(ws) == before
    assert docflow("status", "--json", cwd=ws).json()["state"] == "contract.signed"


def test_verify_detects_a_rebuilt_chain_through_document_anchors(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    """Someone with write access edits an event and recomputes every hash: the chain checks
    out, but the PDFs on disk carry the old head and give the rewrite away."""
    import json

    from docflow.store.chain import canonical_json, event_hash, sha256_hex

    ws = example_workspace
    _to_state(docflow, ws, "survey.planned")  # SP-1 issued at the head after sign_contract
    db = sqlite3.connect(ws / ".docflow" / "docflow.db")
    rows = db.execute("SELECT seq, at, actor, type, data FROM events ORDER BY seq").fetchall()
    prev = "0" * 64
    for seq, at, actor, type_, data in rows:
        payload = json.loads(data)
        if seq == 2:
            actor = "mallory"
        h = event_hash(seq, at, actor, type_, payload, prev)
        db.execute(
            "UPDATE events SET actor=?, prev_hash=?, hash=?, data_sha256=? WHERE seq=?",
            (actor, prev, h, sha256_hex(canonical_json(payload)), seq),
        )
        prev = h
    db.execute("UPDATE projects SET head_hash=?", (prev,))
    db.commit()
    db.close()
    r = docflow("verify", "--json", cwd=ws)
    assert r.code == 6
    kinds = {p["kind"] for p in r.json()["problems"]}
    assert kinds == {"anchor_mismatch"}, r.json()["problems"]
