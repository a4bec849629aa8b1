"""Opening a store: the workspace default, accepted URLs, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from docflow.errors import EnvironmentProblem, UsageError
from docflow.store import open_store


def test_default_store_lives_in_the_workspace(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    try:
        store.ensure_schema(create=True)
        assert store.url == f"sqlite:///{tmp_path.resolve()}/.docflow/docflow.db"
        assert (tmp_path / ".docflow" / "docflow.db").is_file()
    finally:
        store.close()


def test_an_explicit_url_wins_over_the_workspace(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/shared.db"
    store = open_store(url, tmp_path / "ignored")
    try:
        assert store.url == url
        assert not (tmp_path / "ignored").exists()
    finally:
        store.close()


def test_no_url_and_no_workspace_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no store given"):
        open_store(None, None)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        pytest.param("not a url", "is not a database URL", id="not-a-url"),
        pytest.param("mysql://u@localhost/db", "neither sqlite", id="other-database"),
        pytest.param("sqlite://", "must name a database file", id="sqlite-memory"),
        pytest.param("postgresql+asyncpg://u@h/db", "other than psycopg", id="other-driver"),
        pytest.param("sqlite:////nonexistent/folder/x.db", "does not exist", id="missing-folder"),
        pytest.param(
            "postgresql://docflow:secret@127.0.0.1:1/docflow",
            r"cannot be reached",
            id="unreachable-server",
        ),
    ],
)
def test_bad_or_unreachable_urls_are_environment_problems(url: str, message: str) -> None:
    with pytest.raises(EnvironmentProblem, match=message) as caught:
        open_store(url, None)
    assert "secret" not in caught.value.message


def _backends(url: str, name: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            query = sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n")
            return int(conn.execute(query, {"n": name}).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_store_nobody_closed_leaves_no_connection_open(store_url: str) -> None:
    import uuid

    name = f"docflow-test-{uuid.uuid4().hex[:8]}"
    url = f"{store_url}&application_name={name}"
    store = open_store(url, None)
    store.ensure_schema(create=True)
    assert _backends(store_url, name) == 1  # the pool keeps its connection between reads
    del store  # neither closed nor left to the cycle collector
    assert _backends(store_url, name) == 0
    again = open_store(url, None)
    again.close()
    again.close()  # closing twice is harmless
    assert _backends(store_url, name) == 0
