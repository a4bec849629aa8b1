"""Issuing new documents in one command: number them, render them, record them, write them.

Every path that issues a first version (a step, a change approval) goes through here: the
documents are numbered as read now (and the numbers confirmed under the lock by
:mod:`docflow.documents.records`), rendered before the lock, recorded in one transaction
together with what the caller records (``in_tx``), and written into the workspace after the
commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docflow.documents.context import build_context
from docflow.documents.files import check_writable, write_document_files
from docflow.documents.identity import DocId
from docflow.documents.jobs import RenderJob, job_for, make_meta
from docflow.documents.records import record_documents
from docflow.runtime.session import Session

if TYPE_CHECKING:
    from docflow.documents.subjects import Subject
    from docflow.documents.worker import RenderWorker
    from docflow.store.base import DocumentRow, WriteTx

__all__ = [
    "Issue",
    "issue_documents",
    "next_annex",
    "next_doc_number",
    "plan_documents",
    "record_data",
]


def record_data(tx: WriteTx, session: Session) -> str:
    """Store the project data documents are issued from; the blob's sha256, which the event
    that issues them carries as ``data_sha256`` so that a reader of the store alone (the
    signing portal) has the data of the newest issue."""
    from docflow.store.chain import canonical_json

    return tx.put_blob(canonical_json(session.data.model_dump(mode="json")).encode("utf-8"))


def next_doc_number(session: Session, code: str) -> int:
    """The n of the next ``<CODE>-<n>`` for this project, as read now."""
    used = [DocId.parse(d.doc_id).number for d in session.all_documents if d.code == code]
    return max(used, default=0) + 1


def next_annex(session: Session) -> int:
    """The next contract annex number, as read now (void numbers stay used)."""
    return max((d.annex or 0 for d in session.all_documents), default=0) + 1


def _void_to_reissue(session: Session, code: str) -> DocumentRow | None:
    """The last document of kind ``code`` when it is void (its number is issued again)."""
    of_kind = [d for d in session.documents if d.code == code]
    return of_kind[-1] if of_kind and of_kind[-1].status == "void" else None


@dataclass(frozen=True)
class Issue:
    """One document to issue: its kind's code, and the item it is about (if any)."""

    code: str
    subject: Subject | None = None


def plan_documents(
    session: Session, issues: Sequence[Issue], issued_on: dt.date
) -> list[RenderJob]:
    """Rendering jobs for first versions, numbered per kind and per annex as read now."""
    numbers: dict[str, int] = {}
    annex = next_annex(session)
    shared = build_context(session)
    jobs = []
    for item in issues:
        kind = session.spec.documents[item.code]
        again = _void_to_reissue(session, item.code) if item.subject is None else None
        if again is not None:
            # A step that emits a kind whose last document is void issues that one again.
            meta = make_meta(
                session, DocId.parse(again.doc_id), again.version + 1, again.annex, issued_on
            )
            context = shared if again.annex is None else build_context(session, None, again.annex)
            jobs.append(job_for(session, meta, context))
            continue
        number = numbers.get(item.code) or next_doc_number(session, item.code)
        numbers[item.code] = number + 1
        meta = make_meta(
            session,
            DocId(item.code, number),
            1,
            annex if kind.annex else None,
            issued_on,
            item.subject,
        )
        if kind.annex:
            annex += 1
        if item.subject is None and meta.annex is None:
            context = shared
        else:
            context = build_context(session, item.subject, meta.annex)
        jobs.append(job_for(session, meta, context))
    return jobs


def issue_documents(
    session: Session,
    jobs: Sequence[RenderJob],
    in_tx: Callable[[WriteTx, list[DocumentRow]], None],
    *,
    worker: RenderWorker | None = None,
) -> list[DocumentRow]:
    """Render ``jobs``, record them and what ``in_tx`` records in one transaction, then write
    their files; the PDFs are laid out by ``worker`` when one is given."""
    from docflow.documents.jobs import run_jobs

    workspace = session.folder("issuing documents")
    check_writable(workspace)
    rendered = run_jobs(jobs, worker=worker)
    with session.store.write(session.code, session.row.version) as tx:
        rows = record_documents(tx, rendered)
        in_tx(tx, rows)
    for row, version in zip(rows, rendered, strict=True):
        write_document_files(workspace, row, {"docx": version.docx, "pdf": version.pdf})
    return rows
