"""The queue's schema comes with the store's revisions: `docflow db upgrade` (or init on a new
store) creates it, the queue commands never do, and a job queued inside a write transaction
exists exactly when that transaction commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Run = Any


def _tables(url: str) -> set[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _upgrade_to(url: str, revision: str) -> None:
    """Bring an empty store to a revision of the store's own schema, as a docflow without
    the job queue left it."""
    import sqlalchemy as sa
    from alembic import command

    from docflow.store.migrate import alembic_config

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_queue_commands_create_no_schema(pg_url: str, docflow: Callable[..., Run]) -> None:
    """On a store without schema, or at the revision before the queue, the queue commands say
    which command upgrades it and create nothing."""
    result = docflow("--store", pg_url, "jobs")
    assert result.code == 1, result.err
    assert "has no schema" in result.err and "docflow db upgrade" in result.err
    assert _tables(pg_url) == set()

    _upgrade_to(pg_url, "head")
    before = _tables(pg_url)
    for args in (["worker"], ["projects", "render", "--queue"]):
        result = docflow("--store", pg_url, *args)
        assert result.code == 1, result.err
        assert "has no job queue yet" in result.err
        assert "docflow db upgrade" in result.err
    assert _tables(pg_url) == before


@pytest.mark.postgres
def test_db_upgrade_adds_the_queue(pg_url: str, docflow: Callable[..., Run]) -> None:
    """`db upgrade` of a store made before the queue creates procrastinate's schema and the
    outcomes table under their own revision; `jobs --json` then reports an empty queue with
    every key. An SQLite store has no queue and its revision does not change."""
    from docflow.store.revisions import HEAD, QUEUE_HEAD

    _upgrade_to(pg_url, "head")

    upgraded = docflow("--store", pg_url, "db", "upgrade", "--json")

    assert upgraded.code == 0, upgraded.err
    assert upgraded.json()["revision"] == HEAD
    tables = _tables(pg_url)
    assert {"procrastinate_jobs", "procrastinate_workers", "job_outcomes"} <= tables
    assert "queue_alembic_version" in tables
    assert _versions(pg_url) == (HEAD, QUEUE_HEAD)
    # procrastinate's SQL went in as written (its "%" placeholders in error messages too).
    assert "(job id: %)" in _function_source(pg_url, "procrastinate_retry_job_v2")
    jobs = docflow("--store", pg_url, "jobs", "--json")
    assert jobs.code == 0, jobs.err
    report = jobs.json()
    assert set(report) == {"store", "total", "counts", "workers", "failed"}
    assert report["counts"] == {
        "queued": 0,
        "doing": 0,
        "succeeded": 0,
        "failed": 0,
        "cancelled": 0,
    }
    assert report["total"] == 0 and report["failed"] == []


def _versions(url: str) -> tuple[str, str]:
    import psycopg

    with psycopg.connect(url) as conn:
        main = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        queue = conn.execute("SELECT version_num FROM queue_alembic_version").fetchone()
    assert main is not None and queue is not None
    return str(main[0]), str(queue[0])


def _function_source(url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", (name,)).fetchone()
    assert row is not None
    return str(row[0])


def test_queue_revisions_match_the_scripts() -> None:
    """The queue's revision list equals its migrations folder."""
    from docflow.store.migrate import QUEUE_MIGRATIONS, script_revisions
    from docflow.store.revisions import QUEUE_REVISIONS

    assert list(QUEUE_REVISIONS) == script_revisions(QUEUE_MIGRATIONS)


def _queued(url: str) -> list[tuple[str, str, str]]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT task_name, lock, queueing_lock FROM procrastinate_jobs ORDER BY id"
        ).fetchall()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


@pytest.mark.postgres
def test_defer_in_queues_with_the_transaction(pg_url: str) -> None:
    """A job queued inside a store write transaction is rolled back with it, committed with
    it, and refused (without spoiling the transaction) while the same one waits."""
    from docflow.errors import UsageError
    from docflow.queue import defer_in
    from docflow.store import open_store

    store = open_store(pg_url, None)
    store.ensure_schema(create=True)
    try:
        store.create_project(
            code="P-1",
            name="p",
            workflow="implementation",
            locale="zh-CN",
            state="contract.drafting",
            workspace="/srv/p1",
            actor="tester",
            data={},
        )
        args = {"code": "P-1", "workspace": "/srv/p1", "actor": "tester"}
        with pytest.raises(RuntimeError), store.write("P-1", None) as tx:
            tx.set_state("contract.signed")
            defer_in(tx, "render_project", **args)
            raise RuntimeError("the command fails after queueing")
        assert _queued(pg_url) == []

        with store.write("P-1", None) as tx:
            tx.set_state("contract.signed")
            defer_in(tx, "render_project", **args)
            with pytest.raises(UsageError, match="already queued"):
                defer_in(tx, "render_project", **args)
            tx.append_event("step", "tester", {"trigger": "sign_contract"})
        assert _queued(pg_url) == [("render_project", "project:P-1", "render_project:P-1")]
        project = store.get_project("P-1")
        assert project is not None and project.state == "contract.signed"
    finally:
        store.close()
