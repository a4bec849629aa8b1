"""Issuing documents: the template context, rendering jobs, and files written after commit.

Rendering happens before any lock is taken (it is slow and pure); the numbers a document
carries are predicted from what was read and confirmed under the lock, where a project that
changed meanwhile is a conflict.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.errors import EnvironmentProblem
from docflow.runtime.session import Session
from docflow.runtime.workspace import Workspace, atomic_write

if TYPE_CHECKING:
    from docflow.render import DocMeta
    from docflow.runtime.renderworker import RenderWorker
    from docflow.store.base import ChangeRow, DocumentRow

__all__ = [
    "Prepared",
    "RenderJob",
    "build_context",
    "canonical_json",
    "check_writable",
    "document_files",
    "job_for",
    "meta_from_snapshot",
    "next_annex",
    "next_doc_number",
    "run_job",
    "run_jobs",
    "templates_fingerprint",
    "write_document_files",
]


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def canonical_json(value: Any) -> bytes:
    """Stable JSON bytes for hashing (sorted keys, no spaces, UTF-8)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    ).encode("utf-8")


def next_doc_number(session: Session, code: str) -> int:
    """The n of the next ``<CODE>-<n>`` for this project, as read now."""
    used = [int(d.doc_id.rsplit("-", 1)[1]) for d in session.all_documents if d.code == code]
    return max(used, default=0) + 1


def next_annex(session: Session) -> int:
    """The next contract annex number, as read now (void numbers stay used)."""
    return max((d.annex or 0 for d in session.all_documents), default=0) + 1


def document_files(doc_id: str, version: int) -> dict[str, str]:
    """Relative paths of a document version's files in the workspace."""
    stem = f"documents/{doc_id}-v{version}"
    return {"docx": f"{stem}.docx", "pdf": f"{stem}.pdf"}


def _change_dict(session: Session, change: ChangeRow) -> dict[str, Any]:
    from docflow.runtime.requirements import change_context

    decided = dt.date.fromisoformat(change.decided_at[:10]) if change.decided_at else None
    return change_context(
        change.cr_id,
        session.change_spec(change),
        session.current_requirements(),
        change.annex,
        dt.date.fromisoformat(change.requested_at[:10]),
        decided,
    )


def build_context(
    session: Session, change: ChangeRow | None = None, change_override: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The template context of DESIGN's documents: project data, requirements, changes."""
    data = session.data.model_dump(mode="python")
    changes = [
        {
            "id": c.cr_id,
            "title": c.title,
            "status": c.status,
            "annex": c.annex,
            "doc_id": c.doc_id,
        }
        for c in session.changes
    ]
    documents = [
        {
            "id": d.doc_id,
            "code": d.code,
            "title": d.title,
            "version": d.version,
            "status": d.status,
            "annex": d.annex,
            "issued_on": dt.date.fromisoformat(d.issued_on),
        }
        for d in session.documents
    ]
    change_dict = change_override
    if change_dict is None and change is not None:
        change_dict = _change_dict(session, change)
    from docflow.changes.figures import ChangeEffect, document_figures

    requirements = session.current_requirements()
    effective = [
        ChangeEffect.of(c.cr_id, c.annex, session.change_spec(c))
        for c in session.effective_changes()
    ]
    pending = None if change_dict is None else ChangeEffect.of_context(change_dict)
    return {
        "p": data,
        "requirements": [r.model_dump(mode="python") for r in requirements],
        "change": change_dict,
        "changes": changes,
        "ratio": session.change_ratio(),
        "documents": documents,
        "figures": document_figures(session.data, requirements, effective, pending),
    }


@dataclass(frozen=True)
class RenderJob:
    """Everything one rendering needs; picklable for process pools."""

    meta: DocMeta
    context: Mapping[str, Any]
    template_dirs: tuple[Path, ...]
    templates: str = ""  # fingerprint of the template files, recorded with the data


@dataclass(frozen=True)
class Prepared:
    """A rendered document version, not yet recorded."""

    meta: DocMeta
    docx: bytes
    pdf: bytes
    snapshot: bytes

    @property
    def data_sha256(self) -> str:
        """Hash of the data the document was made from."""
        return hashlib.sha256(self.snapshot).hexdigest()


def make_meta(
    session: Session,
    code: str,
    number: int,
    version: int,
    annex: int | None,
    issued_on: dt.date,
) -> DocMeta:
    """The document metadata the renderer stamps on every page."""
    from docflow.render import DocMeta

    kind = session.spec.documents[code]
    doc_id = f"{code}-{number}"
    return DocMeta(
        id=doc_id,
        code=code,
        template=kind.template,
        title=session.doc_title(code),
        number=f"{session.code}/{doc_id}",
        version=version,
        annex=annex,
        issued_on=issued_on,
        signers=tuple(kind.signers),
        locale=session.locale,
        project_code=session.code,
        project_name=session.data.project.name,
        contract_number=session.data.contract.number,
        anchor_seq=session.row.head_seq,
        anchor_hash=session.row.head_hash,
    )


def templates_fingerprint(dirs: Sequence[Path]) -> str:
    """A hash of every template file docflow may use, so template edits are noticed."""
    digest = hashlib.sha256()
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def job_for(session: Session, meta: DocMeta, context: Mapping[str, Any]) -> RenderJob:
    """A rendering job with the workspace's template folders and their fingerprint."""
    dirs = session.workspace.template_dirs()
    return RenderJob(meta, context, dirs, templates_fingerprint(dirs))


def run_job(job: RenderJob, worker: RenderWorker | None = None) -> Prepared:
    """Render one document to DOCX and PDF (with empty signature fields); the PDF is laid
    out by `worker` while the DOCX is made, when one is given."""
    from docflow.render import RenderRequest, render_document
    from docflow.sign import add_signature_fields

    request = RenderRequest(job.meta, job.context, job.template_dirs)
    rendered = render_document(request, worker.start_pdf if worker is not None else None)
    pdf = add_signature_fields(rendered.pdf, rendered.signature_boxes, job.meta.issued_on)
    # The page HTML the PDF was made from; rendering.py compares it to spot stale documents.
    html_sha = hashlib.sha256(rendered.html.encode("utf-8")).hexdigest()
    snapshot = canonical_json(
        {
            "meta": asdict(job.meta),
            "html_sha256": html_sha,
            "templates": job.templates,
            "context": job.context,
        }
    )
    return Prepared(job.meta, rendered.docx, pdf, snapshot)


def meta_from_snapshot(snapshot: Mapping[str, Any]) -> DocMeta:
    """The DocMeta a stored document was rendered with."""
    from docflow.render import DocMeta

    meta = dict(snapshot["meta"])
    meta["issued_on"] = dt.date.fromisoformat(meta["issued_on"])
    meta["signers"] = tuple(meta["signers"])
    return DocMeta(**meta)


def run_jobs(
    jobs: Sequence[RenderJob], workers: int = 1, worker: RenderWorker | None = None
) -> list[Prepared]:
    """Render several documents, in parallel processes when asked, or with the PDFs laid out
    by a `worker` started before the session was opened."""
    if worker is not None:
        return [run_job(j, worker) for j in jobs]
    if workers <= 1 or len(jobs) <= 1:
        return [run_job(j) for j in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(pool.map(run_job, jobs))


def check_writable(workspace: Workspace) -> None:
    """Fail before any change if documents/ cannot be written."""
    folder = workspace.documents_dir
    # Each process probes with its own name: concurrent commands must not delete each other's.
    probe = folder / f".docflow-write-check.{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write documents to {folder}: {exc.strerror or exc}; nothing was changed"
        ) from exc


def write_document_files(
    workspace: Workspace, doc: DocumentRow, blobs: Mapping[str, bytes]
) -> list[str]:
    """Write a document's files atomically; return the relative paths written."""
    written = []
    for ext, rel in doc.files.items():
        data = blobs.get(ext)
        if data is None:
            continue
        try:
            atomic_write(workspace.root / rel, data)
        except OSError as exc:
            raise EnvironmentProblem(
                f"the store recorded {doc.doc_id} but writing {rel} failed: "
                f"{exc.strerror or exc}; fix the folder and run `docflow render` to restore it"
            ) from exc
        written.append(rel)
    return written
