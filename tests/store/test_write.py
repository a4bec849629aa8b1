"""Write transactions: commit, rollback, version check, counters, blobs and per-project rows."""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

import pytest
from store_rows import change_row, document_row, signature_row

from docflow.errors import Conflict, ProjectChanged
from docflow.store import ChangeRow, ProjectRow, Store
from docflow.store.chain import jsonable, sha256_hex


class Boom(Exception):
    """Raised inside a transaction to force a rollback."""


def test_write_commits_every_change_and_bumps_the_version(
    store: Store, project: ProjectRow
) -> None:
    with store.write("HIS-2026", expected_version=1) as tx:
        tx.set_state("contract.signed")
        tx.set_baseline([{"id": "R-1", "title": "挂号"}])
        event = tx.append_event("transition", "pm", {"trigger": "sign_contract"})
        assert tx.project.head_seq == event.seq == 2
        assert tx.project.state == "contract.signed"
    after = store.get_project("HIS-2026")
    assert after is not None
    assert after.version == 2
    assert after.state == "contract.signed"
    assert after.baseline == [{"id": "R-1", "title": "挂号"}]
    assert (after.head_seq, after.head_hash) == (2, event.hash)
    assert store.events("HIS-2026", after_seq=1) == [event]


def test_an_exception_rolls_everything_back(store: Store, project: ProjectRow) -> None:
    with pytest.raises(Boom), store.write("HIS-2026", expected_version=1) as tx:
        tx.append_event("transition", "pm", {})
        tx.set_state("contract.signed")
        tx.next_number("doc:SP")
        blob = tx.put_blob(b"never stored")
        tx.add_document(document_row())
        raise Boom
    assert store.get_project("HIS-2026") == project
    assert len(store.events("HIS-2026")) == 1
    assert store.documents("HIS-2026") == []
    assert store.blob(blob) is None
    with store.write("HIS-2026", expected_version=1) as tx:
        assert tx.next_number("doc:SP") == 1
        tx.append_event("numbered", "pm", {})


def test_a_stale_expected_version_is_a_conflict(store: Store, project: ProjectRow) -> None:
    with store.write("HIS-2026", 1) as tx:
        tx.set_state("contract.signed")
        tx.append_event("step", "pm", {})
    message = r"project HIS-2026 changed while this command ran \(version 2, expected 1\)"
    with pytest.raises(ProjectChanged, match=message), store.write("HIS-2026", 1) as tx:
        tx.set_state("contract.drafting")
    after = store.get_project("HIS-2026")
    assert after is not None
    assert (after.version, after.state) == (2, "contract.signed")


def test_no_expected_version_writes_on_whatever_version_is_current(
    store: Store, project: ProjectRow
) -> None:
    with store.write("HIS-2026", 1) as tx:
        tx.set_state("contract.signed")
        tx.append_event("step", "pm", {})
    with store.write("HIS-2026", None) as tx:
        assert tx.project.version == 2
        tx.append_event("change.requested", "pm", {"id": "CR-1"})
    after = store.get_project("HIS-2026")
    assert after is not None
    assert (after.version, after.head_seq) == (3, 3)


def test_writing_an_unknown_project_is_a_conflict(store: Store) -> None:
    with pytest.raises(Conflict, match="project NOPE is not in the store"), store.write("NOPE", 1):
        pass


def test_next_number_counts_each_counter_per_project(store: Store, make_project: Any) -> None:
    make_project("A")
    make_project("B")
    with store.write("A", 1) as tx:
        taken = [tx.next_number("CR"), tx.next_number("CR"), tx.next_number("doc:SP")]
        tx.append_event("numbers", "pm", {})
    with store.write("A", 2) as tx:
        taken.append(tx.next_number("CR"))
        tx.append_event("numbers", "pm", {})
    with store.write("B", 1) as tx:
        taken.append(tx.next_number("CR"))
        tx.append_event("numbers", "pm", {})
    assert taken == [1, 2, 1, 3, 1]


def test_blobs_are_content_addressed_and_idempotent(store: Store, project: ProjectRow) -> None:
    data = "需求备忘录".encode() + bytes(range(256))
    with store.write("HIS-2026", 1) as tx:
        first = tx.put_blob(data)
        again = tx.put_blob(data)
    with store.write("HIS-2026", 2) as tx:
        later = tx.put_blob(data)
    assert first == again == later == sha256_hex(data)
    assert store.blob(first) == data
    assert store.blob("0" * 64) is None


def _stored(row: ChangeRow) -> ChangeRow:
    return dataclasses.replace(row, body=jsonable(row.body))


def test_documents_versions_status_and_signed_file(store: Store, project: ProjectRow) -> None:
    with store.write("HIS-2026", 1) as tx:
        tx.add_document(document_row("SP-1", 1))
        tx.add_document(document_row("RM-1", 1, annex=1, template="requirement_memo"))
        tx.append_event("step", "pm", {})
    with store.write("HIS-2026", 2) as tx:
        tx.add_document(document_row("SP-1", 2))
        tx.set_document_status("SP-1", 1, "superseded")
        tx.set_signed_file("SP-1", 2, "s" * 64)
        tx.append_event("documents.rerendered", "pm", {})
    listed = store.documents("HIS-2026")
    assert [(d.doc_id, d.version, d.status) for d in listed] == [
        ("SP-1", 1, "superseded"),
        ("RM-1", 1, "issued"),
        ("SP-1", 2, "issued"),
    ]
    newest = store.document("HIS-2026", "SP-1")
    assert newest == document_row("SP-1", 2, signed_pdf_sha256="s" * 64)
    assert store.document("HIS-2026", "SP-1", 1) == document_row("SP-1", 1, status="superseded")
    assert store.document("HIS-2026", "SP-9") is None


@pytest.mark.parametrize(
    ("action", "message"),
    [
        pytest.param(
            lambda tx: tx.add_document(document_row("SP-1", 1)),
            "document SP-1 version 1 already exists",
            id="duplicate-document",
        ),
        pytest.param(
            lambda tx: tx.set_document_status("SP-1", 7, "void"),
            "has no document SP-1 version 7",
            id="status-of-missing-version",
        ),
        pytest.param(
            lambda tx: tx.add_signature(signature_row("client")),
            "client has already signed SP-1 version 1",
            id="duplicate-signature",
        ),
        pytest.param(
            lambda tx: tx.add_change(change_row("CR-1")),
            "change request CR-1 already exists",
            id="duplicate-change",
        ),
        pytest.param(
            lambda tx: tx.update_change("CR-9", status="approved"),
            "has no change request CR-9",
            id="update-missing-change",
        ),
    ],
)
def test_invalid_row_writes_are_conflicts_and_write_nothing(
    store: Store, project: ProjectRow, action: Any, message: str
) -> None:
    with store.write("HIS-2026", 1) as tx:
        tx.add_document(document_row("SP-1", 1))
        tx.add_signature(signature_row("client"))
        tx.add_change(change_row("CR-1"))
        tx.append_event("setup", "pm", {})
    before = store.get_project("HIS-2026")
    with pytest.raises(Conflict, match=message), store.write("HIS-2026", 2) as tx:
        tx.append_event("attempt", "pm", {})
        action(tx)
    assert store.get_project("HIS-2026") == before


def test_signatures_are_listed_in_order(store: Store, project: ProjectRow) -> None:
    scan = signature_row("vendor", method="scan", file_sha256="f" * 64, file_name="sp.pdf")
    with store.write("HIS-2026", 1) as tx:
        tx.add_document(document_row())
        tx.add_signature(signature_row("client"))
        tx.add_signature(scan)
        tx.append_event("signatures", "pm", {})
    assert store.signatures("HIS-2026") == [signature_row("client"), scan]


def test_changes_are_added_updated_and_listed_by_number(store: Store, project: ProjectRow) -> None:
    with store.write("HIS-2026", 1) as tx:
        tx.add_change(change_row("CR-2", 2))
        tx.add_change(change_row("CR-1", 1))
        tx.append_event("change.requested", "pm", {})
    with store.write("HIS-2026", 2) as tx:
        tx.update_change(
            "CR-1",
            status="approved",
            annex=2,
            doc_id="CA-1",
            decided_by="client",
            decided_at="2026-12-02T08:00:00.000+00:00",
        )
        tx.append_event("change.approved", "pm", {})
    first, second = store.changes("HIS-2026")
    assert second == _stored(change_row("CR-2", 2))
    assert first == dataclasses.replace(
        _stored(change_row("CR-1", 1)),
        status="approved",
        annex=2,
        doc_id="CA-1",
        decided_by="client",
        decided_at="2026-12-02T08:00:00.000+00:00",
    )
    # Money in a change body is stored exactly, as a string.
    assert first.body["cost"] == "5000.00"


def _sqlite_lock_probe(url: str) -> Any:
    other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)

    def probe() -> None:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")

    return probe, other.close, sqlite3.OperationalError


def _pg_lock_probe(url: str) -> Any:
    import psycopg

    other = psycopg.connect(url, autocommit=False)

    def probe() -> None:
        try:
            other.execute("SELECT 1 FROM projects WHERE code = 'HIS-2026' FOR UPDATE NOWAIT")
        finally:
            other.rollback()

    return probe, other.close, psycopg.errors.LockNotAvailable


def test_write_holds_the_project_lock_from_the_start(
    store: Store, project: ProjectRow, backend: str
) -> None:
    make = _sqlite_lock_probe if backend == "sqlite" else _pg_lock_probe
    probe, close, locked = make(store.url)
    try:
        # Nothing is written yet, but the lock must already be held.
        with store.write("HIS-2026", 1), pytest.raises(locked):
            probe()
        probe()
    finally:
        close()
