"""Re-rendering: new versions of unsigned documents whose data or templates changed, and
restoring any file on disk from the store. Signed documents are never re-rendered."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docflow.documents.context import build_context
from docflow.documents.files import check_writable, restore_files, write_document_files
from docflow.documents.identity import DocId, version_files
from docflow.documents.jobs import RenderedVersion, RenderJob, make_meta, printed_now, run_job
from docflow.documents.jobs import templates_fingerprint as fingerprint_of
from docflow.documents.snapshot import StoredSnapshot, load_snapshot
from docflow.errors import DocflowError, combined_exit_code
from docflow.runtime.clock import today
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.store.base import DocumentRow

__all__ = ["DocumentNote", "RenderReport", "RerenderedVersion", "render_documents"]


@dataclass(frozen=True)
class RerenderedVersion(Result):
    """A new version issued by re-rendering."""

    id: str
    version: int
    files: Mapping[str, str]


@dataclass(frozen=True)
class DocumentNote(Result):
    """Why a document was not re-rendered: it failed, or a new version is held back."""

    id: str
    message: str
    error: str | None = None  # a failure's error name ("template", "invalid", ...)
    exit_code: int = 0  # a failure's exit code, as the command alone would have exited


@dataclass(frozen=True)
class RenderReport(Result):
    """What a render run did, per document."""

    rerendered: tuple[RerenderedVersion, ...] = ()
    restored: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[DocumentNote, ...] = ()
    held: tuple[DocumentNote, ...] = ()

    @property
    def exit_code(self) -> int:
        """What the command exits with: 0, or the code of the failures (4 for templates)."""
        return combined_exit_code(n.exit_code for n in self.failed)


def _stored(session: Session, doc: DocumentRow) -> StoredSnapshot | None:
    blob = session.store.blob(doc.data_sha256)
    return load_snapshot(blob) if blob is not None else None


def _unchanged(
    session: Session,
    stored: StoredSnapshot,
    context: Mapping[str, Any],
    dirs: tuple[Path, ...],
    fingerprint: str,
) -> bool:
    """True when the document, rendered now with its own version, date and anchor, would read
    the same; what its pages print from the project's data (project name, contract number)
    is taken as it is now."""
    from docflow.render import RenderRequest, render_html

    if stored.templates != fingerprint or stored.html_sha256 is None:
        return False
    html = render_html(RenderRequest(printed_now(session, stored.meta), context, dirs))
    return hashlib.sha256(html.encode("utf-8")).hexdigest() == stored.html_sha256


def _held(session: Session, doc: DocumentRow, signed: list[str]) -> DocumentNote:
    # A new version would silently drop a signature already given on this one.
    who = session.tell("、".join(map(session.party_word, signed)), ", ".join(signed))
    return DocumentNote(
        doc.doc_id,
        session.tell(
            f"{doc.doc_id} v{doc.version} 已由{who}签署；其数据已改变，但新版本会丢失该签字："
            f"请完成签署，或作废后重新签发（docflow void {doc.doc_id} --reason …，"
            f"然后 docflow render {doc.doc_id}）",
            f"{doc.doc_id} v{doc.version} is already signed by {who}; its data "
            "changed, but a new version would drop that signature: finish signing it, or void "
            f"it and issue it again (docflow void {doc.doc_id} --reason …, then docflow render "
            f"{doc.doc_id})",
        ),
    )


def _plan(
    session: Session, targets: list[DocumentRow], issued_on: dt.date, named: frozenset[str]
) -> tuple[list[tuple[DocumentRow, RenderJob]], list[DocumentNote], list[DocumentNote]]:
    """The documents to render again (void ones among ``named`` issued again), and those held
    back or failing before rendering."""
    from docflow.app.subjects import find_subject

    shared = build_context(session)
    dirs = session.template_dirs()
    fingerprint = fingerprint_of(dirs)
    jobs: list[tuple[DocumentRow, RenderJob]] = []
    held: list[DocumentNote] = []
    failed: list[DocumentNote] = []
    for doc in targets:
        # A void document is issued again only when named: its number, new version.
        reissue = doc.status == "void" and doc.doc_id in named
        if doc.status != "issued" and not reissue:
            continue
        stored = _stored(session, doc)
        try:
            subject = find_subject(session, doc, stored.meta.subject if stored else None)
        except DocflowError as exc:
            failed.append(_failure(doc.doc_id, exc))
            continue
        if subject is None and doc.annex is None:
            context = shared
        else:
            context = build_context(session, subject, doc.annex)
        if not reissue:
            if stored is not None and _unchanged(session, stored, context, dirs, fingerprint):
                continue
            signed = sorted(session.signed_by(doc))
            if signed:
                held.append(_held(session, doc, signed))
                continue
        meta = make_meta(
            session, DocId.parse(doc.doc_id), doc.version + 1, doc.annex, issued_on, subject
        )
        jobs.append((doc, RenderJob(meta, context, dirs, fingerprint)))
    return jobs, held, failed


def _render_all(
    jobs: list[tuple[DocumentRow, RenderJob]], workers: int, progress: Callable[[], Any] | None
) -> tuple[list[tuple[DocumentRow, RenderedVersion]], list[DocumentNote]]:
    """Render each job (in ``workers`` processes); a failing document does not stop the rest."""
    rendered: list[tuple[DocumentRow, RenderedVersion]] = []
    failed: list[DocumentNote] = []
    if not jobs:
        return rendered, failed
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 and len(jobs) > 1 else None
    try:
        only = [job for _, job in jobs]
        results = pool.map(_safe_job, only) if pool else map(_safe_job, only)
        for (doc, _job), result in zip(jobs, results, strict=True):
            if isinstance(result, DocflowError):
                failed.append(_failure(doc.doc_id, result))
            else:
                rendered.append((doc, result))
            if progress is not None:
                progress()
    finally:
        if pool is not None:
            pool.shutdown()
    return rendered, failed


def _record(session: Session, rendered: list[tuple[DocumentRow, RenderedVersion]]) -> list[Any]:
    """Record the new versions, supersede the old ones, write their files."""
    from docflow.documents.issuing import record_data
    from docflow.documents.records import record_documents

    workspace = session.folder("rendering")
    with session.store.write(session.code, session.row.version) as tx:
        rows = record_documents(tx, [version for _, version in rendered])
        for doc, _ in rendered:
            if doc.status != "void":  # a void version stays void: the new one reissues it
                tx.set_document_status(doc.doc_id, doc.version, "superseded")
        tx.append_event(
            "documents.rerendered",
            session.actor,
            {
                "documents": [
                    {
                        "id": r.doc_id,
                        "version": r.version,
                        "pdf": r.pdf_sha256,
                        ("reissues" if doc.status == "void" else "supersedes"): r.version - 1,
                    }
                    for r, (doc, _) in zip(rows, rendered, strict=True)
                ],
                "data_sha256": record_data(tx, session),
            },
        )
    for row, (_, version) in zip(rows, rendered, strict=True):
        write_document_files(workspace, row, {"docx": version.docx, "pdf": version.pdf})
    return rows


def render_documents(
    session: Session,
    doc_ids: Sequence[str] | None = None,
    *,
    jobs: int = 1,
    date: dt.date | None = None,
    progress: Callable[[], Any] | None = None,
) -> RenderReport:
    """Re-render unsigned documents whose inputs changed; restore files of all others.

    New versions are dated ``date`` (default today); ``progress()`` is called after each
    document rendered.
    """
    check_writable(session.folder("rendering"))
    targets = [d for d in session.documents if not doc_ids or d.doc_id in doc_ids]
    missing = set(doc_ids or ()) - {d.doc_id for d in targets}
    for doc_id in sorted(missing):
        session.find_document(doc_id)  # raises the clear "no document" error
    planned, held, failed = _plan(session, targets, date or today(), frozenset(doc_ids or ()))
    rendered, render_failed = _render_all(planned, jobs, progress)
    failed += render_failed
    rerendered: list[RerenderedVersion] = []
    if rendered:
        for row in _record(session, rendered):
            rerendered.append(
                RerenderedVersion(row.doc_id, row.version, version_files(row.doc_id, row.version))
            )
        session = session.refreshed()
    restored = restore_files(session, doc_ids)
    from docflow.app.certificates import restore_certificates

    restored += restore_certificates(session, session.folder("restoring files"))
    done = {r.id for r in rerendered} | {f.id for f in failed} | {h.id for h in held}
    return RenderReport(
        rerendered=tuple(rerendered),
        restored=tuple(restored),
        unchanged=tuple(d.doc_id for d in targets if d.doc_id not in done),
        failed=tuple(failed),
        held=tuple(held),
    )


def _failure(doc_id: str, exc: DocflowError) -> DocumentNote:
    return DocumentNote(doc_id, exc.message, exc.name, exc.exit_code)


def _safe_job(job: RenderJob) -> RenderedVersion | DocflowError:
    """Render one job; a failure is returned (it pickles whole) so the others go on."""
    try:
        return run_job(job)
    except DocflowError as exc:
        return exc
