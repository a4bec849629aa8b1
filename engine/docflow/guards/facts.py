"""What guards may know about the records kept along the way: which documents await a
confirmation (and since when they count as confirmed anyway), the action items of meetings,
and the satisfaction survey's result. The runtime fills them in; guards only read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["ActionFacts", "ConfirmFacts", "RecordFacts", "SurveyFacts"]


@dataclass(frozen=True)
class ConfirmFacts:
    """The newest live version of a document about a meeting, and whether it is confirmed."""

    id: str
    code: str
    title: str
    label: str  # what the document is about, e.g. "2026-04-09 需求评审会"
    phase: str  # the phase the project was in when it was recorded
    confirmed: bool  # signed by every signer, or deemed confirmed
    party: str  # whose confirmation it awaits
    deadline: dt.date | None = None  # the last day to object, when it can be deemed confirmed
    objected: bool = False


@dataclass(frozen=True)
class ActionFacts:
    """One action item of a meeting: what, whose, due when, and whether it is still open."""

    id: str
    task: str
    party: str
    owner: str
    due: dt.date
    open: bool


@dataclass(frozen=True)
class SurveyFacts:
    """The newest satisfaction survey and the answers returned for it."""

    id: str | None  # None while no survey has been issued
    title: str
    responses: int
    average: float | None


@dataclass(frozen=True)
class RecordFacts:
    """The records guards may read."""

    minutes: tuple[ConfirmFacts, ...] = ()
    actions: tuple[ActionFacts, ...] = ()
    survey: SurveyFacts | None = None
    today: dt.date | None = None
    phase: str = ""  # the phase the project is in now
