"""Fixtures of the store tests: `store`, run on SQLite and, when configured, PostgreSQL.

PostgreSQL runs when DOCFLOW_TEST_PG_URL names a server (scripts/pg_test_server.sh starts a
throwaway one); otherwise those cases are skipped. Each test gets its own PostgreSQL schema,
selected through the URL's ``options=-csearch_path=...``, so tests never see each other's
rows and every process that opens ``store.url`` lands in the same schema.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from docflow.store import ProjectRow, Store, open_store

PG_ENV = "DOCFLOW_TEST_PG_URL"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@contextmanager
def empty_store_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of `backend`, dropped afterwards."""
    if backend == "sqlite":
        folder = tmp_path / ".docflow"
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / 'docflow.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (start a server with scripts/pg_test_server.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    run_raw_sql(base, f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        run_raw_sql(base, f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The store backend under test: sqlite or postgresql."""
    return str(request.param)


@pytest.fixture
def store_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of the backend under test (no schema yet)."""
    with empty_store_url(backend, tmp_path) as url:
        yield url


@pytest.fixture
def new_store_url(backend: str, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """new_store_url(name): the URL of another empty database of the backend under test."""
    with ExitStack() as stack:

        def make(name: str) -> str:
            return stack.enter_context(empty_store_url(backend, tmp_path / name))

        yield make


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An empty store at the newest schema, on SQLite and on PostgreSQL."""
    opened = open_store(store_url, None)
    try:
        opened.ensure_schema(create=True)
        yield opened
    finally:
        opened.close()


def new_project(store: Store, code: str = "HIS-2026", **overrides: Any) -> ProjectRow:
    """Register a project with realistic defaults."""
    values: dict[str, Any] = {
        "code": code,
        "name": "医院信息系统",
        "workflow": "implementation",
        "locale": "zh-CN",
        "state": "contract.drafting",
        "workspace": "/srv/projects/his",
        "actor": "pm",
        "data": {"contract": {"amount": "1200500.00"}},
    }
    values.update(overrides)
    return store.create_project(**values)


@pytest.fixture
def make_project(store: Store) -> Callable[..., ProjectRow]:
    """Register a project in `store`: make_project(code="X", state=...)."""
    return functools.partial(new_project, store)


@pytest.fixture
def project(store: Store) -> ProjectRow:
    """A freshly registered project HIS-2026 (version 1, one event)."""
    return new_project(store)


def run_raw_sql(url: str, *statements: str) -> None:
    """Run SQL on the store behind docflow's back (to damage it on purpose)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


@pytest.fixture
def raw_sql(store: Store) -> Callable[..., None]:
    """raw_sql("UPDATE ...", ...): edit the store's tables directly."""
    return functools.partial(run_raw_sql, store.url)
