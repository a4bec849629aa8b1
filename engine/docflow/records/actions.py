"""Action items (待办事项) across all meetings: open, done, overdue.

An action item is numbered within its meeting's minutes: ``MM-1#2`` is the second item of
MM-1. It stays open until a later meeting's minutes list it under ``closes``; it is overdue
while open after its due date. Everything is read as of a date (default today), so that a
report on a past week says what was open then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from docflow.records.journal import MeetingRecord
from docflow.runtime.clock import today
from docflow.runtime.result import Result
from docflow.runtime.session import Session

__all__ = ["ActionItem", "action_items", "item_ref", "live_meetings"]


@dataclass(frozen=True)
class ActionItem(Result):
    """One action item and where it stands."""

    id: str
    meeting: str
    meeting_title: str
    meeting_date: str
    task: str
    party: str
    owner: str
    due: str
    status: str  # open | overdue | done
    closed_by: str | None
    closed_on: str | None
    days_overdue: int | None


def item_ref(doc_id: str, number: int) -> str:
    """The id of item ``number`` (1-based) of the minutes ``doc_id``: ``MM-1#2``."""
    return f"{doc_id}#{number}"


def live_meetings(session: Session) -> Iterator[MeetingRecord]:
    """The meetings whose minutes are live (not void), in the order they were recorded."""
    live = {d.doc_id for d in session.documents if d.status in ("issued", "signed")}
    for record in session.records.meetings.values():
        if record.doc_id in live:
            yield record


def action_items(session: Session, as_of: dt.date | None = None) -> list[ActionItem]:
    """Every action item of meetings held by ``as_of`` (default today), meeting by meeting."""
    on = as_of or today()
    meetings = [m for m in live_meetings(session) if m.minutes.date <= on]
    closed: dict[str, MeetingRecord] = {}
    for meeting in meetings:
        for ref in meeting.minutes.closes:
            closed.setdefault(ref, meeting)
    items = []
    for meeting in meetings:
        minutes = meeting.minutes
        for number, item in enumerate(minutes.action_items, start=1):
            ref = item_ref(meeting.doc_id, number)
            closer = closed.get(ref)
            late = (on - item.due).days if closer is None and item.due < on else None
            status = "done" if closer is not None else ("overdue" if late else "open")
            items.append(
                ActionItem(
                    id=ref,
                    meeting=meeting.doc_id,
                    meeting_title=minutes.title,
                    meeting_date=minutes.date.isoformat(),
                    task=item.task,
                    party=item.party,
                    owner=item.owner,
                    due=item.due.isoformat(),
                    status=status,
                    closed_by=closer.doc_id if closer is not None else None,
                    closed_on=closer.minutes.date.isoformat() if closer is not None else None,
                    days_overdue=late,
                )
            )
    return items
