"""Turning a store URL into a configured SQLAlchemy engine (SQLite or PostgreSQL).

SQLite: WAL, foreign keys on, a 10 s busy timeout, and pysqlite's own transaction handling
switched off so that docflow issues ``BEGIN`` itself: ``BEGIN IMMEDIATE`` for write
transactions (the write lock is taken before the version check), plain ``BEGIN`` for reads.
PostgreSQL: psycopg 3; write transactions lock the project row with ``FOR UPDATE``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from docflow.errors import EnvironmentProblem
from docflow.store.chain import canonical_json
from docflow.store.urls import display_url

__all__ = ["BUSY_TIMEOUT_S", "IMMEDIATE", "make_engine"]

BUSY_TIMEOUT_S = 10
# Execution option that makes the next BEGIN on an SQLite connection a BEGIN IMMEDIATE.
IMMEDIATE = "docflow_begin_immediate"


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise EnvironmentProblem(f"the store URL {url!r} is not a database URL") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.drivername not in ("sqlite", "sqlite+pysqlite"):
            raise EnvironmentProblem(f"the store URL {url!r} names an unsupported SQLite driver")
        if not parsed.database or parsed.database == ":memory:":
            raise EnvironmentProblem(f"the store URL {url!r} must name a database file")
        return parsed
    if backend in ("postgresql", "postgres"):
        if parsed.drivername not in ("postgresql", "postgres", "postgresql+psycopg"):
            raise EnvironmentProblem(
                f"the store URL {display_url(url)!r} names a driver other than psycopg"
            )
        return parsed.set(drivername="postgresql+psycopg")
    raise EnvironmentProblem(
        f"the store URL {display_url(url)!r} is neither sqlite:/// nor postgresql://"
    )


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # None stops pysqlite from issuing BEGIN on its own; the "begin" hook does it.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _fork_guard(engine: Engine) -> None:
    # A process forked after the store was used inherits pooled connections whose sockets
    # the parent still uses; the child must open its own instead (SQLAlchemy's pooling recipe).
    @event.listens_for(engine, "connect")
    def _on_connect(_dbapi_conn: Any, record: Any) -> None:
        record.info["pid"] = os.getpid()

    @event.listens_for(engine, "checkout")
    def _on_checkout(_dbapi_conn: Any, record: Any, proxy: Any) -> None:
        if record.info.get("pid") != os.getpid():
            record.dbapi_connection = proxy.dbapi_connection = None
            raise DisconnectionError("connection belongs to the parent process")


def make_engine(url: str) -> Engine:
    """A connected engine for `url`; an unusable or unreachable store is EnvironmentProblem."""
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    options: dict[str, Any] = {"json_serializer": canonical_json}
    if backend == "sqlite":
        database = Path(str(parsed.database))
        if not database.parent.is_dir():
            raise EnvironmentProblem(
                f"the store {url} cannot be opened: folder {database.parent} does not exist"
            )
        options["connect_args"] = {"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
        # One connection per checkout: a pooled SQLite connection adds nothing but file locks
        # held open by idle handles.
        options["poolclass"] = NullPool
    else:
        options["pool_pre_ping"] = True
        options["connect_args"] = {"connect_timeout": 10}
    engine = create_engine(parsed, **options)
    if backend == "sqlite":
        _sqlite_hooks(engine)
    else:
        _fork_guard(engine)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except SQLAlchemyError as exc:
        engine.dispose()
        raise EnvironmentProblem(
            f"the store {display_url(url)} cannot be reached: {exc.__class__.__name__}: "
            f"{str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}"
        ) from exc
    return engine
