"""Meetings: recording one (its minutes issued for the client's confirmation), revising its
minutes as a new version, and the data its minutes are rendered from.

A meeting is an item docflow keeps in its event log; the workflow's document kind declared
``per: meeting`` is its minutes, numbered like any document (MM-1, MM-2...), and the
meeting is known by that number: ``meeting:MM-2``. Recording checks the minutes against the
record (change requests, earlier action items), issues the document and appends
``meeting.recorded`` in one transaction. A client who objects (``docflow object``) is answered
by a revision: the corrected minutes are recorded (``meeting.revised``) and issued as the
next version, which supersedes the objected one and gives the client a new deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from docflow.documents.identity import DocId
from docflow.documents.subjects import Subject
from docflow.errors import Conflict, InvalidInput
from docflow.records.actions import action_items, item_ref, live_meetings
from docflow.records.journal import MeetingRecord
from docflow.records.minutes_check import check_minutes
from docflow.records.views import MeetingView, meeting_view
from docflow.runtime.clock import today
from docflow.runtime.session import Session
from docflow.spec.minutes import Attendee, MinutesSpec, RecordFile
from docflow.spec.records import MEETING_ITEMS

if TYPE_CHECKING:
    from docflow.documents.worker import RenderWorker
    from docflow.store.base import DocumentRow, WriteTx

__all__ = [
    "meeting_code",
    "meeting_subject",
    "meetings",
    "record_meeting",
    "revise_meeting",
    "subject_of_record",
]


def meeting_code(session: Session) -> str:
    """The code of the workflow's document kind per meeting (its minutes)."""
    for code, kind in session.spec.documents.items():
        if kind.per == MEETING_ITEMS:
            return code
    raise InvalidInput(
        f"workflow {session.spec.name} has no document kind per meeting "
        "(a document kind with per: meeting); it records no meetings"
    )


def _people(entries: list[Attendee | str]) -> list[dict[str, str]]:
    return [
        {"name": e, "role": ""} if isinstance(e, str) else {"name": e.name, "role": e.role}
        for e in entries
    ]


def _closed(session: Session, refs: list[str]) -> list[dict[str, Any]]:
    """The earlier items ``refs`` names, as their meetings recorded them."""
    out = []
    meetings = session.records.meetings
    for ref in refs:
        source, _, number = ref.partition("#")
        earlier = meetings.get(source)
        if earlier is None or int(number) > len(earlier.minutes.action_items):
            continue
        item = earlier.minutes.action_items[int(number) - 1]
        out.append(
            {
                "id": ref,
                "task": item.task,
                "party": item.party,
                "owner": item.owner,
                "due": item.due,
                "meeting": source,
                "meeting_date": earlier.minutes.date,
            }
        )
    return out


def meeting_subject(
    session: Session,
    doc_id: str,
    minutes: MinutesSpec,
    state_id: str,
    revision: dict[str, Any] | None = None,
) -> Subject:
    """The subject of the minutes ``doc_id`` of a meeting recorded in state ``state_id``: the
    meeting as its template reads it."""
    changes = {c.cr_id: c for c in session.ledger.changes}
    kind = session.spec.documents[DocId.parse(doc_id).code]
    rule = kind.deemed_confirmed
    state = session.spec.states.get(state_id)
    data = {
        "id": doc_id,
        "title": minutes.title,
        "date": minutes.date,
        "time": minutes.time,
        "place": minutes.place,
        "chair": minutes.chair,
        "recorder": minutes.recorder,
        "participants": {
            side: _people(getattr(minutes.participants, side))
            for side in ("client", "vendor", "others")
        },
        "topics": list(minutes.topics),
        "decisions": [
            {
                "text": d.text,
                "changes_requirements": d.changes_requirements or d.change is not None,
                "change": d.change,
                "change_title": changes[d.change].title if d.change in changes else None,
            }
            for d in minutes.decisions
        ],
        "action_items": [
            {
                "id": item_ref(doc_id, n),
                "task": a.task,
                "party": a.party,
                "owner": a.owner,
                "due": a.due,
            }
            for n, a in enumerate(minutes.action_items, start=1)
        ],
        "closes": _closed(session, list(minutes.closes)),
        "notes": minutes.notes,
        "phase": state.phase if state is not None else "",
        "state_title": state.title.get(session.locale, "") if state is not None else "",
        "confirmation": (
            {"party": rule.party, "working_days": rule.working_days} if rule is not None else None
        ),
        "revision": revision,
    }
    return Subject(MEETING_ITEMS, doc_id, data)


def subject_of_record(session: Session, record: MeetingRecord) -> Subject:
    """The subject of a recorded meeting, as its minutes stand now (for re-rendering)."""
    return meeting_subject(
        session, record.doc_id, record.minutes, record.state, _revision(session, record)
    )


def _revision(session: Session, record: MeetingRecord) -> dict[str, Any] | None:
    if not record.revisions:
        return None
    last = record.revisions[-1]
    objections = session.records.objections_on(record.doc_id, last["version"] - 1)
    objection = objections[-1] if objections else None
    return {
        "version": last["version"],
        "reason": last["reason"] or (objection.reason if objection else ""),
        "objected_on": objection.on if objection else None,
        "objected_by": objection.party if objection else None,
    }


def _refuse_duplicate(session: Session, spec: MinutesSpec) -> None:
    """The same meeting (date and title) recorded twice, e.g. a command run again after a
    timeout, would ask the client to confirm two minutes of one meeting."""
    for record in live_meetings(session):
        if (record.minutes.date, record.minutes.title) == (spec.date, spec.title):
            raise Conflict(
                f"the meeting '{spec.title}' of {spec.date.isoformat()} is recorded already as "
                f"{record.doc_id}; to correct its minutes: docflow meeting edit {record.doc_id} "
                "--file F"
            )


def record_meeting(
    session: Session,
    minutes: RecordFile[MinutesSpec],
    date: dt.date | None = None,
    worker: RenderWorker | None = None,
) -> MeetingView:
    """Record a meeting and issue its minutes MM-n (dated ``date``, default today) for the
    client's confirmation; SpecError (exit 4, nothing recorded) when the minutes do not fit
    the record."""
    from docflow.documents.issuing import (
        Issue,
        issue_documents,
        next_doc_number,
        plan_documents,
        record_data,
    )

    code = meeting_code(session)
    issued_on = date or today()
    doc_id = str(DocId(code, next_doc_number(session, code)))
    check_minutes(session, minutes, doc_id, issued_on)
    _refuse_duplicate(session, minutes.spec)
    phase = session.spec.states[session.row.state].phase
    state = session.row.state
    subject = meeting_subject(session, doc_id, minutes.spec, state)
    jobs = plan_documents(session, [Issue(code, subject)], issued_on)

    def record(tx: WriteTx, rows: list[DocumentRow]) -> None:
        [row] = rows
        tx.append_event(
            "meeting.recorded",
            session.actor,
            {
                "document": row.doc_id,
                "version": row.version,
                "minutes": minutes.spec.model_dump(mode="json"),
                "phase": phase,
                "state": state,
                "on": issued_on.isoformat(),
                "file": minutes.file,
                "data_sha256": record_data(tx, session),
            },
        )

    issue_documents(session, jobs, record, worker=worker)
    return meeting_view(session.refreshed(), doc_id)


def revise_meeting(
    session: Session,
    doc_id: str,
    minutes: RecordFile[MinutesSpec],
    reason: str | None = None,
    date: dt.date | None = None,
    worker: RenderWorker | None = None,
) -> MeetingView:
    """Record corrected minutes of meeting ``doc_id`` and issue them as its next version;
    refused (Conflict) once the minutes are confirmed, signed or deemed."""
    from docflow.documents.issuing import issue_documents, record_data
    from docflow.documents.jobs import job_for, make_meta

    doc = session.find_document(doc_id)
    record = session.records.meetings.get(doc_id)
    if record is None:
        raise InvalidInput(f"{doc_id} is not the minutes of a recorded meeting")
    kind = session.kind_of(doc)
    signers = set(kind.signers) if kind is not None else set()
    confirmed = session.signed_by(doc)
    if doc.status != "issued":
        raise Conflict(f"{doc_id} v{doc.version} is {doc.status}; it cannot be revised")
    if signers and signers <= confirmed:
        raise Conflict(
            f"{doc_id} v{doc.version} is confirmed ({', '.join(sorted(confirmed))}); confirmed "
            "minutes are not revised: record what changed in the next meeting's minutes"
        )
    issued_on = date or today()
    if issued_on < dt.date.fromisoformat(doc.issued_on):
        raise InvalidInput(
            f"the revision's date {issued_on.isoformat()} is before {doc_id} v{doc.version} "
            f"was issued ({doc.issued_on})"
        )
    check_minutes(session, minutes, doc_id, issued_on)
    version = doc.version + 1
    revision = {"version": version, "reason": reason or "", "objected_on": None}
    objections = session.records.objections_on(doc_id, doc.version)
    if objections:
        last = objections[-1]
        revision |= {"objected_on": last.on, "objected_by": last.party}
        revision["reason"] = reason or last.reason
    else:
        revision["objected_by"] = None
    subject = meeting_subject(session, doc_id, minutes.spec, record.state, revision)
    meta = make_meta(session, DocId.parse(doc_id), version, doc.annex, issued_on, subject)
    from docflow.documents.context import build_context

    job = job_for(session, meta, build_context(session, subject))

    def write(tx: WriteTx, rows: list[DocumentRow]) -> None:
        tx.set_document_status(doc.doc_id, doc.version, "superseded")
        tx.append_event(
            "meeting.revised",
            session.actor,
            {
                "document": doc_id,
                "version": version,
                "supersedes": doc.version,
                "minutes": minutes.spec.model_dump(mode="json"),
                "reason": revision["reason"],
                "on": issued_on.isoformat(),
                "file": minutes.file,
                "data_sha256": record_data(tx, session),
            },
        )

    issue_documents(session, [job], write, worker=worker)
    return meeting_view(session.refreshed(), doc_id)


def meetings(session: Session) -> list[MeetingView]:
    """Every recorded meeting, in the order recorded."""
    items = action_items(session)
    return [meeting_view(session, m.doc_id, items) for m in session.records.meetings.values()]
