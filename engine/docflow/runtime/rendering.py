"""Re-rendering: new versions of unsigned documents whose data or templates changed, and
restoring any file on disk from the store. Signed documents are never re-rendered."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docflow.errors import DocflowError, combined_exit_code
from docflow.runtime.documents import (
    RenderJob,
    build_context,
    check_writable,
    document_files,
    make_meta,
    meta_from_snapshot,
    run_job,
    templates_fingerprint,
    write_document_files,
)
from docflow.runtime.session import Session
from docflow.runtime.workspace import atomic_write, stale_temporaries

__all__ = ["RenderReport", "render_documents", "restore_files"]


@dataclass
class RenderReport:
    """What a render run did, per document."""

    rerendered: list[dict[str, Any]] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    held: list[dict[str, str]] = field(default_factory=list)
    failure_codes: list[int] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """What the command exits with: 0, or the code of the failures (4 for templates)."""
        return combined_exit_code(self.failure_codes)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "rerendered": self.rerendered,
            "restored": self.restored,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "held": self.held,
        }


def _unchanged(
    session: Session, doc: Any, context: Mapping[str, Any], dirs: tuple[Path, ...], fingerprint: str
) -> bool:
    """True when the document, rendered now with its own metadata, would read the same."""
    from docflow.render import RenderRequest, render_html

    blob = session.store.blob(doc.data_sha256)
    if blob is None:
        return False
    stored = json.loads(blob)
    if stored.get("templates") != fingerprint or "html_sha256" not in stored:
        return False
    html = render_html(RenderRequest(meta_from_snapshot(stored), context, dirs))
    return bool(hashlib.sha256(html.encode("utf-8")).hexdigest() == stored["html_sha256"])


def restore_files(session: Session, doc_ids: Sequence[str] | None = None) -> list[str]:
    """Write back every missing or altered file of live documents from the store.

    Temporary files that a killed command left in documents/ are removed first.
    """
    for leftover in stale_temporaries(session.workspace.documents_dir):
        leftover.unlink(missing_ok=True)
    restored = []
    for doc in session.documents:
        if doc_ids and doc.doc_id not in doc_ids:
            continue
        if doc.status in ("superseded",):
            continue
        wanted = {"docx": doc.docx_sha256, "pdf": doc.pdf_sha256}
        files = dict(doc.files)
        if doc.signed_pdf_sha256:
            files["signed_pdf"] = files["pdf"].replace(".pdf", ".signed.pdf")
            wanted["signed_pdf"] = doc.signed_pdf_sha256
        for ext, rel in files.items():
            path = session.workspace.root / rel
            sha = wanted.get(ext)
            if sha is None:
                continue
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha:
                continue
            data = session.store.blob(sha)
            if data is None:
                continue
            atomic_write(path, data)
            restored.append(rel)
    return restored


def render_documents(
    session: Session,
    doc_ids: Sequence[str] | None = None,
    *,
    jobs: int = 1,
    today: dt.date | None = None,
    progress: Any = None,
) -> RenderReport:
    """Re-render unsigned documents whose inputs changed; restore files of all others."""
    from docflow.runtime.steps import record_documents

    report = RenderReport()
    check_writable(session.workspace)
    targets = [d for d in session.documents if not doc_ids or d.doc_id in doc_ids]
    missing = set(doc_ids or ()) - {d.doc_id for d in targets}
    for doc_id in sorted(missing):
        session.find_document(doc_id)  # raises the clear "no document" error
    context = build_context(session)
    dirs = session.workspace.template_dirs()
    fingerprint = templates_fingerprint(dirs)
    render_jobs: list[tuple[Any, RenderJob]] = []
    for doc in targets:
        if doc.status != "issued":
            continue
        change = next((c for c in session.changes if c.doc_id == doc.doc_id), None)
        ctx = build_context(session, change) if change is not None else context
        if _unchanged(session, doc, ctx, dirs, fingerprint):
            continue
        signed = sorted(session.signed_by(doc))
        if signed:
            # A new version would silently drop a signature already given on this one.
            report.held.append(
                {
                    "id": doc.doc_id,
                    "message": f"{doc.doc_id} v{doc.version} is already signed by "
                    f"{', '.join(signed)}; its data changed, but a new version would drop that "
                    "signature: finish signing it, or void it and issue it again",
                }
            )
            continue
        number = int(doc.doc_id.rsplit("-", 1)[1])
        meta = make_meta(
            session, doc.code, number, doc.version + 1, doc.annex, today or dt.date.today()
        )
        render_jobs.append((doc, RenderJob(meta, ctx, dirs, fingerprint)))
    prepared = []
    if render_jobs:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 and len(render_jobs) > 1 else None
        try:
            results = (
                pool.map(_safe_job, [j for _, j in render_jobs])
                if pool
                else map(_safe_job, [j for _, j in render_jobs])
            )
            for (doc, _job), result in zip(render_jobs, results, strict=True):
                if isinstance(result, DocflowError):
                    report.failed.append(
                        {"id": doc.doc_id, "message": result.message, "error": result.name}
                    )
                    report.failure_codes.append(result.exit_code)
                else:
                    prepared.append((doc, result))
                if progress is not None:
                    progress()
        finally:
            if pool is not None:
                pool.shutdown()
    if prepared:
        with session.store.write(session.code, session.row.version) as tx:
            rows = record_documents(tx, session, [p for _, p in prepared])
            for doc, _ in prepared:
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
                            "supersedes": r.version - 1,
                        }
                        for r in rows
                    ]
                },
            )
        for row, (_, prep) in zip(rows, prepared, strict=True):
            write_document_files(session.workspace, row, {"docx": prep.docx, "pdf": prep.pdf})
            report.rerendered.append(
                {
                    "id": row.doc_id,
                    "version": row.version,
                    "files": document_files(row.doc_id, row.version),
                }
            )
        session = session.refreshed()
    report.restored = restore_files(session, doc_ids)
    done = {r["id"] for r in report.rerendered} | {f["id"] for f in report.failed}
    done |= {h["id"] for h in report.held}
    report.unchanged = [d.doc_id for d in targets if d.doc_id not in done]
    return report


def _safe_job(job: RenderJob) -> Any:
    """Render one job; a failure is returned (it pickles whole) so the others go on."""
    try:
        return run_job(job)
    except DocflowError as exc:
        return exc
