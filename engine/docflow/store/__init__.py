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
    """Open the store at `url`, or the workspace's own SQLite store when `url` is None.

    ``sqlite:///PATH`` and ``postgresql://...`` (psycopg 3) are accepted. A bad URL or an
    unreachable server raises EnvironmentProblem. Call ``ensure_schema()`` before use.
    """
    from docflow.errors import UsageError
    from docflow.store.urls import default_url, sqlite_file

    if url is None:
        if workspace is None:
            raise UsageError("no store given: name a store URL or a workspace")
        url = default_url(workspace)
    path = sqlite_file(url)
    if path is not None:
        from docflow.store.sqlite import SqliteStore

        return SqliteStore(url, path)
    from docflow.store.engine import make_engine
    from docflow.store.sql import SqlStore

    return SqlStore(url, make_engine(url))
