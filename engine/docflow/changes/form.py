"""The change request form (变更申请单): CR-n as sent to the client for review before it is
decided.

A workflow names the document kind in ``change_control.request_document`` (a kind ``per:
change``, not a contract annex). ``docflow change issue CR-n`` issues it for an open request;
after ``change edit`` the same command (or ``docflow render``) gives it a new version, unless
the client signed it already, in which case a new form is issued for the new content.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from docflow.changes.annex import CHANGE, change_subject
from docflow.changes.views import ChangeView, change_view, form_of
from docflow.errors import Conflict, ProjectChanged, UsageError
from docflow.runtime.clock import today
from docflow.runtime.lang import say
from docflow.runtime.session import Session

if TYPE_CHECKING:
    from docflow.documents.worker import RenderWorker
    from docflow.store.base import DocumentRow, WriteTx

__all__ = ["issue_form"]

_RETRIES = 5


def issue_form(
    session: Session,
    cr_id: str,
    date: dt.date | None = None,
    worker: RenderWorker | None = None,
) -> ChangeView:
    """Issue (or bring up to date) the request form of open change request ``cr_id``."""
    code = session.spec.change_control.request_document
    if not code:
        raise UsageError(
            say(
                session.locale,
                f"工作流 {session.spec.name} 没有声明变更申请单（change_control.request_document）",
                f"workflow {session.spec.name} declares no change request form "
                "(change_control.request_document)",
            )
        )
    for attempt in range(_RETRIES):
        try:
            _issue_once(session, cr_id, code, date, worker)
            break
        except ProjectChanged:
            if attempt == _RETRIES - 1:
                raise
            session = session.refreshed()
    return change_view(session.refreshed(), cr_id)


def _issue_once(
    session: Session,
    cr_id: str,
    code: str,
    date: dt.date | None,
    worker: RenderWorker | None,
) -> None:
    from docflow.documents.issuing import Issue, issue_documents, plan_documents, record_data

    ledger = session.ledger
    change = ledger.find(cr_id)
    if change.status != "open":
        raise Conflict(
            say(
                session.locale,
                f"{cr_id} 的状态是 {change.status}；变更申请单只为待决定的申请出具",
                f"{cr_id} is {change.status}; a change request form is issued for an open "
                "request only",
            )
        )
    current = form_of(session, cr_id)
    if current is not None and current.status == "issued":
        from docflow.app.rendering import render_documents

        render_documents(session, [current.doc_id], date=date)
        return
    jobs = plan_documents(session, [Issue(code, change_subject(ledger, change))], date or today())

    def record(tx: WriteTx, rows: list[DocumentRow]) -> None:
        [row] = rows
        tx.append_event(
            "change.form_issued",
            session.actor,
            {
                "change": cr_id,
                "document": row.doc_id,
                "version": row.version,
                "subject": f"{CHANGE}:{cr_id}",
                "data_sha256": record_data(tx, session),
            },
        )

    issue_documents(session, jobs, record, worker=worker)
