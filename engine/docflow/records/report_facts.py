"""What a progress report says, worked out from the record: nothing in it is typed.

For a period (``from`` to ``to``, both included) and the day it is reported as of (the end of
the period, or the report's date when that comes first): the steps taken, documents issued
and signed, change requests filed, decided and made effective, meetings held and their
decisions, the action items open or closed then, the signatures awaited then and for how
long, the risks of project.yaml, the next steps with their blockers (as of the report's date)
and the satisfaction survey's result. Each event counts on the day it states: a step on its
date, a document on its issue date, a signature on its signing date, a meeting on the day it
was held; a change request's filing on the day it was filed.

Everything is plain JSON (dates as ISO text): the report's event records it as it was
reported, and the document is rendered from that record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from docflow.records.actions import action_items, live_meetings
from docflow.records.calendar import WorkCalendar
from docflow.records.confirm import calendar_of
from docflow.runtime.session import Session
from docflow.spec.records import PERIOD_ITEMS

__all__ = ["Period", "report_facts"]


@dataclass(frozen=True)
class Period:
    """A reporting period: its key (``2026-W15`` or ``2026-04-01..2026-04-30``) and days."""

    key: str
    start: dt.date
    end: dt.date
    week: str | None = None

    def holds(self, day: dt.date | str | None) -> bool:
        """Whether ``day`` falls within the period."""
        if day is None:
            return False
        if isinstance(day, str):
            day = dt.date.fromisoformat(day[:10])
        return self.start <= day <= self.end


def _state_title(session: Session, state: str) -> str:
    spec = session.spec.states.get(state)
    return spec.title.get(session.locale, state) if spec is not None else state


def _steps(session: Session, period: Period) -> list[dict[str, Any]]:
    titles = {t.trigger: t.title.get(session.locale, t.trigger) for t in session.spec.transitions}
    return [
        {
            "on": s.on.isoformat(),
            "trigger": s.trigger,
            "title": titles.get(s.trigger, s.trigger),
            "from": s.source,
            "to": s.dest,
            "from_title": _state_title(session, s.source),
            "to_title": _state_title(session, s.dest),
            "documents": list(s.documents),
        }
        for s in session.records.steps
        if period.holds(s.on)
    ]


def _reported(session: Session) -> set[str]:
    """Codes of report kinds: a report does not report on reports."""
    return {c for c, k in session.spec.documents.items() if k.per == PERIOD_ITEMS}


def _documents(session: Session, period: Period) -> tuple[list[Any], list[Any]]:
    skip = _reported(session)
    issued = [
        {"id": d.doc_id, "title": d.title, "version": d.version, "on": d.issued_on}
        for d in session.all_documents
        if d.code not in skip and period.holds(d.issued_on)
    ]
    titles = {(d.doc_id, d.version): d.title for d in session.all_documents}
    signed = [
        {
            "id": s.doc_id,
            "title": titles.get((s.doc_id, s.version), s.doc_id),
            "version": s.version,
            "party": s.party,
            "signer": s.signer,
            "method": s.method,
            "on": s.signed_on[:10],
        }
        for s in session.signatures
        if period.holds(s.signed_on)
    ]
    return issued, sorted(signed, key=lambda x: (x["on"], x["id"]))


def _changes(session: Session, period: Period) -> dict[str, Any]:
    ledger = session.ledger
    first_issue: dict[str, str] = {}
    for doc in session.all_documents:
        first_issue.setdefault(doc.doc_id, doc.issued_on)
    events = []
    for c in ledger.changes:
        dated = [("requested", c.requested_at[:10])]
        if c.status in ("approved", "effective") or (c.status == "withdrawn" and c.doc_id):
            dated.append(("approved", first_issue.get(c.doc_id or "", (c.decided_at or "")[:10])))
        if c.status in ("rejected", "withdrawn") and c.decided_at:
            dated.append((c.status, c.decided_at[:10]))
        if c.status == "effective" and c.doc_id:
            days = [s.signed_on[:10] for s in session.signatures if s.doc_id == c.doc_id]
            if days:
                dated.append(("effective", max(days)))
        for what, on in dated:
            if period.holds(on or None):
                events.append({"id": c.cr_id, "title": c.title, "event": what, "on": on})
    base = ledger.baseline()
    return {
        "ratio": ledger.ratio(),
        "baseline": len(base) if base is not None else None,
        "events": sorted(events, key=lambda e: (e["on"], e["id"])),
        "open": list(ledger.undecided()),
    }


def _meetings(session: Session, period: Period) -> list[dict[str, Any]]:
    out = []
    for meeting in live_meetings(session):
        minutes = meeting.minutes
        if not period.holds(minutes.date):
            continue
        out.append(
            {
                "id": meeting.doc_id,
                "title": minutes.title,
                "date": minutes.date.isoformat(),
                "place": minutes.place,
                "decisions": [{"text": d.text, "change": d.change} for d in minutes.decisions],
            }
        )
    return out


def _actions(session: Session, period: Period, as_of: dt.date) -> dict[str, Any]:
    items = action_items(session, as_of)
    open_items = [a.to_dict() for a in items if a.status != "done"]
    closed = [a.to_dict() for a in items if a.status == "done" and period.holds(a.closed_on)]
    overdue = [a for a in items if a.status == "overdue"]
    return {
        "open": open_items,
        "closed": closed,
        "overdue": {p: sum(a.party == p for a in overdue) for p in ("client", "vendor")},
    }


def _awaiting(session: Session, as_of: dt.date, calendar: WorkCalendar) -> list[Any]:
    """Signatures awaited as of ``as_of``: live versions then, parties not signed by then."""
    skip = _reported(session)
    latest: dict[str, Any] = {}
    for doc in session.all_documents:
        if doc.code not in skip and dt.date.fromisoformat(doc.issued_on) <= as_of:
            latest[doc.doc_id] = doc
    out = []
    for doc in latest.values():
        kind = session.kind_of(doc)
        if kind is None or doc.status == "void":
            continue
        issued = dt.date.fromisoformat(doc.issued_on)
        signed = {s.party for s in session.signatures_on(doc) if s.signed_on[:10] <= str(as_of)}
        rule = kind.deemed_confirmed
        deadline = calendar.add(issued, rule.working_days) if rule is not None else None
        for party in kind.signers:
            if party in signed:
                continue
            objected = any(
                o.party == party and o.on <= as_of
                for o in session.records.objections_on(doc.doc_id, doc.version)
            )
            deemed = rule is not None and deadline is not None and party == rule.party
            if deemed and not objected and deadline is not None and as_of > deadline:
                continue
            out.append(
                {
                    "id": doc.doc_id,
                    "title": doc.title,
                    "version": doc.version,
                    "party": party,
                    "issued_on": doc.issued_on,
                    "age_days": (as_of - issued).days,
                    "deadline": deadline.isoformat() if deemed and deadline else None,
                    "objected": objected,
                }
            )
    return out


_COMMAND = re.compile(r"\s*[：:]\s*docflow\s.*$", re.DOTALL)


def _for_client(message: str) -> str:
    """A blocker as the client reads it: what stands in the way, without the command a PM
    types to deal with it."""
    plain = _COMMAND.sub("", message).rstrip()
    if plain != message.rstrip() and plain and plain[-1] not in "。.；;":
        plain += "。" if re.search(r"[\u4e00-\u9fff]", plain) else "."
    return plain


def _next_steps(session: Session) -> list[dict[str, Any]]:
    from docflow.runtime.plan import plan

    return [
        {
            "trigger": step.trigger,
            "title": step.title,
            "ready": step.ready,
            "blockers": [_for_client(b.message) for b in step.blockers],
        }
        for step in plan(session)
    ]


def _satisfaction(session: Session, as_of: dt.date) -> dict[str, Any] | None:
    from docflow.records.satisfaction import survey_summary

    return survey_summary(session, as_of)


def _state_on(session: Session, as_of: dt.date) -> str:
    """The state the project was in on ``as_of``: a report on a past week tells where the
    project stood then, not where it stands on the day the report is issued."""
    state = session.spec.initial
    for step in session.records.steps:
        if step.on <= as_of:
            state = step.dest
    return state if state in session.spec.states else session.row.state


def report_facts(session: Session, period: Period, as_of: dt.date) -> dict[str, Any]:
    """Everything a report on ``period``, as of ``as_of``, says."""
    state = session.spec.states[_state_on(session, as_of)]
    issued, signed = _documents(session, period)
    return {
        "period": {
            "key": period.key,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "week": period.week,
            "as_of": as_of.isoformat(),
        },
        "state": {
            "id": state.id,
            "title": state.title.get(session.locale, state.id),
            "phase": state.phase,
        },
        "steps": _steps(session, period),
        "issued": issued,
        "signed": signed,
        "changes": _changes(session, period),
        "meetings": _meetings(session, period),
        "actions": _actions(session, period, as_of),
        "awaiting": _awaiting(session, as_of, calendar_of(session)),
        "risks": [r.model_dump(mode="json") for r in session.data.risks],
        "next": _next_steps(session),
        "satisfaction": _satisfaction(session, as_of),
    }
