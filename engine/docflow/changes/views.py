"""A change request as callers see it: id, status, annex and its document (as in status)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.views.documents import DocumentView, document_view

__all__ = ["ChangeView", "change_view", "list_changes"]


@dataclass(frozen=True)
class ChangeView(Result):
    """One change request and its decision."""

    id: str
    title: str
    reason: str
    status: str
    annex: int | None
    document: DocumentView | None
    body: Mapping[str, Any]
    requested_by: str
    requested_at: str
    decided_by: str | None
    decided_at: str | None
    decision_reason: str | None


def change_view(session: Session, cr_id: str) -> ChangeView:
    """One change request as JSON: id, status, annex and its document (as in status)."""
    change = session.ledger.find(cr_id)
    doc = None
    if change.doc_id:
        doc = document_view(session, session.find_document(change.doc_id))
    return ChangeView(
        id=change.cr_id,
        title=change.title,
        reason=change.reason,
        status=change.status,
        annex=change.annex,
        document=doc,
        body=change.body,
        requested_by=change.requested_by,
        requested_at=change.requested_at,
        decided_by=change.decided_by,
        decided_at=change.decided_at,
        decision_reason=change.decision_reason,
    )


def list_changes(session: Session) -> tuple[ChangeView, ...]:
    """Every change request, by number."""
    return tuple(change_view(session, c.cr_id) for c in session.ledger.changes)
