"""What the records look like to their readers: a meeting with its minutes' state, and the
records part of ``status`` (deadlines, deemed confirmations, overdue action items, survey).

JSON keys relied upon: meeting -> ``id``, ``version``, ``title``, ``date``, ``phase``,
``status``, ``confirmation`` (``state``, ``deadline``, ``deemed_on``...), ``decisions[]``,
``action_items[]`` (``id``, ``status``, ``due``...), ``closes[]``, ``document``; status ->
``records.confirmations[]``, ``records.actions.open``, ``records.actions.overdue.client|vendor``,
``records.satisfaction``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docflow.records.actions import ActionItem, action_items
from docflow.records.confirm import Confirmation, confirmation_of, confirmations
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.views.documents import DocumentView, document_view

__all__ = ["ActionSummary", "MeetingView", "RecordsSummary", "meeting_view", "records_summary"]


@dataclass(frozen=True)
class MeetingView(Result):
    """One meeting: what its minutes record, and where their confirmation stands."""

    id: str
    version: int
    title: str
    date: str
    place: str
    phase: str
    status: str
    confirmation: Confirmation | None
    awaiting: tuple[str, ...]
    decisions: tuple[Mapping[str, Any], ...]
    action_items: tuple[ActionItem, ...]
    closes: tuple[str, ...]
    objections: tuple[Mapping[str, Any], ...]
    document: DocumentView


def meeting_view(
    session: Session, doc_id: str, items: Sequence[ActionItem] | None = None
) -> MeetingView:
    """The view of the meeting whose minutes are ``doc_id``."""
    record = session.records.meetings[doc_id]
    doc = session.find_document(doc_id)
    doc_view = document_view(session, doc)
    minutes = record.minutes
    every = action_items(session) if items is None else items
    return MeetingView(
        id=doc_id,
        version=doc.version,
        title=minutes.title,
        date=minutes.date.isoformat(),
        place=minutes.place,
        phase=record.phase,
        status=doc.status,
        confirmation=confirmation_of(session, doc),
        awaiting=tuple(p for p in doc_view.signers if p not in session.signed_by(doc))
        if doc.status == "issued"
        else (),
        decisions=tuple(
            {"text": d.text, "change": d.change, "changes_requirements": d.changes_requirements}
            for d in minutes.decisions
        ),
        action_items=tuple(a for a in every if a.meeting == doc_id),
        closes=tuple(minutes.closes),
        objections=tuple(
            {"version": o.version, "party": o.party, "reason": o.reason, "on": o.on.isoformat()}
            for o in session.records.objections_to(doc_id)
        ),
        document=doc_view,
    )


@dataclass(frozen=True)
class ActionSummary(Result):
    """Action items at a glance: how many are open, and the overdue ones per party."""

    open: int
    overdue: Mapping[str, int]
    overdue_items: tuple[str, ...]


@dataclass(frozen=True)
class RecordsSummary(Result):
    """The records part of ``status``."""

    confirmations: tuple[Confirmation, ...]
    actions: ActionSummary
    meetings: int
    satisfaction: Mapping[str, Any] | None


def records_summary(session: Session) -> RecordsSummary:
    """Deadlines and deemed confirmations, overdue action items, the survey's result."""
    facts = session.record_facts
    items = action_items(session) if facts.minutes else []
    overdue = [a for a in items if a.status == "overdue"]
    survey = facts.survey
    return RecordsSummary(
        confirmations=tuple(c for c in confirmations(session) if c.state != "confirmed"),
        actions=ActionSummary(
            open=sum(a.status != "done" for a in items),
            overdue={p: sum(a.party == p for a in overdue) for p in ("client", "vendor")},
            overdue_items=tuple(a.id for a in overdue),
        ),
        meetings=len(facts.minutes),
        satisfaction=(
            {
                "document": survey.id,
                "responses": survey.responses,
                "average": survey.average,
            }
            if survey is not None and survey.id is not None
            else None
        ),
    )
