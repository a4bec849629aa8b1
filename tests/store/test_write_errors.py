"""What a write stores and how its failures read, on both backends: JSON columns hold canonical
JSON text, a violated constraint is a Conflict, a held lock is ProjectChanged, any other
database error is an EnvironmentProblem, and none of them records anything."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from store_rows import change_row, document_row, signature_row

from docflow.errors import Conflict, EnvironmentProblem, ProjectChanged
from docflow.store import ChangeRow, DocumentRow, ProjectRow, Store, open_store
from docflow.store.chain import canonical_json


def _select(url: str, sql: str) -> list[tuple[Any, ...]]:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def _document() -> DocumentRow:
    # Keys out of order: the store must write them canonically.
    return document_row(files={"pdf": "documents/SP-1-v1.pdf", "docx": "documents/SP-1-v1.docx"})


def _change() -> ChangeRow:
    body = {"cost": Decimal("5000.00"), "adds": [{"title": "LIS 接口", "id": "R-30"}]}
    return change_row(body=body)


def test_json_columns_hold_canonical_json_text(
    store: Store, project: ProjectRow, backend: str
) -> None:
    baseline = [{"title": "挂号", "id": "R-1", "hours": Decimal("1.50")}]
    with store.write(project.code, 1) as tx:
        tx.add_document(_document())
        tx.add_change(_change())
        tx.set_baseline(baseline)
        event = tx.append_event("step", "pm", {"to": "b", "from": "a", "n": [1, 2.5, None]})
    typed = "typeof({0}), {0}" if backend == "sqlite" else "pg_typeof({0})::text, {0}::text"
    kind = "text" if backend == "sqlite" else "json"
    queries = {
        "baseline": ("projects", baseline),
        "data": ("events WHERE seq = 2", event.data),
        "files": ("documents", _document().files),
        "body": ("change_requests", _change().body),
    }
    for column, (table, value) in queries.items():
        ((stored_kind, text),) = _select(store.url, f"SELECT {typed.format(column)} FROM {table}")
        assert (stored_kind, text) == (kind, canonical_json(value)), column
    assert '"hours":"1.50"' in canonical_json(baseline)  # money stays an exact string
    assert store.verify_chain(project.code) == []


def test_no_baseline_is_sql_null(store: Store, project: ProjectRow) -> None:
    with store.write(project.code, 1) as tx:
        tx.set_state("contract.signed")
        tx.append_event("step", "pm", {})
    assert _select(store.url, "SELECT baseline IS NULL FROM projects") == [(True,)]


def test_a_violated_constraint_is_a_conflict_and_records_nothing(
    store: Store, project: ProjectRow
) -> None:
    signature = signature_row(doc_id="SP-9")  # no such document: the foreign key refuses it
    message = r"(?s)conflicts with this one \(.+\); run it again"
    with pytest.raises(Conflict, match=message), store.write(project.code, 1) as tx:
        tx.append_event("attempt", "pm", {})
        tx.add_signature(signature)
    assert store.get_project(project.code) == project
    assert store.signatures(project.code) == []


def test_any_other_database_error_is_an_environment_problem(
    store: Store, project: ProjectRow, raw_sql: Callable[..., None]
) -> None:
    raw_sql("DROP TABLE counters")
    message = r"(?s)writing to the store .+ failed: .*counters.*; nothing was recorded"
    with pytest.raises(EnvironmentProblem, match=message), store.write(project.code, 1) as tx:
        tx.append_event("attempt", "pm", {})
        tx.next_number("CR")
    assert store.get_project(project.code) == project
    assert len(store.events(project.code)) == 1


@pytest.fixture
def impatient_store(store: Store, backend: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The same store, opened to give up on a held lock at once (SQLite) or after 0.1 s."""
    if backend == "sqlite":
        monkeypatch.setattr("docflow.store.sqlite._BUSY_TIMEOUT_S", 0)
        yield store
        return
    other = open_store(store.url + quote(" -clock_timeout=100"), None)
    try:
        yield other
    finally:
        other.close()


def _hold_lock(url: str, backend: str) -> Any:
    """Take the project's write lock on another connection (roll back and close it after)."""
    if backend == "sqlite":
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return conn
    import psycopg

    pg = psycopg.connect(url, autocommit=False)
    pg.execute("SELECT 1 FROM projects WHERE code = 'HIS-2026' FOR UPDATE")
    return pg


def test_a_lock_held_too_long_is_project_changed(
    store: Store, project: ProjectRow, backend: str, impatient_store: Store
) -> None:
    holder = _hold_lock(store.url, backend)
    busy = pytest.raises(ProjectChanged, match="was busy with another command; run it again")
    try:
        with busy, impatient_store.write(project.code, 1) as tx:
            tx.append_event("attempt", "pm", {})
    finally:
        holder.rollback()
        holder.close()
    assert store.get_project(project.code) == project
    with impatient_store.write(project.code, 1) as tx:
        tx.append_event("again", "pm", {})
    assert store.verify_chain(project.code) == []
