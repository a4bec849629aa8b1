"""SqliteStore: an SQLite file read and written with the standard library's ``sqlite3``.

Reads and writes run the same SQL as on PostgreSQL (``queries``, :class:`StoreWrites`), so
no command imports SQLAlchemy once the schema exists: only creating or upgrading it opens
the SQLAlchemy engine (:class:`~docflow.store.sql.SqlStore`) and Alembic on the same file.
Each read and each write transaction opens its own connection, so a forked worker never
shares one. A write connection is set up as the engine's were (busy timeout 10 s, foreign
keys on, WAL, synchronous NORMAL) and takes the write lock with ``BEGIN IMMEDIATE`` before
the version check.

The file is only ever created by Alembic, for ``init`` or ``db upgrade`` (``ensure_schema(create=
True)``, ``upgrade``), and only where nothing is lost: no file yet, an empty file, or an SQLite
database with no table. Every other connection opens the file read-write without creating it.
A file that is not an SQLite database, or whose pages SQLite finds corrupt, is *damaged*: an
IntegrityFailure (exit 6) of kind ``store_damaged``, and it is left as it is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from docflow.errors import DocflowError, EnvironmentProblem, IntegrityFailure, Problem
from docflow.store import queries as q
from docflow.store.reads import StoreReads
from docflow.store.writes import StoreWrites, busy, conflict, failed

if TYPE_CHECKING:
    from docflow.store.sql import SqlStore

__all__ = ["SqliteStore"]

_BUSY_TIMEOUT_S = 10
_HEADER = b"SQLite format 3\x00"
# What SQLite says when the file is not a database or its pages do not hold together.
_DAMAGE_CODES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_DAMAGE_TEXT = ("malformed", "not a database")
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
        # mode=rw: opening never creates the file (only Alembic does, for init and upgrade).
        conn = sqlite3.connect(
            f"file:{quote(str(self._path))}?mode=rw",
            uri=True,
            timeout=_BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
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
            if _is_damage(exc):
                raise self.damaged(str(exc)) from exc
            raise EnvironmentProblem(f"reading the store {self.url} failed: {exc}") from exc

    # -- the file -------------------------------------------------------------------------

    def damaged(self, detail: str) -> IntegrityFailure:
        """The error for a store file that is damaged (`detail` says how)."""
        message = f"the store {self.url} is damaged: {detail}"
        problem = Problem(message=message, file=str(self._path), kind="store_damaged")
        return IntegrityFailure(f"{message}; it was left as it is", [problem])

    def _file_state(self) -> str:
        """ "missing", "empty" or "sqlite"; a file that is no SQLite database is damaged."""
        try:
            with open(self._path, "rb") as fh:
                header = fh.read(len(_HEADER))
        except FileNotFoundError:
            return "missing"
        except OSError as exc:
            raise EnvironmentProblem(f"the store {self.url} cannot be read: {exc}") from exc
        if not header:
            return "empty"
        if header != _HEADER:
            raise self.damaged("the file is not an SQLite database")
        return "sqlite"

    def _tables(self) -> list[str]:
        query = q.Query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", {})
        return [str(r["name"]) for r in self._rows(query)[0]]

    def _revision(self) -> str | None:
        if self._file_state() != "sqlite":
            return None
        if "alembic_version" not in self._tables():
            return None
        rows = self._rows(q.Query("SELECT version_num FROM alembic_version", {}))[0]
        return self._single_revision([str(r["version_num"]) for r in rows])

    def _no_schema(self) -> DocflowError:
        state = self._file_state()
        if state == "missing":
            missing = f"the store {self.url} is missing"
            problem = Problem(message=missing, file=str(self._path), kind="store_damaged")
            return IntegrityFailure(
                f"the store {self.url} is missing ({self._path} does not exist); restore it "
                "from a backup: only `docflow init` and `docflow db upgrade` create a store",
                [problem],
            )
        if state == "empty":
            return self.damaged("the file is empty")
        tables = self._tables()
        if "projects" in tables:
            return self.damaged("it has docflow tables but no schema revision")
        return self.damaged(f"it holds no docflow schema (tables: {', '.join(tables) or 'none'})")

    def _storage_problems(self) -> list[Problem]:
        """What ``PRAGMA quick_check`` finds wrong with the file's pages."""
        try:
            rows = self._rows(q.Query("PRAGMA quick_check", {}))[0]
        except IntegrityFailure as exc:
            return list(exc.problems)
        found = [str(next(iter(r.values()))) for r in rows]
        if found == ["ok"]:
            return []
        return list(self.damaged("; ".join(found[:3])).problems)

    # -- writes ---------------------------------------------------------------------------

    def upgrade(self) -> str:
        """Upgrade the schema to the newest revision and return that revision (Alembic).

        An empty file, or one that holds tables but no docflow schema revision, is left
        untouched: it was a store, or it is something else.
        """
        if self._file_state() == "empty":
            raise self._no_schema()
        return self._create_schema_or_upgrade()

    def _create_schema(self) -> None:
        """Create the schema in a new file: none yet, or an empty one (a concurrent ``init``
        may just have created it)."""
        self._create_schema_or_upgrade()

    def _create_schema_or_upgrade(self) -> str:
        if self._file_state() == "sqlite" and self._revision() is None and self._tables():
            raise self._no_schema()
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
            if _is_damage(exc):
                raise self.damaged(str(exc)) from exc
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


def _is_damage(exc: sqlite3.Error) -> bool:
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    return name.startswith(_DAMAGE_CODES) or any(text in str(exc) for text in _DAMAGE_TEXT)


def _mappings(cursor: sqlite3.Cursor) -> Iterator[Mapping[str, Any]]:
    names = [column[0] for column in cursor.description or ()]
    for row in cursor:
        yield dict(zip(names, row, strict=True))
