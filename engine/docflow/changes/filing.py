"""Filing change request CR-n and editing it while it is open.

A request is stated as a :class:`ChangeRequest` (added requirements without ids, which docflow
numbers, and edits as ``{id, field: value}``) or given whole as a :class:`ChangeRequestSpec`
read from a change file. Ids of added requirements are assigned under the project's lock,
inside the transaction that records the request, against every pending request as the store
holds it then: concurrent filers never give two requests the same new id, and CR numbers stay
gapless.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from docflow.changes.ledger import UNDECIDED, ChangeLedger
from docflow.changes.views import ChangeView, change_view
from docflow.errors import Conflict, InvalidInput, ProjectChanged, SpecError
from docflow.runtime.clock import now
from docflow.runtime.lang import say
from docflow.runtime.session import Session
from docflow.spec.change import ChangeRequestSpec, filing_problems

if TYPE_CHECKING:
    from docflow.store.base import ChangeRow, WriteTx

__all__ = [
    "ChangeEdit",
    "ChangeRequest",
    "NewRequirement",
    "RequirementChange",
    "build_change",
    "edit_change",
    "file_change",
    "require_allowed_state",
]

_RETRIES = 5


@dataclass(frozen=True)
class NewRequirement:
    """A requirement a change adds; its id is the next free one of its type.

    ``source`` is who asked for it (a person or a department); by default the client's
    accountable person, else the client. ``description`` is required: it is written into the
    change annex of the contract.
    """

    title: str
    description: str = ""
    type: str = "functional"
    priority: str = "should"
    source: str | None = None
    verification: str | None = None


@dataclass(frozen=True)
class RequirementChange:
    """New values for some fields of one existing requirement: ``{field: value}``."""

    id: str
    fields: Mapping[str, Any]


@dataclass(frozen=True)
class ChangeRequest:
    """A change request as a PM states it: what it adds, edits and removes, and its impact.

    ``payment`` names the instalment of ``contract.payments`` the cost is added to (default:
    ``contract.change_payment``, else the last instalment).
    """

    title: str
    reason: str
    adds: tuple[NewRequirement, ...] = ()
    modifies: tuple[RequirementChange, ...] = ()
    removes: tuple[str, ...] = ()
    days: int | None = None
    cost: Decimal | None = None
    risks: tuple[str, ...] = field(default=())
    payment: str | None = None


@dataclass(frozen=True)
class ChangeEdit:
    """What ``change edit`` changes in an open request; None leaves a field as it is.

    ``adds`` appends requirements (numbered like a new request's), ``modifies`` replaces the
    edit of the same id or appends it, ``removes`` appends ids, ``drop`` takes ids out of the
    request's adds, edits and removals; ``replace`` (a change file) replaces the whole content.
    """

    title: str | None = None
    reason: str | None = None
    days: int | None = None
    cost: Decimal | None = None
    payment: str | None = None
    risks: tuple[str, ...] | None = None
    adds: tuple[NewRequirement, ...] = ()
    modifies: tuple[RequirementChange, ...] = ()
    removes: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    replace: ChangeRequestSpec | None = None


@dataclass(frozen=True)
class _Filing:
    """A request ready to record; ``numbered`` are the adds whose ids docflow assigns."""

    spec: ChangeRequestSpec
    numbered: frozenset[int] = frozenset()


def _default_source(session: Session) -> str:
    client = session.data.parties.client
    person = client.accountable_person
    return (person.name if person is not None and person.name else "") or client.name


def _requirement(session: Session, new: NewRequirement) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "",  # assigned under the lock
        "title": new.title,
        "description": new.description,
        "type": new.type,
        "priority": new.priority,
        "source": new.source if new.source is not None else _default_source(session),
    }
    if new.verification is not None:
        body["verification"] = new.verification
    return body


def _validated(body: Mapping[str, Any]) -> ChangeRequestSpec:
    from pydantic import ValidationError

    try:
        return ChangeRequestSpec.model_validate(dict(body))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InvalidInput(f"change request: {where}: {first['msg']}") from exc


def _filing(session: Session, request: ChangeRequest) -> _Filing:
    if not request.title.strip() or not request.reason.strip():
        raise InvalidInput("a change request needs a title and a reason")
    body = {
        "title": request.title,
        "reason": request.reason,
        "adds": [_requirement(session, new) for new in request.adds],
        "modifies": [{"id": m.id, **m.fields} for m in request.modifies],
        "removes": list(request.removes),
        "days": request.days,
        "cost": str(request.cost) if request.cost is not None else None,
        "payment": request.payment,
        "risks": list(request.risks),
    }
    return _Filing(_validated(body), frozenset(range(len(request.adds))))


def build_change(session: Session, request: ChangeRequest) -> ChangeRequestSpec:
    """The full change request, its added requirements numbered as the store reads now (the
    numbers are assigned again under the lock when it is filed)."""
    filing = _filing(session, request)
    return _number(filing, session.ledger, session.locale)


def _number(filing: _Filing, ledger: ChangeLedger, locale: str, own: str = "") -> ChangeRequestSpec:
    """``filing`` with docflow's ids given to its numbered adds, against ``ledger``'s pending
    requests (``own``: the request being edited, whose ids do not count as taken)."""
    from docflow.changes.rules import next_requirement_id
    from docflow.spec.project import Requirement

    others = [c for c in ledger.changes if c.cr_id != own]
    held = ChangeLedger(ledger.project, ledger.baseline_rows, others, ledger.requirements_in_data)
    pending = held.pending(UNDECIDED)
    # An id once given to a requirement (of the baseline or of any request, whatever became
    # of it) is never given to another one: the log and old annexes keep naming it.
    taken = [r.id for r in held.baseline() or []]
    added_by: dict[str, str] = {}
    for change in others:
        for req in change.body.get("adds") or ():
            taken.append(str(req.get("id")))
            if change.status in UNDECIDED:
                added_by.setdefault(str(req.get("id")), change.cr_id)
    adds: list[Requirement] = []
    for index, req in enumerate(filing.spec.adds):
        if index in filing.numbered:
            new_id = next_requirement_id([*pending, *adds], req.type, also_taken=taken)
            req = req.model_copy(update={"id": new_id})
        elif req.id in added_by:
            raise Conflict(
                say(
                    locale,
                    f"需求 {req.id} 已由待决定的变更申请 {added_by[req.id]} 新增；请换一个编号",
                    f"requirement {req.id} is added by the pending change request "
                    f"{added_by[req.id]} already; give it another id",
                )
            )
        taken.append(req.id)
        adds.append(Requirement.model_validate(req.model_dump()))
    return filing.spec.model_copy(update={"adds": adds})


def require_allowed_state(session: Session, state: str | None = None) -> None:
    """A Conflict unless the workflow allows change requests in the project's state."""
    allowed = session.spec.change_control.allowed_in
    state = state or session.row.state
    if state not in allowed:
        raise Conflict(
            session.tell(
                f"状态 {state} 下不能提出变更申请（允许的状态：{'、'.join(allowed) or '无'}）",
                f"change requests are not allowed in state {state} "
                f"(allowed in: {', '.join(allowed) or 'none'})",
            )
        )


def _check(session: Session, spec: ChangeRequestSpec, ledger: ChangeLedger) -> None:
    """Refuse a request that cannot be filed: no description, unknown ids, bad instalment."""
    from docflow.changes.rules import validate_change

    problems = filing_problems(spec, session.locale)
    problems += [p for p in validate_change(spec, ledger.current()) if p.kind != "no_effect"]
    if problems:
        raise SpecError(problems)
    names = [pay.name for pay in session.data.contract.payments]
    if spec.payment is not None and spec.payment not in names:
        raise InvalidInput(
            say(
                session.locale,
                f"变更申请的付款期 {spec.payment!r} 不是 contract.payments 中的款项"
                f"（{'、'.join(names) or '无'}）",
                f"the change's payment {spec.payment!r} names no instalment of "
                f"contract.payments ({', '.join(names) or 'none'})",
            )
        )


def file_change(session: Session, request: ChangeRequest | ChangeRequestSpec) -> ChangeView:
    """Open change request CR-n (numbers are gapless, new ids unique, under concurrent use)."""
    require_allowed_state(session)
    spec = request if isinstance(request, ChangeRequestSpec) else None
    made = _Filing(spec) if spec is not None else _filing(session, request)  # type: ignore[arg-type]
    _check(session, _number(made, session.ledger, session.locale), session.ledger)
    # Filing renders nothing, so it locks without comparing versions: concurrent filers
    # queue, and one that a busy store turned away simply queues again.
    for _attempt in range(_RETRIES - 1):
        try:
            return _record(session, made)
        except ProjectChanged:
            continue
    return _record(session, made)


def _tx_ledger(session: Session, tx: WriteTx) -> ChangeLedger:
    """The ledger as the locked transaction reads it."""
    return ChangeLedger(session.code, tx.project.baseline, tx.changes(), session.data.requirements)


def _record(session: Session, filing: _Filing) -> ChangeView:
    from docflow.store.base import ChangeRow

    with session.store.write(session.code, None) as tx:
        require_allowed_state(session, tx.project.state)
        ledger = _tx_ledger(session, tx)
        spec = _number(filing, ledger, session.locale)
        _check(session, spec, ledger)
        number = tx.next_number("CR")
        cr_id = f"CR-{number}"
        body = spec.model_dump(mode="json")
        tx.add_change(
            ChangeRow(
                cr_id=cr_id,
                number=number,
                title=spec.title,
                reason=spec.reason,
                status="open",
                body=body,
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
            "change.requested", session.actor, {"change": cr_id, "title": spec.title, "body": body}
        )
    return change_view(session.refreshed(), cr_id)


# -- editing --------------------------------------------------------------------------------


def _edited(session: Session, old: ChangeRequestSpec, edit: ChangeEdit) -> _Filing:
    """The request after ``edit``, with the indexes of adds docflow numbers."""
    if edit.replace is not None:
        return _Filing(edit.replace)
    dropped = set(edit.drop)
    known = {r.id for r in old.adds} | {m.id for m in old.modifies} | set(old.removes)
    unknown = sorted(dropped - known)
    if unknown:
        raise InvalidInput(
            say(
                session.locale,
                f"要撤下的需求 {', '.join(unknown)}：该变更申请并未新增、修改或删除这些需求",
                f"cannot drop {', '.join(unknown)}: the request does not add, edit or remove them",
            )
        )
    body = old.model_dump(mode="json")
    body["adds"] = [r for r in body["adds"] if r["id"] not in dropped]
    kept = len(body["adds"])
    body["adds"] += [_requirement(session, new) for new in edit.adds]
    edits = {m["id"]: m for m in body["modifies"] if m["id"] not in dropped}
    for change in edit.modifies:
        edits[change.id] = {"id": change.id, **change.fields}
    body["modifies"] = list(edits.values())
    body["removes"] = [r for r in body["removes"] if r not in dropped] + [
        r for r in edit.removes if r not in body["removes"]
    ]
    for name in ("title", "reason", "days", "payment"):
        if getattr(edit, name) is not None:
            body[name] = getattr(edit, name)
    if edit.cost is not None:
        body["cost"] = str(edit.cost)
    if edit.risks is not None:
        body["risks"] = list(edit.risks)
    numbered = frozenset(range(kept, len(body["adds"])))
    return _Filing(_validated(body), numbered)


def _differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """Field -> {before, after} for every top-level field of the request that changed."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in dict.fromkeys([*before, *after])
        if before.get(key) != after.get(key)
    }


def edit_change(session: Session, cr_id: str, edit: ChangeEdit) -> ChangeView:
    """Change an open request before it is decided; the log records what changed."""
    for _attempt in range(_RETRIES - 1):
        try:
            return _edit_once(session, cr_id, edit)
        except ProjectChanged:
            continue
    return _edit_once(session, cr_id, edit)


def _edit_once(session: Session, cr_id: str, edit: ChangeEdit) -> ChangeView:
    session.ledger.find(cr_id)  # a clear error for an unknown id, before locking
    with session.store.write(session.code, None) as tx:
        ledger = _tx_ledger(session, tx)
        row: ChangeRow = ledger.find(cr_id)
        if row.status != "open":
            raise Conflict(
                say(
                    session.locale,
                    f"{cr_id} 的状态是 {row.status}；只有待决定的变更申请可以修改",
                    f"{cr_id} is {row.status}; only an open change request can be edited",
                )
            )
        old = ledger.spec_of(row)
        spec = _number(_edited(session, old, edit), ledger, session.locale, own=cr_id)
        _check(session, spec, _without(ledger, cr_id))
        before, after = old.model_dump(mode="json"), spec.model_dump(mode="json")
        changed = _differences(before, after)
        if not changed:
            raise InvalidInput(
                say(
                    session.locale,
                    f"这次修改没有改变 {cr_id} 的任何内容",
                    f"the edit changes nothing in {cr_id}",
                )
            )
        tx.update_change(cr_id, title=spec.title, reason=spec.reason, body=after)
        tx.append_event(
            "change.edited",
            session.actor,
            {"change": cr_id, "fields": sorted(changed), "changed": changed, "body": after},
        )
    return change_view(session.refreshed(), cr_id)


def _without(ledger: ChangeLedger, cr_id: str) -> ChangeLedger:
    others: Sequence[ChangeRow] = [c for c in ledger.changes if c.cr_id != cr_id]
    return ChangeLedger(ledger.project, ledger.baseline_rows, others, ledger.requirements_in_data)
