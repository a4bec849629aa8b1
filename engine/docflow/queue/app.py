"""procrastinate, set up for a docflow store: the store that holds the queue, the App with
every kind of job registered, and what a job records when it ends.

Only the queue's code paths import this module (``docflow worker``, ``docflow jobs``,
``projects render --queue``): it loads procrastinate, psycopg and SQLAlchemy.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import procrastinate
from sqlalchemy import text
from sqlalchemy.engine import make_url

from docflow.errors import DocflowError, EnvironmentProblem, UsageError
from docflow.queue.registry import TASKS, JobInfo, TaskDef
from docflow.store.base import Store
from docflow.store.revisions import HEAD, QUEUE_HEAD
from docflow.store.sql import SqlStore
from docflow.store.urls import display_url, now

__all__ = ["build_app", "conninfo", "open_queue_store", "record_outcome"]

log = logging.getLogger("docflow.queue")


def open_queue_store(store_url: str | None, directory: Path | None) -> SqlStore:
    """The PostgreSQL store that holds the queue, at the newest schema revision.

    An SQLite store is a usage error (it renders in the command's own processes); a store
    without the queue's schema names the command that creates it. Nothing is created here.
    """
    from docflow.runtime.workspace import Workspace
    from docflow.store import open_store

    if store_url:
        store: Store = open_store(store_url, None)
    else:
        try:
            root = Workspace.find(directory).root
        except UsageError as exc:
            raise UsageError(
                "the job queue needs a shared PostgreSQL store: name it with --store URL or "
                "DOCFLOW_DATABASE_URL"
            ) from exc
        store = open_store(None, root)
    if not isinstance(store, SqlStore) or not store.url.startswith("postgres"):
        url = store.url
        store.close()
        raise UsageError(
            f"the job queue needs a shared PostgreSQL store, and {display_url(url)} is not "
            "one: name it with --store URL or DOCFLOW_DATABASE_URL (on SQLite, "
            "`docflow projects render` renders in this machine's own processes)"
        )
    problem = _schema_problem(store)
    if problem is not None:
        store.close()
        raise EnvironmentProblem(
            f"the store {display_url(store.url)} {problem}: run `docflow db upgrade` (or "
            "`docflow init` on a new store)"
        )
    return store


def _schema_problem(store: SqlStore) -> str | None:
    revision = store.revision()
    if revision is None:
        return "has no schema"
    if revision != HEAD:
        return f"is at schema revision {revision}, not {HEAD}"
    queue = store.queue_revision()
    if queue != QUEUE_HEAD:
        return f"has no job queue yet (queue schema {queue or 'none'}, not {QUEUE_HEAD})"
    return None


def conninfo(url: str) -> str:
    """The libpq connection string of a docflow PostgreSQL URL (its driver name dropped)."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def build_app(
    store_url: str, outcomes: SqlStore | None = None, tasks: Iterable[TaskDef] | None = None
) -> procrastinate.App:
    """A procrastinate App on the database at ``store_url`` with every kind of job
    registered; when a worker runs them, jobs record how they ended through ``outcomes``."""
    connector = procrastinate.PsycopgConnector(conninfo=conninfo(store_url), min_size=1)
    app = procrastinate.App(connector=connector)
    for definition in tasks if tasks is not None else TASKS.values():
        retry = procrastinate.RetryStrategy(
            max_attempts=definition.retry.attempts,
            wait=definition.retry.wait_s,
            linear_wait=definition.retry.linear_wait_s,
            retry_exceptions=set(definition.retry.transient),
        )
        app.task(name=definition.name, queue=definition.queue, retry=retry, pass_context=True)(
            _runner(definition, store_url, outcomes)
        )
    return app


def _target(definition: TaskDef) -> Callable[..., Mapping[str, Any]]:
    module, _, name = definition.target.partition(":")
    function = getattr(importlib.import_module(module), name)
    assert callable(function)
    return function  # type: ignore[no-any-return]


def _runner(definition: TaskDef, store_url: str, outcomes: SqlStore | None) -> Callable[..., Any]:
    """The function procrastinate calls: run the kind's target, record how it ended."""

    def run(context: Any, **args: Any) -> dict[str, Any]:
        job = context.job
        info = JobInfo(int(job.id), int(job.attempts), store_url)
        key = definition.key_of(args)
        attempt = job.attempts + 1
        log.info("job %s: %s %s (attempt %s) started", job.id, definition.name, key, attempt)
        try:
            summary = dict(_target(definition)(info, **args))
        except DocflowError as exc:
            record_outcome(outcomes, info, definition, key, None, exc.message)
            log.info("job %s: %s %s failed: %s", job.id, definition.name, key, exc.message)
            raise
        except Exception as exc:
            message = f"internal error: {type(exc).__name__}: {exc}"
            record_outcome(outcomes, info, definition, key, None, message)
            log.exception("job %s: %s %s failed", job.id, definition.name, key)
            raise
        record_outcome(outcomes, info, definition, key, summary, None)
        log.info("job %s: %s %s done: %s", job.id, definition.name, key, _brief(summary))
        return summary

    run.__name__ = run.__qualname__ = definition.name
    return run


def _brief(summary: Mapping[str, Any]) -> str:
    return ", ".join(
        f"{len(v)} {k}" if isinstance(v, list | tuple) else f"{k} {v}" for k, v in summary.items()
    )


_UPSERT = """
INSERT INTO job_outcomes (job_id, task, key, ok, summary, error, attempts, at)
VALUES (:job_id, :task, :key, :ok, CAST(:summary AS JSON), :error, :attempts, :at)
ON CONFLICT (job_id) DO UPDATE SET ok = EXCLUDED.ok, summary = EXCLUDED.summary,
    error = EXCLUDED.error, attempts = EXCLUDED.attempts, at = EXCLUDED.at
"""


def record_outcome(
    store: SqlStore | None,
    job: JobInfo,
    definition: TaskDef,
    key: str,
    summary: Mapping[str, Any] | None,
    error: str | None,
) -> None:
    """Record what a job did (``summary``) or why it failed (``error``), for `docflow jobs`."""
    import json

    if store is None:
        return
    try:
        with store.connection() as conn:
            conn.execute(
                text(_UPSERT),
                {
                    "job_id": job.id,
                    "task": definition.name,
                    "key": key,
                    "ok": error is None,
                    "summary": json.dumps(summary or {}, ensure_ascii=False, sort_keys=True),
                    "error": error,
                    "attempts": job.attempts + 1,
                    "at": now(),
                },
            )
    except DocflowError as exc:
        # The job's own result stands; only `docflow jobs` loses its line.
        log.warning("job %s: its outcome could not be recorded: %s", job.id, exc.message)
