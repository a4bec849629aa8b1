"""A change request as callers see it: id, status, annex and its document (as in status)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docflow.runtime.result import Result
from docflow.runtime.session import LIVE, Session
from docflow.store.base import DocumentRow
from docflow.views.documents import DocumentView, document_view

__all__ = ["ChangeView", "change_view", "form_of", "list_changes"]


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
    form: DocumentView | None = None  # the change request form sent for review, if any


def form_of(session: Session, cr_id: str) -> DocumentRow | None:
    """The newest live change request form about ``cr_id`` (None without one)."""
    from docflow.documents.snapshot import load_snapshot

    code = session.spec.change_control.request_document
    if not code:
        return None
    found = None
    for doc in session.documents:
        if doc.code != code or doc.status not in LIVE:
            continue
        blob = session.store.blob(doc.data_sha256)
        if blob is not None and load_snapshot(blob).meta.subject == f"change:{cr_id}":
            found = doc
    return found


def change_view(session: Session, cr_id: str) -> ChangeView:
    """One change request as JSON: id, status, annex and its document (as in status)."""
    change = session.ledger.find(cr_id)
    doc = None
    if change.doc_id:
        doc = document_view(session, session.find_document(change.doc_id))
    form_row = form_of(session, cr_id)
    form = document_view(session, form_row) if form_row is not None else None
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
        form=form,
    )


def list_changes(session: Session) -> tuple[ChangeView, ...]:
    """Every change request, by number."""
    return tuple(change_view(session, c.cr_id) for c in session.ledger.changes)
