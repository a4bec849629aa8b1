"""SqliteStore: an SQLite file read and written with the standard library's ``sqlite3``.

Reads and writes run the same SQL as on PostgreSQL (``queries``, :class:`StoreWrites`), so
no command imports SQLAlchemy once the schema exists: only creating or upgrading it opens
the SQLAlchemy engine (:class:`~docflow.store.sql.SqlStore`) and Alembic on the same file.
Each read and each write transaction opens its own connection, so a forked worker never
shares one. A write connection is set up as the engine's were (busy timeout 10 s, foreign
keys on, WAL, synchronous NORMAL) and takes the write lock with ``BEGIN IMMEDIATE`` before
the version check.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.errors import EnvironmentProblem
from docflow.store import queries as q
from docflow.store.reads import StoreReads
from docflow.store.writes import StoreWrites, busy, conflict, failed

if TYPE_CHECKING:
    from docflow.store.sql import SqlStore

__all__ = ["SqliteStore"]

_BUSY_TIMEOUT_S = 10
# What store/engine.py's connect hook sets on the engine's SQLite connections.
_WRITE_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
)


class SqliteStore(StoreReads, StoreWrites):
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

    def _schema_writer(self) -> SqlStore:
        if self._sql is None:
            from docflow.store.engine import make_engine
            from docflow.store.sql import SqlStore

            self._sql = SqlStore(self.url, make_engine(self.url))
        return self._sql

    # -- reads ----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # isolation_level None: sqlite3 issues no BEGIN of its own; docflow does.
        conn = sqlite3.connect(
            self._path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_S * 1000}")
        return conn

    def _rows(self, *queries: q.Query) -> list[list[Mapping[str, Any]]]:
        try:
            with closing(self._connect()) as conn:
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
        """Upgrade the schema to the newest revision and return that revision (Alembic)."""
        return self._schema_writer().upgrade()

    @contextmanager
    def _transaction(self) -> Iterator[_SqliteExecutor]:
        """One write transaction holding the write lock from its first statement."""
        try:
            with closing(self._connect()) as conn:
                for pragma in _WRITE_PRAGMAS:
                    conn.execute(pragma)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield _SqliteExecutor(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    # A failed COMMIT may have ended the transaction already.
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
        except sqlite3.IntegrityError as exc:
            raise conflict(self.url, str(exc)) from exc
        except sqlite3.Error as exc:
            if "database is locked" in str(exc):
                raise busy(self.url) from exc
            raise failed(self.url, str(exc)) from exc

    def close(self) -> None:
        """Release every connection."""
        if self._sql is not None:
            self._sql.close()


class _SqliteExecutor:
    """Executor on one ``sqlite3`` connection inside its write transaction."""

    for_update = ""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def run(self, sql: str, params: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """Run one statement; its rows as dicts, or [] when it returns none."""
        cursor = self._conn.execute(sql, params)
        return list(_mappings(cursor)) if cursor.description else []

    def json(self, name: str) -> str:
        """JSON columns hold the JSON text as it is."""
        return f":{name}"


def _mappings(cursor: sqlite3.Cursor) -> Iterator[Mapping[str, Any]]:
    names = [column[0] for column in cursor.description or ()]
    for row in cursor:
        yield dict(zip(names, row, strict=True))
