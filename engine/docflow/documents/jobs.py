"""Rendering jobs: the metadata stamped on each page, and rendering a document version.

A job is a pure value (picklable for process pools): the same job gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.documents.identity import DocId
from docflow.documents.reads import Read
from docflow.documents.snapshot import dump_snapshot
from docflow.runtime.session import Session

if TYPE_CHECKING:
    from docflow.documents.subjects import Subject
    from docflow.documents.worker import RenderWorker
    from docflow.render import DocMeta, SigBox

__all__ = [
    "PRINTED_DATA",
    "RenderJob",
    "RenderedVersion",
    "job_for",
    "make_meta",
    "printed_now",
    "run_job",
    "run_jobs",
    "templates_fingerprint",
]


@dataclass(frozen=True)
class RenderJob:
    """Everything one rendering needs; picklable for process pools."""

    meta: DocMeta
    context: Mapping[str, Any]
    template_dirs: tuple[Path, ...]
    templates: str = ""  # fingerprint of the template files, recorded with the data


@dataclass(frozen=True)
class RenderedVersion:
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
    doc_id: DocId,
    version: int,
    annex: int | None,
    issued_on: dt.date,
    subject: Subject | None = None,
) -> DocMeta:
    """The document metadata the renderer stamps on every page."""
    from docflow.render import DocMeta

    kind = session.spec.documents[doc_id.code]
    return DocMeta(
        id=str(doc_id),
        code=doc_id.code,
        template=kind.template,
        title=session.doc_title(doc_id.code),
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
        subject=subject.ref if subject is not None else None,
    )


#: The metadata fields printed on every page (the running header, the number) that
#: :func:`make_meta` takes from the project's data; the rest record the issuing itself.
_PRINTED_FIELDS = ("title", "number", "project_code", "project_name", "contract_number")

#: Where in the template context the printed metadata comes from: every document shows these
#: values, whether or not its template reads them itself.
PRINTED_DATA: tuple[Read, ...] = (
    ("value", ("p", "project", "code")),
    ("value", ("p", "project", "name")),
    ("value", ("p", "contract", "number")),
)


def printed_now(session: Session, meta: DocMeta) -> DocMeta:
    """``meta`` with the fields printed on its pages as the project's data gives them now;
    its version, date, annex, anchor and subject are kept."""
    import dataclasses

    now = make_meta(session, DocId.parse(meta.id), meta.version, meta.annex, meta.issued_on)
    return dataclasses.replace(meta, **{name: getattr(now, name) for name in _PRINTED_FIELDS})


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
    """A rendering job with the project's template folders and their fingerprint."""
    dirs = session.template_dirs()
    return RenderJob(meta, context, dirs, templates_fingerprint(dirs))


def run_job(job: RenderJob, worker: RenderWorker | None = None) -> RenderedVersion:
    """Render one document to DOCX and PDF (with empty signature fields); the PDF is laid
    out by `worker` while the DOCX is made, when one is given."""
    from docflow.documents.reads import Reads
    from docflow.render import RenderRequest, render_document
    from docflow.render.pipeline import without_bidi
    from docflow.sign import add_signature_fields, prepare_fields

    # The template reads its context through proxies that note what it reads, so that
    # `status` can later tell whether the document still matches the data without rendering.
    reads = Reads()
    context = reads.wrap(without_bidi(job.context))
    request = RenderRequest(job.meta, context, job.template_dirs)

    def snapshot(html_sha: str) -> bytes:
        # html_sha: the page HTML the PDF is made from; re-rendering compares it to spot
        # stale documents. The PDF carries these bytes as its data.json. The template has
        # run by now, so its reads are complete.
        return dump_snapshot(job.meta, html_sha, job.templates, job.context, reads.patterns())

    starter = None
    if worker is not None:
        send = worker.start_pdf

        def starter(*args: Any) -> Callable[[], tuple[bytes, dict[str, SigBox]]]:
            wait = send(*args)
            # pypdf imports in a thread while the worker lays out the PDF; started only
            # now, so that it does not hold up the page the worker is waiting for.
            prepare_fields()
            return wait

    rendered = render_document(request, starter, snapshot)
    pdf = add_signature_fields(
        rendered.pdf, rendered.signature_boxes, job.meta.issued_on, signers=job.meta.signers
    )
    return RenderedVersion(job.meta, rendered.docx, pdf, rendered.data)


def run_jobs(
    jobs: Sequence[RenderJob], workers: int = 1, worker: RenderWorker | None = None
) -> list[RenderedVersion]:
    """Render several documents, in parallel processes when asked, or with the PDFs laid out
    by a `worker` started before the session was opened."""
    if worker is not None:
        return [run_job(j, worker) for j in jobs]
    if workers <= 1 or len(jobs) <= 1:
        return [run_job(j) for j in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(pool.map(run_job, jobs))
