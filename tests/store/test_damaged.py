"""A damaged SQLite store, through the ``docflow`` command: every command reports it (exit 6,
"the store … is damaged: …") and leaves the file exactly as it found it; none writes a schema
into a file that is not a docflow store."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

Docflow = Callable[..., Any]
DB = Path(".docflow") / "docflow.db"


def _emptied(data: bytes) -> bytes:
    return b""


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _header_only(data: bytes) -> bytes:
    return data[:50]


def _last_page_gone(data: bytes) -> bytes:
    return data[:-4096]


def _garbage(data: bytes) -> bytes:
    return b"this is not a database\n" * 100


DAMAGE = [
    pytest.param(_emptied, "the file is empty", id="emptied"),
    pytest.param(_half, "malformed", id="truncated-half"),
    pytest.param(_header_only, "malformed", id="truncated-header"),
    pytest.param(_last_page_gone, "malformed", id="last-page-gone"),
    pytest.param(_garbage, "not an SQLite database", id="not-sqlite"),
]
COMMANDS = [("verify",), ("status",), ("advance",), ("log",), ("db", "upgrade")]


@pytest.fixture
def workspace(tmp_path: Path, docflow: Docflow) -> Path:
    """A skeleton project whose contract step was taken (a few events in the store)."""
    ws = tmp_path / "ws"
    assert docflow("init", str(ws), "--example").code == 0
    assert docflow("advance", "sign_contract", cwd=ws).code == 0
    return ws


@pytest.mark.parametrize(("damage", "message"), DAMAGE)
def test_a_damaged_file_is_reported_and_left_as_it_is(
    workspace: Path, docflow: Docflow, damage: Callable[[bytes], bytes], message: str
) -> None:
    store = workspace / DB
    damaged = damage(store.read_bytes())
    store.write_bytes(damaged)
    for command in COMMANDS:
        result = docflow(*command, "--json", cwd=workspace)
        assert result.code == 6, f"{command}: {result.err}"
        error = result.json()
        assert error["error"] == "integrity"
        assert f"the store sqlite:///{store} is damaged" in error["message"]
        assert message in error["message"]
        assert [p["kind"] for p in error["problems"]] == ["store_damaged"]
        assert store.read_bytes() == damaged, command


def _foreign(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount TEXT)")
        db.execute("INSERT INTO invoices (amount) VALUES ('12.50')")


def _without_revision(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("DROP TABLE alembic_version")


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        pytest.param(_foreign, "holds no docflow schema (tables: invoices)", id="foreign-db"),
        pytest.param(_without_revision, "docflow tables but no schema revision", id="no-revision"),
    ],
)
def test_a_database_that_is_no_docflow_store_gets_no_schema(
    workspace: Path, docflow: Docflow, replace: Callable[[Path], None], message: str
) -> None:
    store = workspace / DB
    if replace is _foreign:
        store.unlink()
    replace(store)
    before = store.read_bytes()
    for command in COMMANDS:
        result = docflow(*command, "--json", cwd=workspace)
        assert result.code == 6, f"{command}: {result.err}"
        assert message in result.json()["message"]
        assert store.read_bytes() == before, command


def test_init_refuses_a_shared_file_that_is_no_store(tmp_path: Path, docflow: Docflow) -> None:
    shared = tmp_path / "shared.db"
    _foreign(shared)
    before = shared.read_bytes()
    result = docflow("--store", f"sqlite:///{shared}", "init", str(tmp_path / "ws"), "--json")
    assert result.code == 6, result.err
    assert "holds no docflow schema" in result.json()["message"]
    assert shared.read_bytes() == before
    assert not (tmp_path / "ws" / "project.yaml").exists()


def test_init_may_use_an_empty_file_for_a_new_store(tmp_path: Path, docflow: Docflow) -> None:
    """An empty file holds nothing to lose (a concurrent init may just have made it)."""
    shared = tmp_path / "shared.db"
    shared.touch()
    result = docflow("--store", f"sqlite:///{shared}", "init", str(tmp_path / "ws"))
    assert result.code == 0, result.err
    assert docflow("verify", cwd=tmp_path / "ws").code == 0
