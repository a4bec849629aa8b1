"""An SQLite store is written with the standard library: once the schema exists, no write
imports SQLAlchemy or Alembic, and a write connection is set up as the engine's were."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from docflow.store import open_store

HEAVY = ("sqlalchemy", "alembic")

# Every write of the store, in a fresh interpreter; prints the modules it loaded.
PROBE = """
import json, sys
from decimal import Decimal
from docflow.store import ChangeRow, DocumentRow, SignatureRow, open_store

store = open_store(sys.argv[1], None)
store.ensure_schema()
store.create_project(code="HIS-2026", name="医院信息系统", workflow="implementation",
    locale="zh-CN", state="contract.drafting", workspace="/srv/his", actor="pm",
    data={"amount": Decimal("1200500.00")})
with store.write("HIS-2026", 1) as tx:
    number = tx.next_number("doc:SP")
    blob = tx.put_blob(b"%PDF-1.7 survey plan")
    tx.add_document(DocumentRow(doc_id=f"SP-{number}", version=1, code="SP",
        template="survey_plan", title="需求调研计划", status="issued", annex=None,
        issued_on="2026-11-24", docx_sha256=blob, pdf_sha256=blob, data_sha256=blob,
        signed_pdf_sha256=None, event_seq=2, files={"pdf": "documents/SP-1-v1.pdf"}))
    tx.add_signature(SignatureRow(doc_id="SP-1", version=1, party="client", signer="张三",
        signed_on="2026-11-25", method="recorded", file_sha256=None, file_name=None,
        certificate=None, trust=None, actor="pm", at="2026-11-25T09:00:00.000+00:00"))
    tx.add_change(ChangeRow(cr_id="CR-1", number=1, title="LIS", reason="client",
        status="open", body={"adds": []}, annex=None, doc_id=None, requested_by="pm",
        requested_at="2026-12-01T08:00:00.000+00:00", decided_by=None, decided_at=None,
        decision_reason=None))
    tx.set_state("survey.planned")
    tx.set_baseline([{"id": "R-1"}])
    tx.append_event("step", "pm", {"documents": ["SP-1"]})
with store.write("HIS-2026", 2) as tx:
    tx.set_document_status("SP-1", 1, "signed")
    tx.set_signed_file("SP-1", 1, blob)
    tx.update_change("CR-1", status="approved", decided_by="client")
    tx.append_event("signed", "pm", {})
assert store.verify_chain("HIS-2026") == []
store.close()
print(json.dumps(sorted(sys.modules)))
"""


def test_writes_on_an_sqlite_store_do_not_import_sqlalchemy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'docflow.db'}"
    store = open_store(url, None)
    try:
        store.ensure_schema(create=True)  # creating the schema is Alembic's job, here
    finally:
        store.close()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, url], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    loaded = [m for m in json.loads(proc.stdout) if m.split(".")[0] in HEAVY]
    assert loaded == []
    written = open_store(url, None)
    try:
        project = written.get_project("HIS-2026")
        assert project is not None
        assert (project.version, project.head_seq, project.state) == (3, 3, "survey.planned")
        assert [c.status for c in written.changes("HIS-2026")] == ["approved"]
    finally:
        written.close()


def test_a_write_connection_is_set_up_like_the_engines(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'docflow.db'}", None)
    try:
        store.ensure_schema(create=True)
        store.create_project(
            code="P",
            name="p",
            workflow="implementation",
            locale="en",
            state="s",
            workspace=str(tmp_path),
            actor="pm",
            data={},
        )
        with store.write("P", 1) as tx:
            ex = getattr(tx, "_ex")  # noqa: B009 (the transaction's executor)
            settings = {
                name: next(iter(ex.run(f"PRAGMA {name}", {})[0].values()))
                for name in ("busy_timeout", "foreign_keys", "journal_mode", "synchronous")
            }
    finally:
        store.close()
    # synchronous 1 is NORMAL.
    assert settings == {
        "busy_timeout": 10_000,
        "foreign_keys": 1,
        "journal_mode": "wal",
        "synchronous": 1,
    }
