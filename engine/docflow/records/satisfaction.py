"""Client satisfaction (客户满意度调查表): recording a returned survey, and its result.

The workflow names the survey's document kind, its questions and its scale (``satisfaction``);
a step issues the survey (the built-in workflow: with the acceptance certificate). Each survey
the client returns is recorded once per respondent (``satisfaction.recorded``), checked
against the questions with the line of every problem. The result (per question and overall
averages, comments) is in every document's context as ``satisfaction``, and in reports.

What this does not catch: answers typed by someone other than the client (the answers file
is the PM's transcription of a returned form; keep the form itself, e.g. as a scan).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docflow.errors import Conflict, InvalidInput, Problem, SpecError
from docflow.runtime.clock import today
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.spec.records import SatisfactionSpec

if TYPE_CHECKING:
    # The record models load where a survey is recorded: every document's context reads
    # the survey's result from the store, which needs none of them.
    from docflow.spec.minutes import RecordFile, ScoresSpec

__all__ = ["SatisfactionView", "record_satisfaction", "satisfaction_context", "survey_summary"]


@dataclass(frozen=True)
class SatisfactionView(Result):
    """A returned survey as recorded, and the survey's result with it."""

    document: str
    respondent: Mapping[str, str]
    date: str
    average: float
    answers: Mapping[str, Mapping[str, Any]]
    responses: int
    overall: float | None


def _survey(session: Session) -> SatisfactionSpec:
    survey = session.spec.satisfaction
    if survey is None:
        raise InvalidInput(f"workflow {session.spec.name} has no satisfaction survey")
    return survey


def _answers(
    survey: SatisfactionSpec, scores: RecordFile[ScoresSpec]
) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    from docflow.spec.minutes import Answer

    known = [q.id for q in survey.questions]
    problems = []
    answers: dict[str, dict[str, Any]] = {}
    for key, given in scores.spec.answers.items():
        answer = given if isinstance(given, Answer) else Answer(score=given)
        if key not in known:
            problems.append(
                scores.problem(
                    ("answers", key), f"no question '{key}' (questions: {', '.join(known)})"
                )
            )
        elif not 1 <= answer.score <= survey.scale:
            path = ("answers", key) if isinstance(given, int) else ("answers", key, "score")
            problems.append(
                scores.problem(path, f"score {answer.score} is not from 1 to {survey.scale}")
            )
        else:
            answers[key] = {"score": answer.score, "comment": answer.comment}
    missing = [q for q in known if q not in scores.spec.answers]
    if missing:
        problems.append(scores.problem(("answers",), f"no answer to {', '.join(missing)}"))
    return answers, problems


def record_satisfaction(session: Session, scores: RecordFile[ScoresSpec]) -> SatisfactionView:
    """Record one returned survey; SpecError (exit 4, nothing recorded) naming each line that
    does not fit the workflow's questions, Conflict before any survey was issued or for a
    respondent recorded already."""
    survey = _survey(session)
    spec = scores.spec
    issued = [d for d in session.documents if d.code == survey.document and d.status != "void"]
    if spec.document is not None:
        doc = next((d for d in issued if d.doc_id == spec.document), None)
        if doc is None:
            known = ", ".join(d.doc_id for d in issued) or "none yet"
            raise SpecError(
                [scores.problem(("document",), f"no survey {spec.document} (surveys: {known})")]
            )
    elif issued:
        doc = issued[-1]
    else:
        raise Conflict(
            f"no {session.doc_title(survey.document)} ({survey.document}) has been issued yet; "
            "the workflow issues it with a step"
        )
    answers, problems = _answers(survey, scores)
    returned = spec.date or today()
    if returned < dt.date.fromisoformat(doc.issued_on) or returned > today():
        problems.append(
            scores.problem(
                ("date",),
                f"{returned.isoformat()} is not between the survey's issue date "
                f"{doc.issued_on} and today",
            )
        )
    if problems:
        raise SpecError(sorted(problems, key=lambda p: p.line or 0))
    from docflow.spec.minutes import Respondent

    who = spec.respondent if isinstance(spec.respondent, Respondent) else None
    respondent = {
        "name": who.name if who else str(spec.respondent),
        "role": who.role if who else "",
    }
    if any(
        a.respondent.get("name") == respondent["name"]
        for a in session.records.answers_to(doc.doc_id)
    ):
        raise Conflict(f"the answers of {respondent['name']} to {doc.doc_id} are recorded already")
    average = round(sum(a["score"] for a in answers.values()) / len(answers), 2)
    with session.store.write(session.code, session.row.version) as tx:
        tx.append_event(
            "satisfaction.recorded",
            session.actor,
            {
                "document": doc.doc_id,
                "respondent": respondent,
                "date": returned.isoformat(),
                "answers": answers,
                "comment": spec.comment,
                "average": average,
                "on": returned.isoformat(),
            },
        )
    summary = survey_summary(session.refreshed())
    return SatisfactionView(
        document=doc.doc_id,
        respondent=respondent,
        date=returned.isoformat(),
        average=average,
        answers=answers,
        responses=summary["responses"] if summary else 1,
        overall=summary["average"] if summary else average,
    )


def survey_summary(session: Session, as_of: dt.date | None = None) -> dict[str, Any] | None:
    """The newest survey's result from the answers returned by ``as_of`` (default: all);
    None when no survey was issued."""
    survey = session.spec.satisfaction
    if survey is None:
        return None
    issued = [d for d in session.documents if d.code == survey.document and d.status != "void"]
    if not issued:
        return None
    doc = issued[-1]
    returned = [
        a for a in session.records.answers_to(doc.doc_id) if as_of is None or a.date <= as_of
    ]
    questions = []
    for q in survey.questions:
        scores = [int(a.answers[q.id]["score"]) for a in returned if q.id in a.answers]
        comments = [
            str(a.answers[q.id].get("comment") or "") for a in returned if q.id in a.answers
        ]
        questions.append(
            {
                "id": q.id,
                "text": q.text.get(session.locale, q.id),
                "average": round(sum(scores) / len(scores), 2) if scores else None,
                "comments": [c for c in comments if c],
            }
        )
    every = [int(v["score"]) for a in returned for v in a.answers.values()]
    return {
        "document": doc.doc_id,
        "title": session.doc_title(survey.document),
        "scale": survey.scale,
        "responses": len(returned),
        "average": round(sum(every) / len(every), 2) if every else None,
        "questions": questions,
        "respondents": [
            {
                "name": a.respondent.get("name", ""),
                "role": a.respondent.get("role", ""),
                "date": a.date.isoformat(),
            }
            for a in returned
        ],
        "comments": [a.comment for a in returned if a.comment],
    }


def satisfaction_context(session: Session) -> dict[str, Any] | None:
    """The ``satisfaction`` key of every template context: the survey's questions and scale,
    and its result once answers are recorded; None when the workflow has no survey."""
    survey = session.spec.satisfaction
    if survey is None:
        return None
    summary = survey_summary(session)
    if summary is not None:
        return summary
    return {
        "document": None,
        "title": session.doc_title(survey.document),
        "scale": survey.scale,
        "responses": 0,
        "average": None,
        "questions": [
            {"id": q.id, "text": q.text.get(session.locale, q.id), "average": None, "comments": []}
            for q in survey.questions
        ],
        "respondents": [],
        "comments": [],
    }
