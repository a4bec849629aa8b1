"""Fixtures of the job-queue tests: a fresh PostgreSQL schema per test.

The PostgreSQL cases skip unless DOCFLOW_TEST_PG_URL names a server
(``scripts/pg_test_server.sh`` starts a throwaway one).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

PG_ENV = "DOCFLOW_TEST_PG_URL"


def _raw(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of an empty PostgreSQL schema (no docflow tables yet), dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (start a server with scripts/pg_test_server.sh)")
    schema = f"q_{uuid.uuid4().hex[:12]}"
    _raw(base, f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        _raw(base, f"DROP SCHEMA {schema} CASCADE")
