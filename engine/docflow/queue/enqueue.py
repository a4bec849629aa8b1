"""Queueing jobs: one re-rendering job per project, and any kind of job inside a write
transaction of the store (so the job exists exactly when the state change it follows does).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.errors import UsageError
from docflow.runtime.result import Result

if TYPE_CHECKING:
    import procrastinate

    from docflow.store.base import WriteTx

__all__ = ["QueueReport", "QueuedJob", "defer_in", "enqueue_renders"]


@dataclass(frozen=True)
class QueuedJob(Result):
    """One job queued: its id in the queue and the project it is about."""

    id: int
    code: str


@dataclass(frozen=True)
class QueueReport(Result):
    """What ``projects render --queue`` queued, and which projects were already waiting."""

    store: str
    filter: str | None
    task: str
    queued: tuple[QueuedJob, ...]
    already_queued: tuple[str, ...]


def _defer(app: procrastinate.App, connection: Any, name: str, args: dict[str, Any]) -> int:
    """Queue one job of kind ``name`` on ``connection`` (a psycopg connection in the caller's
    transaction); procrastinate's AlreadyEnqueued when one waits for the same key."""
    from docflow.queue.registry import task_def

    definition = task_def(name)
    configured = app.tasks[name].configure(
        lock=definition.lock(args),
        queueing_lock=definition.queueing_lock(args),
        connection=connection,
    )
    return int(configured.defer(**args))


def defer_in(tx: WriteTx, name: str, **args: Any) -> int:
    """Queue a job of kind ``name`` inside the store write transaction ``tx``: the job is
    queued if and only if the transaction commits. Returns the job's id.

    Only a PostgreSQL store has a queue: on SQLite this is a UsageError, and the caller does
    the work in its own process instead.
    """
    from procrastinate.exceptions import AlreadyEnqueued

    from docflow.queue.app import build_app

    executor = getattr(tx, "_ex", None)  # the transaction's executor (store.tx.SqlWriteTx)
    connection = getattr(executor, "connection", None)
    if connection is None or connection.dialect.name != "postgresql":
        raise UsageError(f"a {name} job can only be queued on a PostgreSQL store")
    app = build_app(_url_of(connection))
    raw = connection.connection.driver_connection
    # A savepoint keeps a refused job (already queued) from aborting the caller's writes.
    try:
        with connection.begin_nested():
            return _defer(app, raw, name, args)
    except AlreadyEnqueued as exc:
        raise UsageError(f"a {name} job for {args} is already queued") from exc


def _url_of(connection: Any) -> str:
    return str(connection.engine.url.render_as_string(hide_password=False))


def enqueue_renders(
    store_url: str | None,
    directory: Path | None,
    *,
    text: str | None = None,
    actor: str | None = None,
) -> QueueReport:
    """Queue one ``render_project`` job for each project whose code, name or state contains
    ``text``, all in one transaction; a project whose job still waits is left as it is.

    One job per project, not per document: a project's new versions are recorded in one
    transaction on the project's lock, so per-document jobs of one project would only wait
    for each other; and a project is what a letterhead or data change touches.
    """
    from procrastinate.exceptions import AlreadyEnqueued

    from docflow.app.batch import matching_projects
    from docflow.queue.app import build_app, open_queue_store
    from docflow.runtime.session import default_actor
    from docflow.store.urls import display_url

    store = open_queue_store(store_url, directory)
    queued: list[QueuedJob] = []
    waiting: list[str] = []
    who = actor or default_actor()
    try:
        projects = matching_projects(store, text)
        app = build_app(store.url)
        with store.connection() as conn:
            raw = conn.connection.driver_connection
            for code, workspace in projects:
                args = {"code": code, "workspace": workspace, "actor": who}
                try:
                    with conn.begin_nested():
                        queued.append(QueuedJob(_defer(app, raw, "render_project", args), code))
                except AlreadyEnqueued:
                    waiting.append(code)
    finally:
        store.close()
    shown = display_url(store.url)
    return QueueReport(shown, text, "render_project", tuple(queued), tuple(waiting))
