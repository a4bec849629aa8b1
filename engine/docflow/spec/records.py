"""What a workflow says about the records kept along the way: the working-day calendar,
documents that count as confirmed when nobody objects in time (视为确认), and the client
satisfaction survey (客户满意度调查表).

The item kinds docflow keeps itself, beside change requests, are named here: ``meeting`` (a
document per meeting, e.g. minutes) and ``period`` (a document per reporting period, e.g. a
progress report). A document kind says ``per: meeting`` or ``per: period``; the commands
``docflow meeting`` and ``docflow report`` issue it. Cross-references are checked by
:func:`record_problems`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from docflow.spec.workflow import WorkflowSpec
    from docflow.spec.yamlio import PathKey

__all__ = [
    "KEPT_ITEMS",
    "MEETING_ITEMS",
    "PERIOD_ITEMS",
    "CalendarSpec",
    "DeemedConfirmation",
    "SatisfactionQuestion",
    "SatisfactionSpec",
    "record_problems",
]

#: A meeting, recorded by ``docflow meeting new``: documents ``per: meeting`` are its minutes.
MEETING_ITEMS = "meeting"
#: A reporting period, named by ``docflow report``: documents ``per: period`` report on it.
PERIOD_ITEMS = "period"
#: The item kinds docflow keeps in its store (change requests are the third).
KEPT_ITEMS = (MEETING_ITEMS, PERIOD_ITEMS)

_QUESTION_ID = r"^[a-z][a-z0-9_]*$"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class CalendarSpec(_Spec):
    """Which days are working days: every day but the weekend, less the holidays, plus the
    working days moved onto a weekend (调休, e.g. a Saturday worked before a long holiday)."""

    weekend: tuple[int, ...] = Field(
        default=(6, 7), description="ISO weekdays that are not worked: 1 Monday ... 7 Sunday"
    )
    holidays: tuple[dt.date, ...] = Field(default=(), description="public holidays")
    workdays: tuple[dt.date, ...] = Field(
        default=(), description="weekend days that are worked (adjusted working days)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> CalendarSpec:
        bad = [d for d in self.weekend if not 1 <= d <= 7]
        if bad:
            raise ValueError(f"weekend days are ISO weekdays 1 to 7, not {bad[0]}")
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            raise ValueError(f"{both[0].isoformat()} is listed both as a holiday and a workday")
        return self


class DeemedConfirmation(_Spec):
    """A document of this kind counts as confirmed by ``party`` when that party has neither
    signed nor objected within ``working_days`` working days after the day it was issued."""

    working_days: int = Field(ge=1, le=60)
    party: Literal["client", "vendor"] = "client"


class SatisfactionQuestion(_Spec):
    """One question of the satisfaction survey, answered with a score and a comment."""

    id: str = Field(pattern=_QUESTION_ID, description="the key answers are given under")
    text: dict[str, str] = Field(description="locale -> the question")


class SatisfactionSpec(_Spec):
    """The client satisfaction survey: the document that asks, its questions and the scale."""

    document: str = Field(pattern=r"^[A-Z][A-Z0-9]{0,7}$", description="the survey's code")
    scale: int = Field(default=5, ge=2, le=10, description="scores run from 1 to scale")
    questions: tuple[SatisfactionQuestion, ...] = Field(min_length=1)


def record_problems(spec: WorkflowSpec) -> list[tuple[PathKey, str]]:
    """Where the records part of ``spec`` does not fit the rest: per-meeting and per-period
    documents issued by a step or declared twice, deemed confirmation by a party that does not
    sign, an unknown survey document, questions without every locale's text."""
    out: list[tuple[PathKey, str]] = []
    for item in KEPT_ITEMS:
        codes = [code for code, doc in spec.documents.items() if doc.per == item]
        for code in codes[1:]:
            out.append(
                (
                    ("documents", code, "per"),
                    f"documents {codes[0]} and {code} are both per {item}; one kind per {item}",
                )
            )
    for index, transition in enumerate(spec.transitions):
        for j, code in enumerate(transition.emits):
            kind = spec.documents.get(code)
            if kind is not None and kind.per in KEPT_ITEMS:
                command = "docflow meeting new" if kind.per == MEETING_ITEMS else "docflow report"
                out.append(
                    (
                        ("transitions", index, "emits", j),
                        f"document {code} is issued per {kind.per}, by `{command}`; "
                        "a step cannot emit it",
                    )
                )
    annex = spec.change_control.annex_document
    for code, doc in spec.documents.items():
        deemed = doc.deemed_confirmed
        if deemed is None:
            continue
        if deemed.party not in doc.signers:
            out.append(
                (
                    ("documents", code, "deemed_confirmed", "party"),
                    f"document {code} is deemed confirmed by the {deemed.party}, "
                    f"who does not sign it (signers: {', '.join(doc.signers) or 'none'})",
                )
            )
        if code == annex and spec.change_control.allowed_in:
            out.append(
                (
                    ("documents", code, "deemed_confirmed"),
                    f"document {code} is the change annex: a change takes effect only when "
                    "both parties sign it, never by deemed confirmation",
                )
            )
    out.extend(_satisfaction_problems(spec))
    return out


def _satisfaction_problems(spec: WorkflowSpec) -> list[tuple[PathKey, str]]:
    survey = spec.satisfaction
    if survey is None:
        return []
    out: list[tuple[PathKey, str]] = []
    if survey.document not in spec.documents:
        out.append(
            (
                ("satisfaction", "document"),
                f"satisfaction.document '{survey.document}' is not a declared document",
            )
        )
    seen: set[str] = set()
    for index, question in enumerate(survey.questions):
        path: PathKey = ("satisfaction", "questions", index)
        if question.id in seen:
            out.append(((*path, "id"), f"question id '{question.id}' is used twice"))
        seen.add(question.id)
        missing = [locale for locale in spec.locales if not question.text.get(locale)]
        if missing:
            out.append(((*path, "text"), f"question has no text for {', '.join(missing)}"))
    return out
