"""The SELECTs behind the store's reads, one builder each, so tests can EXPLAIN them.

Every per-project query keys on ``project_id`` first (looked up through the unique index on
``projects.code``), so none of them scans a table whatever the number of projects.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from docflow.store.schema import blobs, change_requests, documents, events, projects, signatures

__all__ = [
    "blob_query",
    "changes_query",
    "count_query",
    "document_query",
    "documents_query",
    "events_query",
    "list_query",
    "project_query",
    "signatures_query",
]


def _project_id(code: str) -> Any:
    return select(projects.c.id).where(projects.c.code == code).scalar_subquery()


def project_query(code: str) -> Select[Any]:
    """The project row with this code."""
    return select(projects).where(projects.c.code == code)


def list_query(limit: int, offset: int) -> Select[Any]:
    """One page of projects by code."""
    return select(projects).order_by(projects.c.code).limit(limit).offset(offset)


def count_query() -> Select[Any]:
    """The number of projects."""
    return select(func.count()).select_from(projects)


def events_query(code: str, after_seq: int = 0) -> Select[Any]:
    """The project's events after `after_seq`, by seq."""
    return (
        select(events)
        .where((events.c.project_id == _project_id(code)) & (events.c.seq > after_seq))
        .order_by(events.c.seq)
    )


def documents_query(code: str) -> Select[Any]:
    """Every document version of the project, in issue order."""
    return (
        select(documents)
        .where(documents.c.project_id == _project_id(code))
        .order_by(documents.c.project_id, documents.c.id)
    )


def document_query(code: str, doc_id: str, version: int | None) -> Select[Any]:
    """One document version, the newest when `version` is None."""
    query = select(documents).where(
        (documents.c.project_id == _project_id(code)) & (documents.c.doc_id == doc_id)
    )
    if version is not None:
        query = query.where(documents.c.version == version)
    return query.order_by(documents.c.version.desc()).limit(1)


def signatures_query(code: str) -> Select[Any]:
    """Every signature of the project, in the order recorded."""
    return (
        select(signatures)
        .where(signatures.c.project_id == _project_id(code))
        .order_by(signatures.c.project_id, signatures.c.id)
    )


def changes_query(code: str) -> Select[Any]:
    """Every change request of the project, by number."""
    return (
        select(change_requests)
        .where(change_requests.c.project_id == _project_id(code))
        .order_by(change_requests.c.project_id, change_requests.c.number)
    )


def blob_query(sha256: str) -> Select[Any]:
    """The bytes of one blob."""
    return select(blobs.c.data).where(blobs.c.sha256 == sha256)
