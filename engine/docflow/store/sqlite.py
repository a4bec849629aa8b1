"""SqliteStore: an SQLite file read with the standard library, written through SqlStore.

Commands that only read (``status``, ``log``, ``docs``, ``projects``...) run their queries on
``sqlite3`` directly, so they never import SQLAlchemy. The first write, schema creation or
upgrade opens the SQLAlchemy engine (:class:`~docflow.store.sql.SqlStore`) on the same file;
its write transactions lock and version-check exactly as on PostgreSQL. Each read opens its
own connection, like the engine's NullPool, so a forked worker never shares one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.errors import EnvironmentProblem
from docflow.store import queries as q
from docflow.store.base import ProjectRow, WriteTx
from docflow.store.reads import StoreReads

if TYPE_CHECKING:
    from docflow.store.sql import SqlStore

__all__ = ["SqliteStore"]

_BUSY_TIMEOUT_S = 10


class SqliteStore(StoreReads):
    """A store in one SQLite file."""

    def __init__(self, url: str, path: Path) -> None:
        if not path.parent.is_dir():
            raise EnvironmentProblem(
                f"the store {url} cannot be opened: folder {path.parent} does not exist"
            )
        self.url = url
        self._path = path
        self._sql: SqlStore | None = None

    def __repr__(self) -> str:
        return f"SqliteStore({self.url!r})"

    def _writer(self) -> SqlStore:
        if self._sql is None:
            from docflow.store.engine import make_engine
            from docflow.store.sql import SqlStore

            self._sql = SqlStore(self.url, make_engine(self.url))
        return self._sql

    # -- reads ----------------------------------------------------------------------------

    def _rows(self, *queries: q.Query) -> list[list[Mapping[str, Any]]]:
        try:
            conn = sqlite3.connect(
                self._path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            with closing(conn):
                conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_S * 1000}")
                if len(queries) > 1:
                    conn.execute("BEGIN")
                results = [
                    list(_mappings(conn.execute(query.sql, query.params))) for query in queries
                ]
                if len(queries) > 1:
                    conn.execute("COMMIT")
                return results
        except sqlite3.Error as exc:
            raise EnvironmentProblem(f"reading the store {self.url} failed: {exc}") from exc

    def _revision(self) -> str | None:
        table = q.Query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'", {}
        )
        if not self._rows(table)[0]:
            return None
        rows = self._rows(q.Query("SELECT version_num FROM alembic_version", {}))[0]
        return self._single_revision([str(r["version_num"]) for r in rows])

    # -- writes ---------------------------------------------------------------------------

    def upgrade(self) -> str:
        """Upgrade the schema to the newest revision and return that revision."""
        return self._writer().upgrade()

    def create_project(self, **fields: Any) -> ProjectRow:
        """Register a new project (see :meth:`SqlStore.create_project`)."""
        return self._writer().create_project(**fields)

    def write(self, code: str, expected_version: int | None) -> AbstractContextManager[WriteTx]:
        """Lock the project, check its version, and yield one transaction's writes."""
        return self._writer().write(code, expected_version)

    def close(self) -> None:
        """Release every connection."""
        if self._sql is not None:
            self._sql.close()


def _mappings(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    names = [column[0] for column in cursor.description or ()]
    for row in cursor:
        yield dict(zip(names, row, strict=True))
