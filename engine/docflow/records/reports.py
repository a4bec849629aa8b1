"""Progress reports (项目进展报告): one document per reporting period, made from the record.

``docflow report --week 2026-W15`` (or ``--from D --to D``; by default the current week)
works out what happened in the period (:mod:`docflow.records.report_facts`), records those
facts with the report (``report.issued``) and issues the workflow's document kind declared
``per: period`` about them. Reporting on the same period again issues the next version of
the same report, with the facts as they stand then; re-rendering (new templates) keeps the
facts that were reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docflow.documents.identity import DocId
from docflow.documents.subjects import Subject
from docflow.errors import InvalidInput, UsageError
from docflow.records.report_facts import Period, report_facts
from docflow.runtime.clock import today
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.spec.records import PERIOD_ITEMS
from docflow.views.documents import DocumentView, document_view

if TYPE_CHECKING:
    from docflow.documents.worker import RenderWorker
    from docflow.store.base import DocumentRow, WriteTx

__all__ = ["ReportView", "issue_report", "parse_period", "period_subject", "report_code"]

_WEEK = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{1,2})$")
_MAX_DAYS = 366


@dataclass(frozen=True)
class ReportView(Result):
    """A report issued: its document, its period and how much it reports."""

    id: str
    version: int
    period: Mapping[str, Any]
    counts: Mapping[str, int]
    document: DocumentView


def parse_period(
    week: str | None, start: dt.date | None, end: dt.date | None, on: dt.date | None = None
) -> Period:
    """The period of ``--week`` or ``--from``/``--to`` (default: the ISO week of ``on``)."""
    if week is not None and (start is not None or end is not None):
        raise UsageError("give either --week or --from and --to, not both")
    if (start is None) != (end is None):
        raise UsageError("--from and --to go together")
    if start is not None and end is not None:
        if end < start:
            raise InvalidInput(f"the period ends ({end}) before it starts ({start})")
        if (end - start).days >= _MAX_DAYS:
            raise InvalidInput(f"a report covers at most {_MAX_DAYS} days")
        return Period(f"{start.isoformat()}..{end.isoformat()}", start, end)
    if week is None:
        year, number, _ = (on or today()).isocalendar()
        week = f"{year}-W{number:02d}"
    match = _WEEK.match(week.strip())
    try:
        if match is None:
            raise ValueError(week)
        first = dt.date.fromisocalendar(int(match["year"]), int(match["week"]), 1)
    except ValueError as exc:
        raise InvalidInput(f"{week!r} is not an ISO week (YYYY-Www, e.g. 2026-W15)") from exc
    year, number, _ = first.isocalendar()
    key = f"{year}-W{number:02d}"
    return Period(key, first, first + dt.timedelta(days=6), key)


def report_code(session: Session) -> str:
    """The code of the workflow's document kind per period (its progress report)."""
    for code, kind in session.spec.documents.items():
        if kind.per == PERIOD_ITEMS:
            return code
    raise InvalidInput(
        f"workflow {session.spec.name} has no document kind per period "
        "(a document kind with per: period); it issues no progress reports"
    )


def period_subject(session: Session, doc_id: str) -> Subject:
    """The subject of report ``doc_id``: the facts it reported, as recorded."""
    record = session.records.report_of(doc_id)
    if record is None:
        raise InvalidInput(f"{doc_id} is not a recorded report")
    return Subject(PERIOD_ITEMS, record.period, dict(record.facts))


def _counts(facts: Mapping[str, Any]) -> dict[str, int]:
    return {
        "steps": len(facts["steps"]),
        "issued": len(facts["issued"]),
        "signed": len(facts["signed"]),
        "changes": len(facts["changes"]["events"]),
        "meetings": len(facts["meetings"]),
        "open_actions": len(facts["actions"]["open"]),
        "overdue_actions": sum(facts["actions"]["overdue"].values()),
        "awaiting": len(facts["awaiting"]),
    }


def issue_report(
    session: Session,
    period: Period,
    date: dt.date | None = None,
    worker: RenderWorker | None = None,
) -> ReportView:
    """Issue the report on ``period`` dated ``date`` (default today): PR-n, or the next
    version of the report already issued on that period."""
    from docflow.documents.context import build_context
    from docflow.documents.issuing import issue_documents, next_doc_number, record_data
    from docflow.documents.jobs import job_for, make_meta

    code = report_code(session)
    issued_on = date or today()
    if period.start > issued_on:
        raise InvalidInput(
            f"the period {period.key} starts after the report's date {issued_on.isoformat()}; "
            "a report tells what has happened"
        )
    as_of = min(period.end, issued_on)
    facts = report_facts(session, period, as_of)
    earlier = session.records.reports.get(period.key)
    live = {d.doc_id: d for d in session.documents if d.status in ("issued", "signed")}
    previous = live.get(earlier.doc_id) if earlier is not None else None
    if previous is not None:
        doc_id, version = DocId.parse(previous.doc_id), previous.version + 1
    else:
        doc_id, version = DocId(code, next_doc_number(session, code)), 1
    subject = Subject(PERIOD_ITEMS, period.key, facts)
    meta = make_meta(session, doc_id, version, None, issued_on, subject)
    job = job_for(session, meta, build_context(session, subject))

    def record(tx: WriteTx, rows: list[DocumentRow]) -> None:
        [row] = rows
        if previous is not None:
            tx.set_document_status(previous.doc_id, previous.version, "superseded")
        tx.append_event(
            "report.issued",
            session.actor,
            {
                "document": row.doc_id,
                "version": row.version,
                "period": period.key,
                "report": facts,
                "on": issued_on.isoformat(),
                "data_sha256": record_data(tx, session),
            },
        )

    issue_documents(session, [job], record, worker=worker)
    fresh = session.refreshed()
    return ReportView(
        id=str(doc_id),
        version=version,
        period=facts["period"],
        counts=_counts(facts),
        document=document_view(fresh, fresh.find_document(str(doc_id))),
    )
