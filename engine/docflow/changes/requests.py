"""Change requests: approving CR-n (which issues its annex), rejecting, withdrawing.

Filing and editing live in :mod:`docflow.changes.filing` and are re-exported here; the request
form sent to the client before the decision in :mod:`docflow.changes.form`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from docflow.changes.annex import change_subject
from docflow.changes.filing import (
    ChangeEdit,
    ChangeRequest,
    NewRequirement,
    RequirementChange,
    build_change,
    edit_change,
    file_change,
    require_allowed_state,
)
from docflow.changes.views import ChangeView, change_view
from docflow.errors import Conflict, InvalidInput, ProjectChanged
from docflow.runtime.clock import now, today
from docflow.runtime.session import Session

if TYPE_CHECKING:
    from docflow.documents.worker import RenderWorker
    from docflow.store.base import DocumentRow, WriteTx

__all__ = [
    "ChangeEdit",
    "ChangeRequest",
    "NewRequirement",
    "RequirementChange",
    "approve",
    "build_change",
    "decide",
    "edit_change",
    "file_change",
]

_RETRIES = 5


def approve(
    session: Session,
    cr_id: str,
    reason: str | None,
    date: dt.date | None = None,
    worker: RenderWorker | None = None,
) -> ChangeView:
    """Approve a change: issue its change annex (next annex number) for both signatures."""
    # Approvals render outside the lock; one that loses the race re-reads and renders again
    # with the next annex number, so concurrent approvals all succeed with consecutive numbers.
    for _attempt in range(_RETRIES - 1):
        try:
            return _approve_once(session, cr_id, reason, date, worker)
        except ProjectChanged:
            session = session.refreshed()
    return _approve_once(session, cr_id, reason, date, worker)


def _approve_once(
    session: Session,
    cr_id: str,
    reason: str | None,
    date: dt.date | None,
    worker: RenderWorker | None,
) -> ChangeView:
    from docflow.changes.rules import validate_change
    from docflow.documents.issuing import (
        Issue,
        issue_documents,
        next_annex,
        plan_documents,
        record_data,
    )

    require_allowed_state(session)
    ledger = session.ledger
    change = ledger.find(cr_id)
    if change.status != "open":
        raise Conflict(f"{cr_id} is {change.status}; only an open change request can be approved")
    problems = validate_change(ledger.spec_of(change), ledger.pending(("approved",)))
    if problems:
        raise InvalidInput(
            f"{cr_id} no longer fits the requirements as approved so far: {problems[0].message}; "
            "reject it and file it again"
        )
    code = session.spec.change_control.annex_document
    issued_on = date or today()
    annex = next_annex(session) if session.spec.documents[code].annex else None
    subject = change_subject(ledger, change, annex, issued_on)
    jobs = plan_documents(session, [Issue(code, subject)], issued_on)

    def record(tx: WriteTx, rows: list[DocumentRow]) -> None:
        [row] = rows
        tx.update_change(
            cr_id,
            status="approved",
            annex=row.annex,
            doc_id=row.doc_id,
            decided_by=session.actor,
            decided_at=now(),
            decision_reason=reason,
        )
        tx.append_event(
            "change.approved",
            session.actor,
            {
                "change": cr_id,
                "annex": row.annex,
                "document": row.doc_id,
                "reason": reason,
                "data_sha256": record_data(tx, session),
            },
        )

    issue_documents(session, jobs, record, worker=worker)
    return change_view(session.refreshed(), cr_id)


def decide(session: Session, cr_id: str, decision: str, reason: str | None) -> ChangeView:
    """Reject or withdraw a change request; withdrawing an approved one voids its annex.

    It renders nothing, so it locks without comparing versions and checks the request's
    status under the lock: a concurrent unrelated write never makes it fail.
    """
    if decision not in ("reject", "withdraw"):
        raise InvalidInput(f"unknown decision {decision!r} (reject or withdraw)")
    if not reason or not reason.strip():
        raise InvalidInput(f"a reason is required to {decision} a change request")
    session.ledger.find(cr_id)  # a clear error for an unknown id, before locking
    allowed_from = ("open",) if decision == "reject" else ("open", "approved")
    status = "rejected" if decision == "reject" else "withdrawn"
    for attempt in range(_RETRIES):
        try:
            with session.store.write(session.code, None) as tx:
                change = next(c for c in tx.changes() if c.cr_id == cr_id)
                if change.status not in allowed_from:
                    raise Conflict(f"{cr_id} is {change.status}; it cannot be {decision}ed")
                tx.update_change(
                    cr_id,
                    status=status,
                    decided_by=session.actor,
                    decided_at=now(),
                    decision_reason=reason,
                )
                data: dict[str, Any] = {"change": cr_id, "reason": reason}
                if change.doc_id:
                    doc = session.refreshed().find_document(change.doc_id)
                    tx.set_document_status(doc.doc_id, doc.version, "void")
                    data["voided"] = doc.doc_id
                    data["annex"] = change.annex
                tx.append_event(f"change.{status}", session.actor, data)
            break
        except ProjectChanged:
            if attempt == _RETRIES - 1:
                raise
    return change_view(session.refreshed(), cr_id)
