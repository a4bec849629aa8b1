"""Minutes checked against the record: the change requests their decisions name, the earlier
action items they close, and dates that follow one another. Every problem names its line.

What this does not catch: a decision that changes the requirements without saying so
(``changes_requirements`` is the PM's word; nothing reads the decision's text), and a closed
item that was not really done (the client's confirmation of the minutes is the check).
"""

from __future__ import annotations

import datetime as dt

from docflow.errors import Problem, SpecError
from docflow.records.actions import item_ref, live_meetings
from docflow.runtime.session import Session
from docflow.spec.minutes import MinutesSpec, RecordFile

__all__ = ["check_minutes"]


def _change_problems(session: Session, minutes: RecordFile[MinutesSpec]) -> list[Problem]:
    changes = {c.cr_id for c in session.ledger.changes}
    frozen = session.ledger.baseline() is not None
    out = []
    for index, decision in enumerate(minutes.spec.decisions):
        path = ("decisions", index)
        if decision.change is not None and decision.change not in changes:
            known = ", ".join(sorted(changes)) or "none yet"
            out.append(
                minutes.problem(
                    (*path, "change"),
                    f"names change request {decision.change}, which project {session.code} "
                    f"does not have (change requests: {known})",
                )
            )
        elif decision.changes_requirements and decision.change is None and frozen:
            out.append(
                minutes.problem(
                    (*path, "changes_requirements"),
                    "a decision that changes the confirmed requirements names the change "
                    "request that carries it: file one (docflow change new), then give "
                    "change: CR-n; minutes never change the requirement baseline themselves",
                )
            )
    return out


def _close_problems(
    session: Session, minutes: RecordFile[MinutesSpec], doc_id: str
) -> list[Problem]:
    meetings = {m.doc_id: m for m in live_meetings(session)}
    closed_elsewhere = {
        ref: m.doc_id for m in meetings.values() if m.doc_id != doc_id for ref in m.minutes.closes
    }
    seen: set[str] = set()
    out = []
    for index, ref in enumerate(minutes.spec.closes):
        path = ("closes", index)
        source, _, number = ref.partition("#")
        earlier = meetings.get(source)
        if ref in seen:
            out.append(minutes.problem(path, f"{ref} is listed twice"))
        elif source == doc_id:
            out.append(minutes.problem(path, f"{ref} is an item of these minutes themselves"))
        elif earlier is None:
            known = ", ".join(meetings) or "none yet"
            out.append(minutes.problem(path, f"{ref}: no meeting {source} (meetings: {known})"))
        elif int(number) > len(earlier.minutes.action_items):
            count = len(earlier.minutes.action_items)
            out.append(minutes.problem(path, f"{ref}: {source} has {count} action item(s)"))
        elif ref in closed_elsewhere:
            out.append(
                minutes.problem(path, f"{ref} was closed already by {closed_elsewhere[ref]}")
            )
        elif earlier.minutes.date > minutes.spec.date:
            out.append(
                minutes.problem(
                    path,
                    f"{ref} comes from the meeting of {earlier.minutes.date.isoformat()}, "
                    f"after this one ({minutes.spec.date.isoformat()})",
                )
            )
        seen.add(ref)
    return out


def _kept_items(session: Session, minutes: RecordFile[MinutesSpec], doc_id: str) -> list[Problem]:
    """A revision keeps every item another meeting closed already."""
    count = len(minutes.spec.action_items)
    out = []
    for meeting in live_meetings(session):
        for ref in meeting.minutes.closes:
            source, _, number = ref.partition("#")
            if source == doc_id and meeting.doc_id != doc_id and int(number) > count:
                out.append(
                    minutes.problem(
                        ("action_items",),
                        f"{ref} was closed by {meeting.doc_id}; the revised minutes must keep it",
                    )
                )
    return out


def check_minutes(
    session: Session,
    minutes: RecordFile[MinutesSpec],
    doc_id: str,
    issued_on: dt.date,
) -> None:
    """Raise one SpecError (exit 4) with every problem of ``minutes`` issued as ``doc_id``."""
    spec = minutes.spec
    problems: list[Problem] = []
    if spec.date > issued_on:
        problems.append(
            minutes.problem(
                ("date",),
                f"the meeting of {spec.date.isoformat()} is after the minutes' date "
                f"{issued_on.isoformat()}; minutes record a meeting that took place",
            )
        )
    for index, item in enumerate(spec.action_items):
        if item.due < spec.date:
            problems.append(
                minutes.problem(
                    ("action_items", index, "due"),
                    f"{item_ref(doc_id, index + 1)} is due on {item.due.isoformat()}, before "
                    f"the meeting ({spec.date.isoformat()})",
                )
            )
    problems += _change_problems(session, minutes)
    problems += _close_problems(session, minutes, doc_id)
    problems += _kept_items(session, minutes, doc_id)
    if problems:
        raise SpecError(sorted(problems, key=lambda p: p.line or 0))
