"""The SELECTs behind the store's reads, as SQL that SQLite and PostgreSQL both run.

Each builder returns a :class:`Query`: the SQL with ``:name`` parameters and their values.
The SQLite store runs them on the standard library's ``sqlite3`` (so a read-only command never
imports SQLAlchemy), the SQLAlchemy store through ``text()``; tests EXPLAIN each of them.
Every per-project query keys on ``project_id`` first (looked up through the unique index on
``projects.code``), so none of them scans a table whatever the number of projects.
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = [
    "Query",
    "blob_query",
    "changes_query",
    "count_query",
    "counters_query",
    "document_query",
    "documents_query",
    "events_query",
    "head_events_query",
    "list_query",
    "project_query",
    "signatures_query",
]

_PROJECT_ID = "(SELECT id FROM projects WHERE code = :code)"


class Query(NamedTuple):
    """One SELECT and its parameters."""

    sql: str
    params: dict[str, Any]


def project_query(code: str) -> Query:
    """The project row with this code."""
    return Query("SELECT * FROM projects WHERE code = :code", {"code": code})


def list_query(limit: int, offset: int) -> Query:
    """One page of projects by code."""
    return Query(
        "SELECT * FROM projects ORDER BY code LIMIT :limit OFFSET :offset",
        {"limit": limit, "offset": offset},
    )


def count_query() -> Query:
    """The number of projects."""
    return Query("SELECT count(*) AS n FROM projects", {})


def events_query(code: str, after_seq: int = 0) -> Query:
    """The project's events after `after_seq`, by seq."""
    return Query(
        f"SELECT * FROM events WHERE project_id = {_PROJECT_ID} AND seq > :after ORDER BY seq",
        {"code": code, "after": after_seq},
    )


def head_events_query(code: str) -> Query:
    """The project's head event and any event after it (there should be none)."""
    return Query(
        f"SELECT * FROM events WHERE project_id = {_PROJECT_ID} "
        "AND seq >= (SELECT head_seq FROM projects WHERE code = :code) ORDER BY seq",
        {"code": code},
    )


def documents_query(code: str) -> Query:
    """Every document version of the project, in issue order."""
    return Query(
        f"SELECT * FROM documents WHERE project_id = {_PROJECT_ID} ORDER BY project_id, id",
        {"code": code},
    )


def document_query(code: str, doc_id: str, version: int | None) -> Query:
    """One document version, the newest when `version` is None."""
    where = f"project_id = {_PROJECT_ID} AND doc_id = :doc_id"
    params: dict[str, Any] = {"code": code, "doc_id": doc_id}
    if version is not None:
        where += " AND version = :version"
        params["version"] = version
    return Query(f"SELECT * FROM documents WHERE {where} ORDER BY version DESC LIMIT 1", params)


def signatures_query(code: str) -> Query:
    """Every signature of the project, in the order recorded."""
    return Query(
        f"SELECT * FROM signatures WHERE project_id = {_PROJECT_ID} ORDER BY project_id, id",
        {"code": code},
    )


def changes_query(code: str) -> Query:
    """Every change request of the project, by number."""
    return Query(
        f"SELECT * FROM change_requests WHERE project_id = {_PROJECT_ID} "
        "ORDER BY project_id, number",
        {"code": code},
    )


def counters_query(code: str) -> Query:
    """Every numbering counter of the project, by name."""
    return Query(
        f"SELECT name, value FROM counters WHERE project_id = {_PROJECT_ID} "
        "ORDER BY project_id, name",
        {"code": code},
    )


def blob_query(sha256: str) -> Query:
    """The bytes of one blob."""
    return Query("SELECT data FROM blobs WHERE sha256 = :sha256", {"sha256": sha256})
