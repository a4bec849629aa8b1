"""Deemed confirmation (视为确认): when a document counts as confirmed by a party that has
neither signed nor objected within the working days its kind allows.

A document kind with ``deemed_confirmed: {working_days: N}`` gives the party (the client, by
default) until the N-th working day after the day a version was issued; the day after that,
the version counts as confirmed by the party, as of that deadline. This is a derivation from
the record and the date (``DOCFLOW_TODAY``), the same for every reader: ``status`` shows it,
guards rely on it, and the next command that writes to the project records it once, as the
party's confirmation (a signature row of method ``deemed`` plus a ``document.deemed_confirmed``
event; see :mod:`docflow.records.observe`). Reading never writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docflow.records.calendar import WorkCalendar
from docflow.runtime.clock import today
from docflow.runtime.result import Result

if TYPE_CHECKING:
    from docflow.records.journal import Objection
    from docflow.runtime.session import Session
    from docflow.store.base import DocumentRow

__all__ = [
    "DEEMED",
    "Confirmation",
    "calendar_of",
    "confirmation_of",
    "confirmations",
    "derived_deemed",
]

#: The signing method recorded for a deemed confirmation.
DEEMED = "deemed"


@dataclass(frozen=True)
class Confirmation(Result):
    """Where one document version stands with the party whose confirmation can be deemed.

    ``state``: ``awaiting`` (before the deadline), ``objected`` (the party objected in time:
    revise it), ``deemed`` (the deadline passed in silence; ``deemed_on`` is the deadline) or
    ``confirmed`` (the party signed). ``recorded`` tells whether a deemed confirmation is in
    the record already or will be written by the next command that writes.
    """

    document: str
    version: int
    title: str
    party: str
    issued_on: str
    working_days: int
    deadline: str
    state: str
    deemed_on: str | None
    recorded: bool
    objection: str | None
    objected_on: str | None


def calendar_of(session: Session) -> WorkCalendar:
    """The project's working-day calendar: the workflow's, plus project.yaml's days."""
    return WorkCalendar.of(session.spec.calendar, session.data.calendar)


def _objection(session: Session, doc: DocumentRow, party: str) -> Objection | None:
    found = [o for o in session.records.objections_on(doc.doc_id, doc.version) if o.party == party]
    return found[-1] if found else None


def confirmation_of(
    session: Session, doc: DocumentRow, on: dt.date | None = None
) -> Confirmation | None:
    """The confirmation state of one document version as of ``on`` (default today); None when
    its kind has no deemed confirmation or the version is no longer live."""
    kind = session.kind_of(doc)
    rule = kind.deemed_confirmed if kind is not None else None
    if rule is None or doc.status not in ("issued", "signed"):
        return None
    on = on or today()
    issued = dt.date.fromisoformat(doc.issued_on)
    deadline = calendar_of(session).add(issued, rule.working_days)
    signature = next((s for s in session.signatures_on(doc) if s.party == rule.party), None)
    objection = None
    deemed_on: str | None = None
    if signature is not None:
        state = DEEMED if signature.method == DEEMED else "confirmed"
        deemed_on = signature.signed_on if state == DEEMED else None
    else:
        objection = _objection(session, doc, rule.party)
        if objection is not None and objection.on <= deadline:
            state = "objected"
        elif on > deadline:
            state, deemed_on = DEEMED, deadline.isoformat()
        else:
            state = "awaiting"
    return Confirmation(
        document=doc.doc_id,
        version=doc.version,
        title=session.doc_title(doc.code),
        party=rule.party,
        issued_on=doc.issued_on,
        working_days=rule.working_days,
        deadline=deadline.isoformat(),
        state=state,
        deemed_on=deemed_on,
        recorded=signature is not None,
        objection=objection.reason if objection is not None else None,
        objected_on=objection.on.isoformat() if objection is not None else None,
    )


def _uses_deemed(session: Session) -> bool:
    return any(k.deemed_confirmed is not None for k in session.spec.documents.values())


def confirmations(session: Session) -> list[Confirmation]:
    """The confirmation state of the newest version of every document whose kind allows
    deemed confirmation, in issue order."""
    if not _uses_deemed(session):
        return []
    out = []
    for doc in session.documents:
        state = confirmation_of(session, doc)
        if state is not None:
            out.append(state)
    return out


def derived_deemed(session: Session) -> dict[tuple[str, int], frozenset[str]]:
    """Document versions that count as confirmed by a party today although the record does
    not say so yet: (doc_id, version) -> the parties."""
    if not _uses_deemed(session):
        return {}
    out: dict[tuple[str, int], frozenset[str]] = {}
    for doc in session.documents:
        kind = session.kind_of(doc)
        rule = kind.deemed_confirmed if kind is not None else None
        # Only what can still be deemed: a live version its party has not signed.
        if rule is None or doc.status != "issued":
            continue
        if any(s.party == rule.party for s in session.signatures_on(doc)):
            continue
        state = confirmation_of(session, doc)
        if state is not None and state.state == DEEMED:
            out[(doc.doc_id, doc.version)] = frozenset({rule.party})
    return out
