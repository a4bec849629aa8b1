"""Row records: every write records its row changes in the event it appends, ``verify_rows``
replays them against the tables, and a write refuses rows that differ from the chain head."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from store_rows import change_row, document_row, signature_row

from docflow.errors import DocflowError, IntegrityFailure
from docflow.store import ProjectRow, Store
from docflow.store.chain import canonical_json, event_hash, sha256_hex
from docflow.store.ledger import RECORD
from docflow.store.reconcile import replay


def _history(store: Store) -> None:
    """A project through documents, signatures, a change request, counters and a baseline."""
    with store.write("HIS-2026", 1) as tx:
        number = tx.next_number("doc:SP")
        tx.add_document(document_row(f"SP-{number}"))
        tx.set_state("survey.planned")
        tx.append_event("step", "pm", {"trigger": "plan_survey"})
    with store.write("HIS-2026", 2) as tx:
        tx.add_signature(signature_row("client"))
        tx.append_event("signature", "pm", {"document": "SP-1"})
        tx.set_document_status("SP-1", 1, "signed")
        tx.set_signed_file("SP-1", 1, "s" * 64)
        tx.append_event("document.signed", "pm", {"document": "SP-1"})
    with store.write("HIS-2026", 3) as tx:
        tx.set_baseline([{"id": "R-1", "title": "挂号", "hours": Decimal("1.50")}])
        tx.set_state("survey.confirmed")
        tx.append_event("step", "pm", {"trigger": "confirm_requirements"})
    with store.write("HIS-2026", None) as tx:
        tx.add_change(change_row("CR-1", tx.next_number("CR")))
        tx.append_event("change.requested", "pm", {"change": "CR-1"})
    with store.write("HIS-2026", 5) as tx:
        tx.update_change("CR-1", status="rejected", decided_by="client", decision_reason="费用")
        tx.append_event("change.rejected", "pm", {"change": "CR-1"})


def test_every_event_records_its_rows_and_a_digest(store: Store, project: ProjectRow) -> None:
    _history(store)
    events = store.events("HIS-2026")
    records = [e.data[RECORD] for e in events]
    assert [r["state"] for r in records] == [
        "contract.drafting",
        "survey.planned",
        "survey.planned",
        "survey.planned",
        "survey.confirmed",
        "survey.confirmed",
        "survey.confirmed",
    ]
    ops = [[(e["op"], e.get("table")) for e in r["effects"]] for r in records]
    assert ops[1] == [("upsert", "counters"), ("insert", "documents"), ("update", "projects")]
    assert ops[2] == [("insert", "signatures")]
    assert ops[3] == [("update", "documents"), ("update", "documents")]
    found = replay("HIS-2026", events)
    assert found.problems == []
    assert found.ledger is not None
    assert found.ledger.digest() == records[-1]["digest"]
    assert store.verify_rows("HIS-2026") == []
    assert store.verify_project("HIS-2026") == []
    store.check_rows("HIS-2026")


def test_a_workflow_move_is_recorded_and_replays(store: Store, project: ProjectRow) -> None:
    _history(store)
    with store.write("HIS-2026", None) as tx:
        tx.set_workflow("implementation_golive")
        tx.append_event("workflow.upgraded", "pm", {"to": "implementation_golive"})
    head = store.events("HIS-2026")[-1]
    assert head.data[RECORD]["effects"] == [
        {
            "op": "update",
            "table": "projects",
            "key": {},
            "set": {"workflow": "implementation_golive"},
        }
    ]
    moved = store.get_project("HIS-2026")
    assert moved is not None and moved.workflow == "implementation_golive"
    assert store.verify_rows("HIS-2026") == []
    store.check_rows("HIS-2026")
    with store.write("HIS-2026", moved.version) as tx:  # the next command may write
        tx.append_event("step", "pm", {})


def test_a_row_change_without_an_event_after_it_writes_nothing(
    store: Store, project: ProjectRow
) -> None:
    refused = pytest.raises(DocflowError, match="changed documents without appending an event")
    with refused, store.write("HIS-2026", 1) as tx:
        tx.append_event("step", "pm", {})
        tx.add_document(document_row())
    assert store.get_project("HIS-2026") == project
    assert store.documents("HIS-2026") == []


def test_event_data_may_not_claim_the_store_record(store: Store, project: ProjectRow) -> None:
    refused = pytest.raises(DocflowError, match="may not use the key 'store'")
    with refused, store.write("HIS-2026", 1) as tx:
        tx.append_event("step", "pm", {RECORD: {"effects": []}})
    assert store.get_project("HIS-2026") == project


SHA = "e" * 64
# Edits made behind docflow's back; each names the row verify must report (its path).
EDITS = [
    pytest.param(
        "UPDATE projects SET state = 'acceptance.accepted'",
        "projects[HIS-2026].state",
        id="project-state",
    ),
    pytest.param(
        'UPDATE projects SET baseline = \'[{"id":"R-1","title":"伪造"}]\'',
        "projects[HIS-2026].baseline",
        id="baseline",
    ),
    pytest.param(
        "UPDATE projects SET workflow = 'lenient'", "projects[HIS-2026].workflow", id="workflow"
    ),
    pytest.param(
        "UPDATE documents SET status = 'issued'", "documents[SP-1 1].status", id="document-status"
    ),
    pytest.param(
        f"UPDATE documents SET signed_pdf_sha256 = '{SHA}'",
        "documents[SP-1 1].signed_pdf_sha256",
        id="signed-file",
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
        "UPDATE change_requests SET status = 'effective'",
        "change_requests[CR-1].status",
        id="change-status",
    ),
    pytest.param(
        "UPDATE change_requests SET body = '{\"adds\":[]}'",
        "change_requests[CR-1].body",
        id="change-body",
    ),
    pytest.param(
        "UPDATE counters SET value = 7 WHERE name = 'CR'", "counters[CR].value", id="counter"
    ),
    pytest.param(
        "DELETE FROM counters WHERE name = 'doc:SP'", "counters[doc:SP]", id="counter-gone"
    ),
]


@pytest.mark.parametrize(("sql", "path"), EDITS)
def test_an_edited_row_is_named_and_blocks_every_write(
    store: Store, project: ProjectRow, raw_sql: Callable[..., None], sql: str, path: str
) -> None:
    _history(store)
    raw_sql(sql)
    assert store.verify_chain("HIS-2026") == []  # the chain itself is intact
    problems = store.verify_rows("HIS-2026")
    assert [p.path for p in problems] == [path]
    assert problems[0].kind == "table_mismatch"
    before = store.get_project("HIS-2026")
    assert before is not None
    with pytest.raises(IntegrityFailure, match="does not match its event chain") as caught:
        store.check_rows("HIS-2026")
    assert caught.value.problems[0].path == path
    refused = pytest.raises(IntegrityFailure, match="does not match its event chain")
    with refused, store.write("HIS-2026", before.version) as tx:
        tx.append_event("step", "pm", {})
    assert store.get_project("HIS-2026") == before
    assert len(store.events("HIS-2026")) == before.head_seq


def _rewrite_event(store: Store, raw_sql: Callable[..., None], seq: int, data: dict) -> None:
    """Replace one event's data and recompute its hash and every later one (a full rewrite)."""
    events = store.events("HIS-2026")
    prev = events[seq - 2].hash
    statements = []
    for event in events[seq - 1 :]:
        body = data if event.seq == seq else event.data
        digest = event_hash(event.seq, event.at, event.actor, event.type, body, prev)
        text = canonical_json(body)
        quoted = text.replace("'", "''")
        statements.append(
            f"UPDATE events SET data = '{quoted}', "
            f"data_sha256 = '{sha256_hex(text)}', prev_hash = '{prev}', hash = '{digest}' "
            f"WHERE seq = {event.seq}"
        )
        prev = digest
    statements.append(f"UPDATE projects SET head_hash = '{prev}'")
    raw_sql(*statements)


def test_a_forged_record_that_does_not_replay_is_named_by_its_event(
    store: Store, project: ProjectRow, raw_sql: Callable[..., None]
) -> None:
    _history(store)
    # The head event claims the change request is still open, without a recorded change.
    head = store.events("HIS-2026")[-1]
    data = dict(head.data)
    data[RECORD] = {**data[RECORD], "effects": []}
    _rewrite_event(store, raw_sql, head.seq, data)
    assert store.verify_chain("HIS-2026") == []
    problems = store.verify_rows("HIS-2026")
    assert problems[0].kind == "event_chain"
    assert problems[0].path == f"events[seq={head.seq}]"
    # The write check trusts the head's digest, which still matches the rows: verify's job.
    store.check_rows("HIS-2026")


def test_an_event_without_a_record_after_recorded_ones_is_named(
    store: Store, project: ProjectRow, raw_sql: Callable[..., None]
) -> None:
    _history(store)
    events = store.events("HIS-2026")
    middle = events[2]
    stripped = {k: v for k, v in middle.data.items() if k != RECORD}
    _rewrite_event(store, raw_sql, middle.seq, stripped)
    problems = store.verify_rows("HIS-2026")
    assert any(
        p.path == f"events[seq={middle.seq}]" and "records no row changes" in p.message
        for p in problems
    )
