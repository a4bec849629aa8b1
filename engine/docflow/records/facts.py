"""The records guards read (:class:`docflow.guards.facts.RecordFacts`), built from a session.

The event log is read only when the project holds a document about a meeting or a survey:
a project that never recorded either pays nothing for these guards.
"""

from __future__ import annotations

import datetime as dt

from docflow.guards.facts import ActionFacts, ConfirmFacts, RecordFacts, SurveyFacts
from docflow.records.actions import action_items, live_meetings
from docflow.records.confirm import confirmation_of
from docflow.runtime.clock import today
from docflow.runtime.session import Session
from docflow.spec.records import MEETING_ITEMS

__all__ = ["record_facts", "survey_result"]


def survey_result(session: Session) -> SurveyFacts | None:
    """The newest live survey and its answers; None when the workflow has no survey."""
    survey = session.spec.satisfaction
    if survey is None:
        return None
    title = session.doc_title(survey.document)
    issued = [d for d in session.documents if d.code == survey.document and d.status != "void"]
    if not issued:
        return SurveyFacts(None, title, 0, None)
    doc = issued[-1]
    answers = session.records.answers_to(doc.doc_id)
    scores = [int(a["score"]) for r in answers for a in r.answers.values()]
    average = round(sum(scores) / len(scores), 2) if scores else None
    return SurveyFacts(doc.doc_id, title, len(answers), average)


def _minutes(session: Session) -> tuple[ConfirmFacts, ...]:
    codes = {c for c, k in session.spec.documents.items() if k.per == MEETING_ITEMS}
    out = []
    rows = {d.doc_id: d for d in session.documents}
    for meeting in live_meetings(session):
        doc = rows[meeting.doc_id]
        if doc.code not in codes:
            continue
        kind = session.kind_of(doc)
        signers = tuple(kind.signers) if kind is not None else ()
        state = confirmation_of(session, doc)
        party = state.party if state is not None else (signers[0] if signers else "client")
        minutes = meeting.minutes
        out.append(
            ConfirmFacts(
                id=doc.doc_id,
                code=doc.code,
                title=session.doc_title(doc.code),
                label=f"{minutes.date.isoformat()} {minutes.title}",
                phase=meeting.phase,
                confirmed=set(signers) <= session.signed_by(doc),
                party=party,
                deadline=dt.date.fromisoformat(state.deadline) if state is not None else None,
                objected=state is not None and state.state == "objected",
            )
        )
    return tuple(out)


def record_facts(session: Session) -> RecordFacts:
    """What guards may know about meetings, action items and the survey today."""
    phase = session.spec.states[session.row.state].phase
    kept = {c for c, k in session.spec.documents.items() if k.per == MEETING_ITEMS}
    if session.spec.satisfaction is not None:
        kept.add(session.spec.satisfaction.document)
    if not any(d.code in kept for d in session.documents):
        # Nothing recorded yet has a date to compare with: today is not asked for, so a
        # project without records reads as it did before (and a bad DOCFLOW_TODAY is moot).
        return RecordFacts(survey=survey_result(session), today=None, phase=phase)
    actions = tuple(
        ActionFacts(
            id=a.id,
            task=a.task,
            party=a.party,
            owner=a.owner,
            due=dt.date.fromisoformat(a.due),
            open=a.status != "done",
        )
        for a in action_items(session)
    )
    return RecordFacts(
        minutes=_minutes(session),
        actions=actions,
        survey=survey_result(session),
        today=today(),
        phase=phase,
    )
