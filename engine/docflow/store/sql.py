"""SqlStore: the Store on SQLAlchemy, for PostgreSQL (and SQLite URLs the standard library
cannot open, such as ones with a query string).

Reads run in a short read transaction each. Writes are :class:`StoreWrites`' (the same SQL
as an SQLite file's), run through ``text()`` in one transaction that takes the project's
write lock first (PostgreSQL ``SELECT ... FOR UPDATE``, SQLite ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Engine, inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from docflow.errors import EnvironmentProblem
from docflow.store import queries as q
from docflow.store import revisions
from docflow.store.engine import IMMEDIATE
from docflow.store.reads import StoreReads
from docflow.store.tx import Executor
from docflow.store.urls import display_url
from docflow.store.writes import StoreWrites, busy, conflict, failed

__all__ = ["AlchemyExecutor", "SqlStore"]

# SQLSTATEs after which running the command again is the right answer.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def _release(engine: Engine, pid: int) -> None:
    """Close the engine's pooled connections; in a forked child, which shares its parent's
    sockets, only forget them (closing would end the parent's sessions)."""
    engine.dispose(close=os.getpid() == pid)


class SqlStore(StoreReads, StoreWrites):
    """A store in one SQLite file or one PostgreSQL database."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self._engine = engine
        # The pooled connections are closed when the store is: by close(), else as soon as
        # nothing refers to the store any more (a library user or a command run in-process
        # that never closed it), not whenever the collector gets to the driver's connections.
        self._release = weakref.finalize(self, _release, engine, os.getpid())

    def __repr__(self) -> str:
        return f"SqlStore({display_url(self.url)!r})"

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise EnvironmentProblem(
                f"reading the store {display_url(self.url)} failed: {exc}"
            ) from exc

    # -- schema ----------------------------------------------------------------------------

    def revision(self) -> str | None:
        """The schema revision the store is at, or None when it has no schema yet."""
        return self._revision()

    def queue_revision(self) -> str | None:
        """The job queue's schema revision (PostgreSQL), or None when it has none yet."""
        with self._read() as conn:
            if not inspect(conn).has_table("queue_alembic_version"):
                return None
            found = conn.execute(text("SELECT version_num FROM queue_alembic_version"))
            return self._single_revision(found.scalars().all())

    def _revision(self) -> str | None:
        with self._read() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        return self._single_revision(found)

    def upgrade(self) -> str:
        """Upgrade the schema to the newest revision and return that revision."""
        from docflow.store.migrate import upgrade_head

        current = self._revision()
        if current is not None and current not in revisions.REVISIONS:
            raise EnvironmentProblem(
                f"the store {display_url(self.url)} has schema revision {current}, which this "
                "docflow does not know; a newer docflow wrote it: upgrade docflow"
            )
        try:
            upgrade_head(self._engine, display_url(self.url))
        except SQLAlchemyError as exc:
            raise EnvironmentProblem(
                f"upgrading the store {display_url(self.url)} failed: {exc}"
            ) from exc
        current = self._revision()
        if current is None:
            raise EnvironmentProblem(f"the store {display_url(self.url)} has no schema revision")
        return current

    def close(self) -> None:
        """Release every connection (once; closing again does nothing)."""
        self._release()

    # -- reads ----------------------------------------------------------------------------

    def _rows(self, *queries: q.Query) -> list[list[Mapping[str, Any]]]:
        with self._read() as conn:
            if len(queries) > 1 and self._engine.dialect.name == "postgresql":
                # Several reads must see one snapshot (rows checked against the chain head).
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                return [_rows_of(conn.execute(text(q_.sql), q_.params)) for q_ in queries]

    # -- writes ---------------------------------------------------------------------------

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection in one transaction, committed on a normal exit, for the job queue's
        statements (queueing many jobs at once); errors map as the store's writes do."""
        with self._transaction() as ex:
            assert isinstance(ex, AlchemyExecutor)
            yield ex.connection

    @contextmanager
    def _transaction(self) -> Iterator[Executor]:
        """One write transaction that holds SQLite's write lock from its first statement."""
        try:
            with self._engine.connect() as conn:
                conn = conn.execution_options(**{IMMEDIATE: True})
                with conn.begin():
                    yield AlchemyExecutor(conn)
        except IntegrityError as exc:
            raise conflict(self.url, str(exc.orig)) from exc
        except DBAPIError as exc:
            sqlstate = getattr(exc.orig, "sqlstate", None)
            if sqlstate in _RETRYABLE_SQLSTATES or "database is locked" in str(exc.orig):
                raise busy(self.url) from exc
            raise failed(self.url, str(exc.orig)) from exc


class AlchemyExecutor:
    """Executor on a SQLAlchemy connection: the statements run as ``text()``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._pg = conn.dialect.name == "postgresql"
        self.for_update = " FOR UPDATE" if self._pg else ""

    @property
    def connection(self) -> Connection:
        """The SQLAlchemy connection the transaction runs on (the job queue queues its jobs
        on it, so that they commit or roll back with the transaction's other writes)."""
        return self._conn

    def run(self, sql: str, params: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """Run one statement; its rows as mappings, or [] when it returns none."""
        result = self._conn.execute(text(sql), dict(params))
        return _rows_of(result) if result.returns_rows else []

    def json(self, name: str) -> str:
        """PostgreSQL types JSON text explicitly (psycopg may send a str as text)."""
        return f"CAST(:{name} AS JSON)" if self._pg else f":{name}"


def _rows_of(result: CursorResult[Any]) -> list[Mapping[str, Any]]:
    # RowMapping is a read-only mapping keyed by column name; its stubs key it more widely.
    return cast("list[Mapping[str, Any]]", list(result.mappings()))
