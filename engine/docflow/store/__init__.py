"""The store: docflow's system of record (projects, events, documents, signatures, changes).

Importing this package is cheap: it names the row types and protocols only. An SQLite store
is read and written with the standard library; SQLAlchemy loads for PostgreSQL, and on SQLite
(with Alembic) only when a schema is created or upgraded.
"""

from __future__ import annotations

from pathlib import Path

from docflow.store.base import (
    ChangeRow,
    DocumentRow,
    EventRow,
    ProjectRow,
    SignatureRow,
    Store,
    WriteTx,
)

__all__ = [
    "ChangeRow",
    "DocumentRow",
    "EventRow",
    "ProjectRow",
    "SignatureRow",
    "Store",
    "WriteTx",
    "open_store",
]


def open_store(url: str | None, workspace: Path | None) -> Store:
    """Open the store of `workspace`, or the store at `url` when no workspace is named.

    A workspace's store is the one its ``.docflow/store.json`` records (``binding``); a `url`
    naming another store is a UsageError. A workspace without that file uses `url`, else its
    own SQLite file. ``sqlite:///PATH`` and ``postgresql://...`` (psycopg 3) are accepted; a
    bad URL or an unreachable server raises EnvironmentProblem. Call ``ensure_schema()``
    before use (``create=True`` only to register a new project).
    """
    from docflow.errors import UsageError
    from docflow.store.urls import sqlite_file

    if workspace is not None:
        from docflow.store.binding import resolve_url

        url = resolve_url(workspace, url)
    elif url is None:
        raise UsageError("no store given: name a store URL or a workspace")
    path = sqlite_file(url)
    if path is not None:
        from docflow.store.sqlite import SqliteStore

        return SqliteStore(url, path)
    from docflow.store.engine import make_engine
    from docflow.store.sql import SqlStore

    return SqlStore(url, make_engine(url))
