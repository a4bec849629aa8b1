"""The files a PM hands in about contacts with the client: meeting minutes and the answers of
the satisfaction survey, with the loader that locates every problem by file and line.

A minutes file (``docflow meeting new --file``, schemas/minutes.schema.json) records one
meeting: when and where, who of each side took part, the topics, the decisions and the action
items (task, party, owner, due date); ``closes`` lists earlier action items the meeting found
done (``MM-1#2``: item 2 of MM-1). A scores file (``docflow satisfaction record --file``,
schemas/satisfaction.schema.json) holds one returned survey: who answered, when, and a score
with a comment per question. What the record must agree with (change requests, earlier
items, the workflow's questions) is checked by :mod:`docflow.records`, with these lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from docflow.errors import Problem, SpecError
from docflow.spec.loader import validation_problems
from docflow.spec.yamlio import LineMap, PathKey, decode_utf8, parse_yaml

__all__ = [
    "ActionItemSpec",
    "Answer",
    "Attendee",
    "DecisionSpec",
    "MinutesSpec",
    "Participants",
    "RecordFile",
    "Respondent",
    "ScoresSpec",
    "parse_record_file",
    "parse_record_text",
]

ITEM_REF = r"^[A-Z][A-Z0-9]{0,7}-[1-9][0-9]*#[1-9][0-9]*$"
CHANGE_REF = r"^CR-[1-9][0-9]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Attendee(_Model):
    """One person at a meeting (a plain name is accepted too)."""

    name: str = Field(min_length=1)
    role: str = Field(default="", description="title or department")


class Participants(_Model):
    """Who took part, each side by name (and role)."""

    client: list[Attendee | str] = Field(min_length=1)
    vendor: list[Attendee | str] = Field(min_length=1)
    others: list[Attendee | str] = Field(default=[], description="neither party's staff")


class DecisionSpec(_Model):
    """One decision of the meeting. A decision that changes the requirements names the change
    request that carries it once the requirement baseline is frozen: minutes never change
    the baseline themselves."""

    text: str = Field(min_length=1)
    changes_requirements: bool = False
    change: str | None = Field(default=None, pattern=CHANGE_REF, description="e.g. CR-2")


class ActionItemSpec(_Model):
    """Something one party promised to do, by whom and by when."""

    task: str = Field(min_length=1)
    party: Literal["client", "vendor"]
    owner: str = Field(min_length=1)
    due: dt.date


class MinutesSpec(_Model):
    """One meeting with the client (会议纪要)."""

    title: str = Field(min_length=1, description="e.g. 需求调研启动会")
    date: dt.date
    time: str = Field(default="", description="e.g. 09:30-11:30")
    place: str = ""
    chair: str = Field(default="", description="who chaired the meeting")
    recorder: str = Field(default="", description="who wrote the minutes")
    participants: Participants
    topics: list[str] = Field(min_length=1)
    decisions: list[DecisionSpec] = []
    action_items: list[ActionItemSpec] = []
    closes: list[Annotated[str, Field(pattern=ITEM_REF)]] = Field(
        default=[], description="earlier action items found done, e.g. MM-1#2"
    )
    notes: str = ""


class Answer(_Model):
    """A score for one question, and what the client wrote beside it."""

    # Strict: YAML's ``true`` or ``"4"`` is no score (lax ints would take them as 1 and 4).
    score: StrictInt
    comment: str = ""


class Respondent(_Model):
    """Who filled in the survey for the client."""

    name: str = Field(min_length=1)
    role: str = ""


class ScoresSpec(_Model):
    """One returned satisfaction survey: the answers per question id of the workflow."""

    document: str | None = Field(
        default=None,
        pattern=r"^[A-Z][A-Z0-9]{0,7}-[1-9][0-9]*$",
        description="the survey answered (default: the newest one issued)",
    )
    respondent: Respondent | str
    date: dt.date | None = Field(
        default=None, description="the day the answers were returned (default: today)"
    )
    answers: dict[str, Answer | StrictInt] = Field(
        min_length=1, description="question id -> a score, or {score, comment}"
    )
    comment: str = Field(default="", description="the client's overall comment")


Spec = TypeVar("Spec", MinutesSpec, ScoresSpec)


@dataclass(frozen=True)
class RecordFile(Generic[Spec]):
    """A parsed file and where each of its fields was written, for later checks' messages."""

    spec: Spec
    file: str
    lines: LineMap

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the file and its content as checked."""
        return {"file": self.file, "content": self.spec.model_dump(mode="json")}

    def problem(self, path: PathKey, message: str) -> Problem:
        """A problem at ``path`` of this file, located by its line."""
        from docflow.spec.yamlio import format_path

        return Problem(
            message, file=self.file, line=self.lines.find(path), path=format_path(path) or None
        )


def parse_record_text(model: type[Spec], text: str, file: str) -> RecordFile[Spec]:
    """Parse and validate ``text`` as ``model``; every problem (with its line) in one SpecError."""
    data, lines, problems = parse_yaml(text, file)
    what = "meeting minutes" if model is MinutesSpec else "survey answers"
    if data is not None and not isinstance(data, dict):
        raise SpecError([Problem(f"{what} must be a YAML mapping", file, 1)])
    try:
        spec = model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        problems += validation_problems(exc, model, lines, file)
        raise SpecError(sorted(problems, key=lambda p: p.line or 0)) from exc
    if problems:
        raise SpecError(problems)
    return RecordFile(spec, file, lines)


def parse_record_file(model: type[Spec], path: Path) -> RecordFile[Spec]:
    """Read (a regular file, size-bounded), parse and validate a minutes or scores file."""
    from docflow.inputs import read_input

    what = "minutes file" if model is MinutesSpec else "answers file"
    raw = read_input(path, what)
    return parse_record_text(model, decode_utf8(raw, str(path)), str(path))
