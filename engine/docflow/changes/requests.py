"""Change requests: filing, deciding, and the change annex an approval issues."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from docflow.errors import Conflict, InvalidInput, ProjectChanged, SpecError
from docflow.runtime.documents import (
    build_context,
    check_writable,
    job_for,
    make_meta,
    next_annex,
    next_doc_number,
    run_jobs,
    write_document_files,
)
from docflow.runtime.session import Session
from docflow.runtime.views import document_view
from docflow.spec.change import ChangeRequestSpec

__all__ = ["approve", "build_change", "change_view", "decide", "file_change", "list_changes"]

_RETRIES = 5


def change_view(session: Session, cr_id: str) -> dict[str, Any]:
    """One change request as JSON: id, status, annex and its document (as in status)."""
    for change in session.changes:
        if change.cr_id == cr_id:
            doc = None
            if change.doc_id:
                doc = document_view(session, session.find_document(change.doc_id))
            return {
                "id": change.cr_id,
                "title": change.title,
                "reason": change.reason,
                "status": change.status,
                "annex": change.annex,
                "document": doc,
                "body": change.body,
                "requested_by": change.requested_by,
                "requested_at": change.requested_at,
                "decided_by": change.decided_by,
                "decided_at": change.decided_at,
                "decision_reason": change.decision_reason,
            }
    known = ", ".join(c.cr_id for c in session.changes) or "none yet"
    raise InvalidInput(f"no change request {cr_id} in project {session.code} (known: {known})")


def list_changes(session: Session) -> list[dict[str, Any]]:
    """Every change request, by number."""
    return [change_view(session, c.cr_id) for c in session.changes]


def _parse_edit(text: str) -> dict[str, Any]:
    """``FR-003:priority=must;title=New title`` -> an edit entry."""
    ident, _, assignments = text.partition(":")
    if not assignments:
        raise InvalidInput(
            f"--modifies {text!r} names no new value; write ID:field=value (e.g. "
            f"{ident}:priority=must) or give full entries with --file"
        )
    edit: dict[str, Any] = {"id": ident.strip()}
    for part in assignments.split(";"):
        field, sep, value = part.partition("=")
        if not sep:
            raise InvalidInput(f"--modifies {text!r}: {part!r} is not field=value")
        edit[field.strip()] = value.strip()
    return edit


def build_change(
    session: Session,
    *,
    file: Path | None,
    title: str | None,
    reason: str | None,
    adds: Sequence[str],
    modifies: Sequence[str],
    removes: Sequence[str],
    days: int | None,
    cost: Decimal | None,
) -> ChangeRequestSpec:
    """A change request from ``--file`` or from the command's flags (not both)."""
    from pydantic import ValidationError

    from docflow.runtime.requirements import next_requirement_id
    from docflow.spec.change import parse_change_file
    from docflow.spec.project import Requirement

    flags = bool(adds or modifies or removes or days is not None or cost is not None)
    if file is not None:
        if flags or title or reason:
            raise InvalidInput("give the change either with --file or with flags, not both")
        return parse_change_file(file)
    if not title or not reason:
        raise InvalidInput("a change request needs --title and --reason (or --file)")
    current = _pending_requirements(session, ("open", "approved"))
    # A removed requirement's id is never given to a new one.
    taken = [r.id for r in session.baseline() or []]
    added = []
    for add_title in adds:
        req = Requirement(
            id=next_requirement_id(current, also_taken=taken),
            title=add_title,
            type="functional",
            priority="should",
            source=session.actor,
        )
        current.append(req)
        added.append(req.model_dump(mode="json"))
    body = {
        "title": title,
        "reason": reason,
        "adds": added,
        "modifies": [_parse_edit(m) for m in modifies],
        "removes": list(removes),
        "days": days,
        "cost": str(cost) if cost is not None else None,
    }
    try:
        return ChangeRequestSpec.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InvalidInput(f"change request: {where}: {first['msg']}") from exc


def _pending_requirements(session: Session, statuses: Sequence[str]) -> list[Any]:
    """The requirement set once every change in ``statuses`` took effect, in number order.

    New ids and approvals are checked against it, so two pending changes cannot both add
    the same id or edit a requirement another one removes.
    """
    from docflow.runtime.requirements import apply_change

    requirements = list(session.current_requirements())
    for change in session.changes:
        if change.status in statuses:
            try:
                requirements = apply_change(requirements, session.change_spec(change))
            except SpecError:
                continue  # an open request that no longer applies is refused when decided
    return requirements


def _require_allowed_state(session: Session) -> None:
    allowed = session.spec.change_control.allowed_in
    if session.row.state not in allowed:
        raise Conflict(
            f"change requests are not allowed in state {session.row.state} "
            f"(allowed in: {', '.join(allowed)})"
        )


def file_change(session: Session, spec: ChangeRequestSpec) -> dict[str, Any]:
    """Open change request CR-n (numbers are gapless under concurrent use)."""
    from docflow.runtime.requirements import validate_change

    _require_allowed_state(session)
    problems = validate_change(spec, session.current_requirements())
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


def _record_change(session: Session, spec: ChangeRequestSpec) -> dict[str, Any]:
    from docflow.store.base import ChangeRow

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
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
                requested_at=now,
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


def _find(session: Session, cr_id: str) -> Any:
    for change in session.changes:
        if change.cr_id == cr_id:
            return change
    known = ", ".join(c.cr_id for c in session.changes) or "none yet"
    raise InvalidInput(f"no change request {cr_id} in project {session.code} (known: {known})")


def approve(
    session: Session, cr_id: str, reason: str | None, today: dt.date | None = None
) -> dict[str, Any]:
    """Approve a change: issue its change annex (next annex number) for both signatures."""
    # Approvals render outside the lock; one that loses the race re-reads and renders again
    # with the next annex number, so concurrent approvals all succeed with consecutive numbers.
    for _attempt in range(_RETRIES - 1):
        try:
            return _approve_once(session, cr_id, reason, today)
        except ProjectChanged:
            session = session.refreshed()
    return _approve_once(session, cr_id, reason, today)


def _approve_once(
    session: Session, cr_id: str, reason: str | None, today: dt.date | None
) -> dict[str, Any]:
    from docflow.runtime.steps import record_documents

    _require_allowed_state(session)
    change = _find(session, cr_id)
    if change.status != "open":
        raise Conflict(f"{cr_id} is {change.status}; only an open change request can be approved")
    from docflow.runtime.requirements import validate_change

    problems = validate_change(
        session.change_spec(change), _pending_requirements(session, ("approved",))
    )
    if problems:
        raise InvalidInput(
            f"{cr_id} no longer fits the requirements as approved so far: {problems[0].message}; "
            "reject it and file it again"
        )
    code = session.spec.change_control.annex_document
    annex = next_annex(session)
    issued_on = today or dt.date.today()
    meta = make_meta(session, code, next_doc_number(session, code), 1, annex, issued_on)
    override = session.change_spec(change)
    from docflow.runtime.requirements import change_context

    change_dict = change_context(
        cr_id,
        override,
        session.current_requirements(),
        annex,
        dt.date.fromisoformat(change.requested_at[:10]),
        issued_on,
    )
    context = build_context(session, change_override=change_dict)
    check_writable(session.workspace)
    [prepared] = run_jobs([job_for(session, meta, context)])
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with session.store.write(session.code, session.row.version) as tx:
        [row] = record_documents(tx, session, [prepared])
        tx.update_change(
            cr_id,
            status="approved",
            annex=annex,
            doc_id=row.doc_id,
            decided_by=session.actor,
            decided_at=now,
            decision_reason=reason,
        )
        tx.append_event(
            "change.approved",
            session.actor,
            {"change": cr_id, "annex": annex, "document": row.doc_id, "reason": reason},
        )
    write_document_files(session.workspace, row, {"docx": prepared.docx, "pdf": prepared.pdf})
    return change_view(session.refreshed(), cr_id)


def decide(session: Session, cr_id: str, decision: str, reason: str | None) -> dict[str, Any]:
    """Reject or withdraw a change request; withdrawing an approved one voids its annex."""
    if decision not in ("reject", "withdraw"):
        raise InvalidInput(f"unknown decision {decision!r}")
    if not reason or not reason.strip():
        raise InvalidInput(f"--reason is required to {decision} a change request")
    change = _find(session, cr_id)
    allowed_from = ("open",) if decision == "reject" else ("open", "approved")
    if change.status not in allowed_from:
        raise Conflict(f"{cr_id} is {change.status}; it cannot be {decision}ed")
    status = "rejected" if decision == "reject" else "withdrawn"
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with session.store.write(session.code, session.row.version) as tx:
        tx.update_change(
            cr_id, status=status, decided_by=session.actor, decided_at=now, decision_reason=reason
        )
        data: dict[str, Any] = {"change": cr_id, "reason": reason}
        if change.doc_id:
            doc = session.find_document(change.doc_id)
            tx.set_document_status(doc.doc_id, doc.version, "void")
            data["voided"] = doc.doc_id
            data["annex"] = change.annex
        tx.append_event(f"change.{status}", session.actor, data)
    return change_view(session.refreshed(), cr_id)
