"""A workspace remembers its store (``.docflow/store.json``), through the ``docflow`` command.

Commands in the workspace use the recorded store without being told; naming another store is
a usage error (exit 2); no command but ``init`` and ``db upgrade`` creates a store or schema.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from docflow.store.binding import public_url

Docflow = Callable[..., Any]
NewUrl = Callable[[str], str]


def _tables(url: str) -> list[str]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return sorted(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _with_password(url: str) -> str:
    return url.replace("://docflow@", "://docflow:s3cret-pw@", 1)


def test_a_workspace_uses_the_store_it_was_created_with(
    backend: str, new_store_url: NewUrl, tmp_path: Path, docflow: Docflow
) -> None:
    url = new_store_url("shared")
    given = _with_password(url) if backend == "postgresql" else url
    ws = tmp_path / "ws"
    made = docflow("--store", given, "init", str(ws), "--json")
    assert made.code == 0, made.err
    binding = json.loads((ws / ".docflow" / "store.json").read_text("utf-8"))
    assert binding == {"store": public_url(given), "project": made.json()["project"]}
    assert "s3cret" not in (ws / ".docflow" / "store.json").read_text("utf-8")
    assert "s3cret" not in made.out
    # No URL: the recorded store, never a new SQLite file in the workspace.
    status = docflow("status", "--json", cwd=ws)
    assert status.code == 0, status.err
    assert status.json()["state"] == "contract.drafting"
    assert not (ws / ".docflow" / "docflow.db").exists()
    # The same store named with its password (DOCFLOW_DATABASE_URL) is fine.
    same = docflow("status", "--json", cwd=ws, env={"DOCFLOW_DATABASE_URL": given})
    assert same.code == 0, same.err


def test_naming_another_store_is_a_usage_error(
    new_store_url: NewUrl, tmp_path: Path, docflow: Docflow
) -> None:
    url, other = new_store_url("a"), new_store_url("b")
    ws = tmp_path / "ws"
    assert docflow("--store", url, "init", str(ws)).code == 0
    for how in ("option", "environment"):
        args = ("--store", other) if how == "option" else ()
        env = {"DOCFLOW_DATABASE_URL": other} if how == "environment" else None
        result = docflow(*args, "advance", "--json", cwd=ws, env=env)
        assert result.code == 2, result.err
        message = result.json()["message"]
        assert f"belongs to the store {public_url(url)}" in message
        assert public_url(other) in message
    # Nothing was created in the other store.
    assert _tables(other) == []


def test_commands_never_create_a_schema_in_a_new_database(
    backend: str, new_store_url: NewUrl, docflow: Docflow
) -> None:
    url = new_store_url("new")
    result = docflow("--store", url, "projects", "--json")
    if backend == "sqlite":
        assert result.code == 6, result.err
        assert "is missing" in result.json()["message"]
        assert not Path(url.removeprefix("sqlite:///")).exists()
    else:
        assert result.code == 1, result.err
        assert "holds no docflow schema" in result.json()["message"]
        assert _tables(url) == []
    # `db upgrade` is the command that creates it.
    upgraded = docflow("--store", url, "db", "upgrade", "--json")
    assert upgraded.code == 0, upgraded.err
    assert "alembic_version" in _tables(url)


def test_a_missing_sqlite_store_is_an_error_not_a_new_store(
    tmp_path: Path, docflow: Docflow
) -> None:
    ws = tmp_path / "ws"
    assert docflow("init", str(ws)).code == 0
    (ws / ".docflow" / "docflow.db").unlink()
    for command in (["status"], ["verify"], ["advance"], ["log"]):
        result = docflow(*command, "--json", cwd=ws)
        assert result.code == 6, result.err
        assert "is missing" in result.json()["message"]
        assert not (ws / ".docflow" / "docflow.db").exists()


def test_a_workspace_without_the_record_keeps_the_old_rule(
    tmp_path: Path, docflow: Docflow
) -> None:
    """Workspaces made before store.json: their own SQLite file, or the URL given."""
    ws = tmp_path / "ws"
    assert docflow("init", str(ws)).code == 0
    (ws / ".docflow" / "store.json").unlink()
    assert docflow("status", cwd=ws).code == 0
    url = f"sqlite:///{ws / '.docflow' / 'docflow.db'}"
    assert docflow("--store", url, "status", cwd=ws).code == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("{not json", "not valid JSON", id="not-json"),
        pytest.param('{"store": 3}', '"store" must name', id="no-store"),
    ],
)
def test_a_broken_record_is_invalid_input(
    tmp_path: Path, docflow: Docflow, text: str, message: str
) -> None:
    ws = tmp_path / "ws"
    assert docflow("init", str(ws)).code == 0
    (ws / ".docflow" / "store.json").write_text(text, "utf-8")
    result = docflow("status", "--json", cwd=ws)
    assert result.code == 4, result.err
    assert message in result.json()["message"]
    assert "store.json" in result.json()["message"]


def test_the_default_store_is_recorded_relative_to_the_workspace(
    tmp_path: Path, docflow: Docflow
) -> None:
    """A moved workspace keeps its own SQLite store, never the original folder's."""
    ws = tmp_path / "ws"
    assert docflow("init", str(ws)).code == 0
    assert json.loads((ws / ".docflow" / "store.json").read_text("utf-8"))["store"] == "workspace"
    moved = tmp_path / "moved"
    ws.rename(moved)
    assert docflow("status", cwd=moved).code == 0
    with closing(sqlite3.connect(moved / ".docflow" / "docflow.db")) as db:
        assert db.execute("SELECT count(*) FROM projects").fetchone() == (1,)
