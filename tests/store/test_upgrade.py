"""Stores written before events recorded their rows: ``db upgrade`` appends a checkpoint to
each project, after which they verify clean and every later write is recorded.

The old store is made the way the previous docflow wrote it: the same tables at revision
``0001_initial``, and events whose data holds no ``"store"`` record, chained by hash.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from store_rows import change_row, document_row, signature_row

from docflow.errors import EnvironmentProblem
from docflow.store import ProjectRow, Store, open_store
from docflow.store.chain import GENESIS_HASH, canonical_json, event_hash, sha256_hex
from docflow.store.checkpoint import CHECKPOINT, checkpoint_all
from docflow.store.ledger import RECORD
from docflow.store.revisions import HEAD
from docflow.store.sql import AlchemyExecutor


def _history(store: Store) -> None:
    """Steps, a signature, a baseline and a change request, with the event data docflow's
    commands write (``runtime.steps``, ``runtime.signing``, ``runtime.changes``)."""
    doc = document_row("SP-1")
    sig = signature_row("client")
    with store.write("HIS-2026", 1) as tx:
        tx.next_number("doc:SP")
        tx.add_document(doc)
        tx.set_state("survey.planned")
        issued = {"id": "SP-1", "version": 1, "pdf": doc.pdf_sha256, "docx": doc.docx_sha256}
        step = {"trigger": "plan_survey", "from": "contract.signed", "to": "survey.planned"}
        tx.append_event("step", "pm", {**step, "documents": [{**issued, "data": doc.data_sha256}]})
    with store.write("HIS-2026", 2) as tx:
        tx.add_signature(sig)
        signed = {"document": "SP-1", "version": 1, "party": "client", "signer": sig.signer}
        tx.append_event(
            "signature",
            "pm",
            {**signed, "method": "recorded", "file_sha256": None, "signed_on": sig.signed_on},
        )
        tx.set_document_status("SP-1", 1, "signed")
        tx.append_event("document.signed", "pm", {"document": "SP-1", "version": 1})
    with store.write("HIS-2026", 3) as tx:
        tx.set_baseline([{"id": "R-1", "title": "挂号"}])
        tx.set_state("survey.confirmed")
        step = {"trigger": "confirm_requirements", "from": "survey.planned"}
        tx.append_event("step", "pm", {**step, "to": "survey.confirmed", "documents": []})
    with store.write("HIS-2026", 4) as tx:
        tx.add_change(change_row("CR-1", tx.next_number("CR")))
        tx.append_event("change.requested", "pm", {"change": "CR-1", "title": "增加检验科接口"})


def make_legacy(store: Store, raw_sql: Callable[..., None]) -> None:
    """Rewrite every chain as the previous docflow wrote it, and mark the schema 0001 (the
    tables of later revisions, the portal's, dropped)."""
    later = ("rate_limits", "web_sessions", "users", "certificates", "declines", "links")
    statements = [f"DROP TABLE {table}" for table in later]
    statements.append("UPDATE alembic_version SET version_num = '0001_initial'")
    for project in store.list_projects():
        prev = GENESIS_HASH
        for event in store.events(project.code):
            data = {k: v for k, v in event.data.items() if k != RECORD}
            digest = event_hash(event.seq, event.at, event.actor, event.type, data, prev)
            text = canonical_json(data)
            quoted = text.replace("'", "''")
            statements.append(
                f"UPDATE events SET data = '{quoted}', data_sha256 = '{sha256_hex(text)}', "
                f"prev_hash = '{prev}', hash = '{digest}' WHERE seq = {event.seq} AND "
                f"project_id = (SELECT id FROM projects WHERE code = '{project.code}')"
            )
            prev = digest
        statements.append(f"UPDATE projects SET head_hash = '{prev}' WHERE code = '{project.code}'")
    raw_sql(*statements)


@pytest.fixture
def legacy(
    store: Store, make_project: Callable[..., ProjectRow], raw_sql: Callable[..., None]
) -> Store:
    """A store at revision 0001 holding HIS-2026 (with history) and a bare project B."""
    make_project()
    make_project("B")
    _history(store)
    make_legacy(store, raw_sql)
    return store


def test_an_old_store_asks_for_the_upgrade(legacy: Store) -> None:
    assert all(RECORD not in e.data for e in legacy.events("HIS-2026"))
    assert legacy.verify_chain("HIS-2026") == []
    with pytest.raises(EnvironmentProblem, match=r"0001_initial, older .*`docflow db upgrade`"):
        legacy.ensure_schema()


def test_the_upgrade_checkpoints_every_project_and_it_verifies_clean(legacy: Store) -> None:
    before = {p.code: p for p in legacy.list_projects()}
    tables = (legacy.documents("HIS-2026"), legacy.signatures("HIS-2026"))
    assert legacy.upgrade() == HEAD
    legacy.ensure_schema()
    for code, old in before.items():
        after = legacy.get_project(code)
        assert after is not None
        assert (after.head_seq, after.version) == (old.head_seq + 1, old.version + 1)
        (checkpoint,) = legacy.events(code, after_seq=old.head_seq)
        assert checkpoint.type == CHECKPOINT
        assert checkpoint.prev_hash == old.head_hash
        assert checkpoint.data[RECORD]["state"] == old.state
        assert legacy.verify_project(code) == []
        legacy.check_rows(code)
    assert (legacy.documents("HIS-2026"), legacy.signatures("HIS-2026")) == tables
    # Writes after the upgrade are recorded and replay on top of the checkpoint.
    version = before["HIS-2026"].version + 1
    with legacy.write("HIS-2026", version) as tx:
        tx.update_change("CR-1", status="rejected")
        tx.append_event("change.rejected", "pm", {"change": "CR-1", "reason": "费用"})
    assert legacy.verify_project("HIS-2026") == []


def test_rows_edited_after_the_upgrade_are_named(
    legacy: Store, raw_sql: Callable[..., None]
) -> None:
    legacy.upgrade()
    head = legacy.get_project("HIS-2026")
    assert head is not None
    raw_sql("UPDATE documents SET status = 'issued'")
    (problem,) = legacy.verify_rows("HIS-2026")
    assert problem.path == "documents[SP-1 1].status"
    # The checkpoint is the event that vouches for the status.
    assert f"says 'signed' (seq {head.head_seq})" in problem.message


def test_a_second_checkpoint_is_a_forgery(store: Store, project: ProjectRow) -> None:
    """Only a chain that recorded no rows yet may start from a checkpoint."""
    _history(store)
    url = store.url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            checkpoint_all(AlchemyExecutor(conn))
    finally:
        engine.dispose()
    problems = store.verify_rows("HIS-2026")
    assert [p.kind for p in problems] == ["event_chain"]
    assert "checkpoint after rows were recorded" in problems[0].message


def test_upgrading_a_store_at_head_changes_nothing(store: Store, project: ProjectRow) -> None:
    _history(store)
    before = store.events("HIS-2026")
    assert store.upgrade() == HEAD
    assert store.events("HIS-2026") == before


def test_a_fresh_store_is_created_at_the_newest_revision(store_url: str) -> None:
    opened = open_store(store_url, None)
    try:
        opened.ensure_schema(create=True)
        assert opened.count_projects() == 0
        opened.ensure_schema()
    finally:
        opened.close()


PRE_UPGRADE_EDITS = [
    pytest.param(
        "UPDATE projects SET state = 'acceptance.accepted' WHERE code = 'HIS-2026'",
        "projects[HIS-2026].state",
        id="state",
    ),
    pytest.param(
        "UPDATE documents SET status = 'issued'", "documents[SP-1 1].status", id="document-status"
    ),
    pytest.param("DELETE FROM signatures", "signatures[SP-1 1 client]", id="signature-deleted"),
    pytest.param(
        "INSERT INTO signatures (project_id, doc_id, version, party, signer, signed_on, method, "
        "actor, at) SELECT project_id, 'SP-1', 1, 'vendor', 'x', '2026-12-01', 'recorded', 'x', "
        "'2026-12-01T00:00:00+00:00' FROM documents",
        "signatures[SP-1 1 vendor]",
        id="signature-inserted",
    ),
    pytest.param(
        "UPDATE signatures SET signer = '李四'", "signatures[SP-1 1 client].signer", id="signer"
    ),
    pytest.param(
        "UPDATE change_requests SET status = 'effective'",
        "change_requests[CR-1].status",
        id="change-status",
    ),
    pytest.param(
        f"UPDATE documents SET pdf_sha256 = '{'f' * 64}'",
        "documents[SP-1 1].pdf_sha256",
        id="pdf-hash",
    ),
]


@pytest.mark.parametrize(("sql", "path"), PRE_UPGRADE_EDITS)
def test_rows_edited_before_the_upgrade_are_named_from_the_old_events(
    legacy: Store, raw_sql: Callable[..., None], sql: str, path: str
) -> None:
    raw_sql(sql)
    legacy.upgrade()
    problems = legacy.verify_rows("HIS-2026")
    assert [p.path for p in problems] == [path]
    assert problems[0].kind == "table_mismatch"
    assert "before the checkpoint at seq" in problems[0].message
