"""Change requests: filing CR-n, approving it (which issues its annex), rejecting, withdrawing.

A request is filed either as a :class:`ChangeRequest` (added requirements without ids, which
get the next free ones, and edits as ``{id, field: value}``) or as a complete
:class:`ChangeRequestSpec` read from a change file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from docflow.changes.annex import change_subject
from docflow.changes.views import ChangeView, change_view
from docflow.errors import Conflict, InvalidInput, ProjectChanged, SpecError
from docflow.runtime.clock import now, today
from docflow.runtime.session import Session
from docflow.spec.change import ChangeRequestSpec

if TYPE_CHECKING:
    from docflow.documents.worker import RenderWorker
    from docflow.store.base import DocumentRow, WriteTx

__all__ = [
    "ChangeRequest",
    "NewRequirement",
    "RequirementChange",
    "approve",
    "build_change",
    "decide",
    "file_change",
]

_RETRIES = 5


@dataclass(frozen=True)
class NewRequirement:
    """A requirement a change adds; its id is the next free one of its type."""

    title: str
    description: str = ""
    type: str = "functional"
    priority: str = "should"
    source: str | None = None  # default: the actor filing the change


@dataclass(frozen=True)
class RequirementChange:
    """New values for some fields of one existing requirement: ``{field: value}``."""

    id: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class ChangeRequest:
    """A change request as a PM states it: what it adds, edits and removes, and its impact."""

    title: str
    reason: str
    adds: tuple[NewRequirement, ...] = ()
    modifies: tuple[RequirementChange, ...] = ()
    removes: tuple[str, ...] = ()
    days: int | None = None
    cost: Decimal | None = None
    risks: tuple[str, ...] = field(default=())


def build_change(session: Session, request: ChangeRequest) -> ChangeRequestSpec:
    """The full change request: added requirements get ids no pending change uses."""
    from pydantic import ValidationError

    from docflow.changes.rules import next_requirement_id

    if not request.title.strip() or not request.reason.strip():
        raise InvalidInput("a change request needs a title and a reason")
    ledger = session.ledger
    current = ledger.pending(("open", "approved"))
    # A removed requirement's id is never given to a new one.
    taken = [r.id for r in ledger.baseline() or []]
    added = []
    try:
        from docflow.spec.project import Requirement

        for new in request.adds:
            req = Requirement(
                id=next_requirement_id(current, new.type, also_taken=taken),
                title=new.title,
                description=new.description,
                type=new.type,  # type: ignore[arg-type]  # checked by the model
                priority=new.priority,  # type: ignore[arg-type]
                source=new.source if new.source is not None else session.actor,
            )
            current.append(req)
            added.append(req.model_dump(mode="json"))
        body = {
            "title": request.title,
            "reason": request.reason,
            "adds": added,
            "modifies": [{"id": m.id, **m.fields} for m in request.modifies],
            "removes": list(request.removes),
            "days": request.days,
            "cost": str(request.cost) if request.cost is not None else None,
            "risks": list(request.risks),
        }
        return ChangeRequestSpec.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InvalidInput(f"change request: {where}: {first['msg']}") from exc


def _require_allowed_state(session: Session) -> None:
    allowed = session.spec.change_control.allowed_in
    if session.row.state not in allowed:
        raise Conflict(
            f"change requests are not allowed in state {session.row.state} "
            f"(allowed in: {', '.join(allowed)})"
        )


def file_change(session: Session, spec: ChangeRequestSpec) -> ChangeView:
    """Open change request CR-n (numbers are gapless under concurrent use)."""
    from docflow.changes.rules import validate_change

    _require_allowed_state(session)
    problems = validate_change(spec, session.ledger.current())
    if problems:
        raise SpecError(problems)
    # Filing renders nothing, so it locks without comparing versions: concurrent filers
    # queue, and one that a busy store turned away simply queues again.
    for _attempt in range(_RETRIES - 1):
        try:
            return _record_change(session, spec)
        except ProjectChanged:
            continue
    return _record_change(session, spec)


def _record_change(session: Session, spec: ChangeRequestSpec) -> ChangeView:
    from docflow.store.base import ChangeRow

    with session.store.write(session.code, None) as tx:
        if tx.project.state not in session.spec.change_control.allowed_in:
            raise Conflict(f"the project moved to {tx.project.state} meanwhile")
        number = tx.next_number("CR")
        cr_id = f"CR-{number}"
        tx.add_change(
            ChangeRow(
                cr_id=cr_id,
                number=number,
                title=spec.title,
                reason=spec.reason,
                status="open",
                body=spec.model_dump(mode="json"),
                annex=None,
                doc_id=None,
                requested_by=session.actor,
                requested_at=now(),
                decided_by=None,
                decided_at=None,
                decision_reason=None,
            )
        )
        tx.append_event(
            "change.requested",
            session.actor,
            {"change": cr_id, "title": spec.title, "body": spec.model_dump(mode="json")},
        )
    return change_view(session.refreshed(), cr_id)


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
    from docflow.documents.issuing import Issue, issue_documents, next_annex, plan_documents

    _require_allowed_state(session)
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
            {"change": cr_id, "annex": row.annex, "document": row.doc_id, "reason": reason},
        )

    issue_documents(session, jobs, record, worker=worker)
    return change_view(session.refreshed(), cr_id)


def decide(session: Session, cr_id: str, decision: str, reason: str | None) -> ChangeView:
    """Reject or withdraw a change request; withdrawing an approved one voids its annex."""
    if decision not in ("reject", "withdraw"):
        raise InvalidInput(f"unknown decision {decision!r} (reject or withdraw)")
    if not reason or not reason.strip():
        raise InvalidInput(f"a reason is required to {decision} a change request")
    change = session.ledger.find(cr_id)
    allowed_from = ("open",) if decision == "reject" else ("open", "approved")
    if change.status not in allowed_from:
        raise Conflict(f"{cr_id} is {change.status}; it cannot be {decision}ed")
    status = "rejected" if decision == "reject" else "withdrawn"
    with session.store.write(session.code, session.row.version) as tx:
        tx.update_change(
            cr_id, status=status, decided_by=session.actor, decided_at=now(), decision_reason=reason
        )
        data: dict[str, Any] = {"change": cr_id, "reason": reason}
        if change.doc_id:
            doc = session.find_document(change.doc_id)
            tx.set_document_status(doc.doc_id, doc.version, "void")
            data["voided"] = doc.doc_id
            data["annex"] = change.annex
        tx.append_event(f"change.{status}", session.actor, data)
    return change_view(session.refreshed(), cr_id)
