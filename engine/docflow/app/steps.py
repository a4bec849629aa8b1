"""Taking a step: plan, render the step's documents, then record everything in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docflow.errors import Blocked, Conflict, UsageError
from docflow.runtime.documents import (
    Prepared,
    build_context,
    canonical_json,
    check_writable,
    document_files,
    job_for,
    make_meta,
    next_annex,
    next_doc_number,
    run_jobs,
    write_document_files,
)
from docflow.runtime.machine import StateMachine
from docflow.runtime.plan import Step, plan
from docflow.runtime.session import Session
from docflow.runtime.views import document_view

if TYPE_CHECKING:
    from docflow.runtime.renderworker import RenderWorker

__all__ = ["AdvanceResult", "advance", "choose_step", "record_documents"]


@dataclass
class AdvanceResult:
    """What a step did (or, with dry_run, would do)."""

    trigger: str
    from_state: str
    to_state: str
    dry_run: bool
    documents: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``from``, ``to``, ``documents[]`` as in status."""
        return {
            "trigger": self.trigger,
            "from": self.from_state,
            "to": self.to_state,
            "dry_run": self.dry_run,
            "documents": self.documents,
        }


def choose_step(session: Session, steps: list[Step], trigger: str | None) -> Step:
    """The step named by ``trigger``, or the only one possible; a clear error otherwise."""
    state = session.row.state
    if trigger is None:
        if len(steps) == 1:
            return steps[0]
        if not steps:
            raise Conflict(f"project {session.code} is in the final state {state}; no step left")
        names = ", ".join(s.trigger for s in steps)
        raise UsageError(f"several steps are possible from {state} ({names}); name one")
    for step in steps:
        if step.trigger == trigger:
            return step
    known = {t.trigger for t in session.spec.transitions}
    if trigger not in known:
        raise UsageError(
            f"unknown trigger {trigger!r} in workflow {session.spec.name} "
            f"(known: {', '.join(sorted(known))})"
        )
    possible = ", ".join(s.trigger for s in steps) or "none"
    raise Conflict(f"{trigger} is not possible from state {state} (possible here: {possible})")


def _blocked_message(session: Session, step: Step) -> str:
    n = len(step.blockers)
    if session.locale.startswith("zh"):
        return f"{step.trigger}（{step.title}）被 {n} 项条件阻止"
    return f"{step.trigger} ({step.title}) is blocked by {n} condition(s)"


def record_documents(tx: Any, session: Session, prepared: list[Prepared]) -> list[Any]:
    """Store rendered documents inside an open write transaction; return their rows."""
    from docflow.store.base import DocumentRow

    rows = []
    for prep in prepared:
        meta = prep.meta
        number = int(meta.id.rsplit("-", 1)[1])
        if meta.version == 1:
            got = tx.next_number(f"doc:{meta.code}")
            if got != number:
                raise Conflict(
                    f"document number {meta.id} was taken while this command ran; run it again"
                )
        if meta.annex is not None and meta.version == 1:
            got = tx.next_number("annex")
            if got != meta.annex:
                raise Conflict(f"annex number {meta.annex} was taken meanwhile; run it again")
        docx_sha = tx.put_blob(prep.docx)
        pdf_sha = tx.put_blob(prep.pdf)
        data_sha = tx.put_blob(prep.snapshot)
        row = DocumentRow(
            doc_id=meta.id,
            version=meta.version,
            code=meta.code,
            template=meta.template,
            title=meta.title,
            status="issued",
            annex=meta.annex,
            issued_on=meta.issued_on.isoformat(),
            docx_sha256=docx_sha,
            pdf_sha256=pdf_sha,
            data_sha256=data_sha,
            signed_pdf_sha256=None,
            event_seq=tx.project.head_seq + 1,
            files=document_files(meta.id, meta.version),
        )
        tx.add_document(row)
        rows.append(row)
    return rows


def advance(
    session: Session,
    trigger: str | None = None,
    *,
    dry_run: bool = False,
    today: dt.date | None = None,
    worker: RenderWorker | None = None,
) -> AdvanceResult:
    """Take the next step of the project, emitting its documents (rendered by `worker`,
    a process started before the session was opened, when one is given)."""
    steps = plan(session)
    step = choose_step(session, steps, trigger)
    if not step.ready:
        raise Blocked(_blocked_message(session, step), step.blockers)
    transition = step.transition
    machine = StateMachine(session.spec, session.row.state)
    dest = machine.fire(transition.trigger)
    issued_on = today or dt.date.today()
    jobs = []
    context = build_context(session)
    annex = next_annex(session)
    for code in transition.emits:
        kind = session.spec.documents[code]
        meta = make_meta(
            session,
            code,
            next_doc_number(session, code),
            1,
            annex if kind.annex else None,
            issued_on,
        )
        if kind.annex:
            annex += 1
        jobs.append(job_for(session, meta, context))
    result = AdvanceResult(transition.trigger, session.row.state, dest, dry_run)
    if dry_run:
        result.documents = [
            {
                "id": j.meta.id,
                "kind": j.meta.template,
                "version": 1,
                "status": "would be issued",
                "annex": j.meta.annex,
                "files": document_files(j.meta.id, 1),
                "awaiting": list(j.meta.signers),
            }
            for j in jobs
        ]
        return result
    check_writable(session.workspace)
    prepared = run_jobs(jobs, worker=worker)
    with session.store.write(session.code, session.row.version) as tx:
        rows = record_documents(tx, session, prepared)
        tx.set_state(dest)
        if transition.freezes_baseline:
            tx.set_baseline([r.model_dump(mode="json") for r in session.data.requirements])
        tx.append_event(
            "step",
            session.actor,
            {
                "trigger": transition.trigger,
                "from": result.from_state,
                "to": dest,
                "documents": [
                    {
                        "id": r.doc_id,
                        "version": r.version,
                        "pdf": r.pdf_sha256,
                        "docx": r.docx_sha256,
                        "data": r.data_sha256,
                    }
                    for r in rows
                ],
                "baseline_frozen": transition.freezes_baseline,
                "data_sha256": _data_hash(session),
            },
        )
    for row, prep in zip(rows, prepared, strict=True):
        write_document_files(session.workspace, row, {"docx": prep.docx, "pdf": prep.pdf})
    fresh = session.refreshed()
    result.documents = [document_view(fresh, r) for r in rows]
    return result


def _data_hash(session: Session) -> str:
    import hashlib

    return hashlib.sha256(canonical_json(session.data.model_dump(mode="json"))).hexdigest()
