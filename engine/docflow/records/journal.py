"""The records of a project as its event log holds them: meetings (each version of their
minutes), objections, deemed confirmations, reports, survey answers and the steps taken.

The commands that make these records append one event each; :class:`Journal` reads them back
in order, so that a later event (a revised meeting, a new version of a report) supersedes an
earlier one. Event types and their data:

- ``meeting.recorded`` / ``meeting.revised``: ``document``, ``version``, ``minutes`` (the
  minutes file as checked), ``phase`` and ``state`` when recorded, ``reason`` of a revision;
- ``document.objected``: ``document``, ``version``, ``party``, ``reason``, ``on``;
- ``document.deemed_confirmed``: ``document``, ``version``, ``party``, ``deadline``;
- ``report.issued``: ``document``, ``version``, ``period``, ``report`` (the facts reported);
- ``satisfaction.recorded``: ``document``, ``respondent``, ``date``, ``answers``, ``comment``;
- ``step``: ``trigger``, ``from``, ``to``, ``documents``, ``on`` (the step's date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docflow.errors import IntegrityFailure

if TYPE_CHECKING:
    from docflow.spec.minutes import MinutesSpec
    from docflow.store.base import EventRow

__all__ = [
    "Answers",
    "Journal",
    "MeetingRecord",
    "Objection",
    "ReportRecord",
    "StepRecord",
    "event_day",
]

#: Every event type the records write.
RECORD_EVENTS = frozenset(
    {
        "meeting.recorded",
        "meeting.revised",
        "document.objected",
        "document.deemed_confirmed",
        "report.issued",
        "satisfaction.recorded",
    }
)


def event_day(event: EventRow) -> dt.date:
    """The day an event happened: the date it states (``on``), else the day it was written."""
    stated = event.data.get("on")
    if isinstance(stated, str):
        try:
            return dt.date.fromisoformat(stated)
        except ValueError:
            pass
    return dt.date.fromisoformat(event.at[:10])


@dataclass
class MeetingRecord:
    """One meeting: its minutes as they stand now, and when and in which phase it was recorded."""

    doc_id: str
    minutes: MinutesSpec
    phase: str
    state: str
    version: int
    seq: int
    revisions: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Objection:
    """A party's objection to one version of a document."""

    doc_id: str
    version: int
    party: str
    reason: str
    on: dt.date
    actor: str


@dataclass(frozen=True)
class ReportRecord:
    """One version of a report about a period, with the facts it reported."""

    doc_id: str
    version: int
    period: str
    facts: Mapping[str, Any]


@dataclass(frozen=True)
class Answers:
    """One returned satisfaction survey."""

    doc_id: str
    respondent: Mapping[str, str]
    date: dt.date
    answers: Mapping[str, Mapping[str, Any]]
    comment: str


@dataclass(frozen=True)
class StepRecord:
    """A step taken: when, which, from where to where, and the documents it issued."""

    on: dt.date
    trigger: str
    source: str
    dest: str
    documents: tuple[str, ...]
    actor: str


class Journal:
    """Every record of a project, read from its events in order."""

    def __init__(self) -> None:
        self.meetings: dict[str, MeetingRecord] = {}
        self.objections: list[Objection] = []
        self.deemed: set[tuple[str, int]] = set()
        self.reports: dict[str, ReportRecord] = {}
        self.answers: list[Answers] = []
        self.steps: list[StepRecord] = []

    @classmethod
    def read(cls, events: Sequence[EventRow]) -> Journal:
        """The journal of these events (oldest first)."""
        journal = cls()
        for event in events:
            try:
                journal._apply(event)
            except (KeyError, TypeError, ValueError) as exc:
                raise IntegrityFailure(
                    f"event {event.seq} ({event.type}) does not hold a record docflow can read: "
                    f"{exc}"
                ) from exc
        return journal

    def _apply(self, event: EventRow) -> None:
        data = event.data
        if event.type == "step":
            self.steps.append(
                StepRecord(
                    event_day(event),
                    data["trigger"],
                    data["from"],
                    data["to"],
                    tuple(d["id"] for d in data.get("documents", [])),
                    event.actor,
                )
            )
        elif event.type in ("meeting.recorded", "meeting.revised"):
            self._meeting(event)
        elif event.type == "document.objected":
            self.objections.append(
                Objection(
                    data["document"],
                    int(data["version"]),
                    data["party"],
                    data["reason"],
                    dt.date.fromisoformat(data["on"]),
                    event.actor,
                )
            )
        elif event.type == "document.deemed_confirmed":
            self.deemed.add((data["document"], int(data["version"])))
        elif event.type == "report.issued":
            self.reports[data["period"]] = ReportRecord(
                data["document"], int(data["version"]), data["period"], data["report"]
            )
        elif event.type == "satisfaction.recorded":
            self.answers.append(
                Answers(
                    data["document"],
                    data["respondent"],
                    dt.date.fromisoformat(data["date"]),
                    data["answers"],
                    data.get("comment", ""),
                )
            )

    def _meeting(self, event: EventRow) -> None:
        from docflow.spec.minutes import MinutesSpec

        data = event.data
        doc_id = data["document"]
        minutes = MinutesSpec.model_validate(data["minutes"])
        earlier = self.meetings.get(doc_id)
        if earlier is None:
            self.meetings[doc_id] = MeetingRecord(
                doc_id, minutes, data["phase"], data["state"], int(data["version"]), event.seq
            )
            return
        earlier.revisions.append(
            {"version": int(data["version"]), "reason": data.get("reason"), "seq": event.seq}
        )
        earlier.minutes = minutes
        earlier.version = int(data["version"])

    def objections_on(self, doc_id: str, version: int) -> list[Objection]:
        """The objections to one version of a document, oldest first."""
        return [o for o in self.objections if (o.doc_id, o.version) == (doc_id, version)]

    def objections_to(self, doc_id: str) -> list[Objection]:
        """Every objection to any version of a document, oldest first."""
        return [o for o in self.objections if o.doc_id == doc_id]

    def report_of(self, doc_id: str) -> ReportRecord | None:
        """The newest report record issued as ``doc_id``."""
        return next((r for r in self.reports.values() if r.doc_id == doc_id), None)

    def answers_to(self, doc_id: str) -> list[Answers]:
        """The returned surveys answering ``doc_id``."""
        return [a for a in self.answers if a.doc_id == doc_id]
