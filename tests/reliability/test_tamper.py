"""The store edited behind docflow's back, through the real ``docflow`` command on both stores:
``verify`` names the row that differs from the event chain, and every command that acts on
the project refuses (exit 6) and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reliability_helpers import Project, build_legacy_in_subprocess

from docflow.store.revisions import HEAD

BASE = "survey.confirmed"
CHANGES = "survey.confirmed+changes"


def _with_changes(p: Project) -> None:
    """CR-1 approved (CA-1 issued, awaiting both parties) and CR-2 open."""
    for title in ("LIS", "PACS"):
        p.ok(
            "change",
            "new",
            *("--title", title, "--reason", "client"),
            *("--adds", f"{title} 接口", "--description", f"与{title}系统对接"),
        )
    p.ok("change", "approve", "CR-1")


@pytest.fixture
def tampered(project_after: Callable[..., Project]) -> Project:
    """A private copy of the project at survey.confirmed with CR-1 approved and CR-2 open."""
    return project_after(BASE, CHANGES, _with_changes)


SIGNATURE = (
    "INSERT INTO signatures (project_id, doc_id, version, party, signer, signed_on, method, "
    "actor, at) SELECT project_id, doc_id, version, 'client', '王晓东', '2026-12-01', "
    "'recorded', 'tester', '2026-12-01T08:00:00+00:00' FROM documents WHERE doc_id = 'CA-1'"
)
EDITS = [
    pytest.param(
        "UPDATE projects SET state = 'acceptance.accepted'", "projects[HIS-2026].state", id="state"
    ),
    pytest.param(
        "UPDATE documents SET status = 'signed' WHERE doc_id = 'CA-1'",
        "documents[CA-1 1].status",
        id="document-signed",
    ),
    pytest.param(SIGNATURE, "signatures[CA-1 1 client]", id="signature-inserted"),
    pytest.param(
        "DELETE FROM signatures WHERE doc_id = 'RM-1' AND party = 'vendor'",
        "signatures[RM-1 1 vendor]",
        id="signature-deleted",
    ),
    pytest.param(
        "UPDATE change_requests SET status = 'effective' WHERE cr_id = 'CR-1'",
        "change_requests[CR-1].status",
        id="change-status",
    ),
    pytest.param(
        "UPDATE counters SET value = value + 1 WHERE name = 'annex'",
        "counters[annex].value",
        id="counter",
    ),
    pytest.param(
        "UPDATE projects SET baseline = '[]'", "projects[HIS-2026].baseline", id="baseline"
    ),
    pytest.param(
        "UPDATE documents SET signed_pdf_sha256 = pdf_sha256 WHERE doc_id = 'RM-1'",
        "documents[RM-1 1].signed_pdf_sha256",
        id="signed-file",
    ),
]
# Every kind of command that acts on the project.
COMMANDS = [
    ("advance",),
    ("sign", "CA-1", "--party", "client", "--signer", "王晓东"),
    (
        "change",
        "new",
        *("--title", "HR", "--reason", "client"),
        *("--adds", "HR 接口", "--description", "与人事系统对接"),
    ),
    ("change", "approve", "CR-2"),
    ("change", "reject", "CR-2", "--reason", "cost"),
    ("render", "--all"),
    ("status",),
]


@pytest.mark.parametrize(("sql", "path"), EDITS)
def test_an_edited_row_is_named_by_verify_and_stops_every_command(
    tampered: Project, sql: str, path: str
) -> None:
    assert tampered.verify()["ok"]
    tampered.sql(sql)
    report = tampered.verify()
    assert not report["ok"]
    first = report["problems"][0]
    assert (first["kind"], first["path"]) == ("table_mismatch", path)
    mismatches = [p["path"] for p in report["problems"] if p["kind"] == "table_mismatch"]
    assert mismatches == [path]

    store, files = tampered.dump(), tampered.tree()
    for command in COMMANDS:
        result = tampered.run(*command, "--json")
        assert result.code == 6, f"{command}: {result.err}"
        assert result.json()["error"] == "integrity"
        message = result.err.strip()
        assert message.startswith("docflow: project HIS-2026 does not match its event chain")
        assert len(message.splitlines()) == 1, message
        assert tampered.dump() == store, command
        assert tampered.tree() == files, command
    # The audit trail stays readable, to look into what happened.
    assert tampered.run("log", "--json").code == 0


def test_a_legal_bundle_is_refused_while_verify_fails_and_marked_with_force(
    tampered: Project,
) -> None:
    clean = tampered.ok("export", "legal", str(tampered.ws / "clean.zip"))
    assert clean["verified"] is True and clean["problems"] == []
    assert clean["anchor"] == f"{clean['chain']['seq']}:{clean['chain']['head']}"

    tampered.sql("DELETE FROM signatures WHERE doc_id = 'RM-1' AND party = 'client'")
    out = tampered.ws / "bundle.zip"
    refused = tampered.run("export", "legal", str(out), "--json")
    assert refused.code == 6, refused.err
    assert "RM-1" in refused.json()["message"] and "--force" in refused.json()["message"]
    assert [p["kind"] for p in refused.json()["problems"]] == ["table_mismatch"]
    assert not out.exists()

    forced = tampered.ok("export", "legal", str(out), "--force")
    assert out.is_file()
    assert forced["verified"] is False
    assert [p["path"] for p in forced["problems"]] == ["signatures[RM-1 1 client]"]


def test_a_store_from_before_row_records_upgrades_and_verifies_clean(
    backend: str, shared_store_url: str, tmp_path: Path
) -> None:
    """A project written by the previous docflow (its events, its PDFs' anchors) verifies
    clean after ``docflow db upgrade``, and carries on."""
    p = Project(tmp_path / "old", backend, None if backend == "sqlite" else shared_store_url)
    build_legacy_in_subprocess(p.ws, p.url, "survey.in_progress")
    assert all("store" not in e["data"] for e in _events(p))
    before = p.dump()
    old = p.run("status", "--json")
    assert old.code == 1 and "docflow db upgrade" in old.json()["message"], old.err
    assert p.dump() == before
    upgraded = p.ok("db", "upgrade")
    assert upgraded["revision"] == HEAD
    assert p.verify()["ok"]
    assert [e["type"] for e in p.ok("log")][-1] == "store.checkpoint"
    moved = p.ok("advance")
    assert moved["to"] == "survey.memo_issued"
    assert p.verify()["ok"]
    # A row edited after the upgrade is caught as in any other store.
    p.sql("UPDATE documents SET status = 'signed' WHERE doc_id = 'RM-1'")
    assert p.verify()["problems"][0]["path"] == "documents[RM-1 1].status"


def test_rows_edited_before_the_upgrade_are_named_from_the_old_events(
    backend: str, shared_store_url: str, tmp_path: Path
) -> None:
    p = Project(tmp_path / "old", backend, None if backend == "sqlite" else shared_store_url)
    build_legacy_in_subprocess(p.ws, p.url, "survey.in_progress")
    p.sql("DELETE FROM signatures WHERE doc_id = 'SP-1' AND party = 'client'")
    p.ok("db", "upgrade")
    problems = p.verify()["problems"]
    assert [(x["kind"], x["path"]) for x in problems] == [
        ("table_mismatch", "signatures[SP-1 1 client]")
    ]
    assert "before the checkpoint" in problems[0]["message"]


def _events(p: Project) -> list[dict[str, Any]]:
    """The events as stored (``log`` cannot open a store at an older revision)."""
    import json

    from reliability_helpers import engine_of

    engine = engine_of(p.store_url)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT data FROM events ORDER BY seq").fetchall()
    finally:
        engine.dispose()
    return [{"data": json.loads(d) if isinstance(d, str) else d} for (d,) in rows]
