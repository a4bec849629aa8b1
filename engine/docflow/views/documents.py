"""The JSON-ready views of documents, steps and status that commands return.

Their keys are the contract of DESIGN.md ("JSON keys relied upon"); a test pins them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docflow.runtime.plan import Step
from docflow.runtime.session import Session

if TYPE_CHECKING:
    from docflow.store.base import DocumentRow

__all__ = ["document_view", "status_view", "step_view"]


def document_view(session: Session, doc: DocumentRow) -> dict[str, Any]:
    """One document: id, kind, version, status, annex, files, who signed, who is awaited."""
    kind = session.spec.documents.get(doc.code)
    signers = list(kind.signers) if kind else []
    sigs = [s for s in session.signatures if s.doc_id == doc.doc_id and s.version == doc.version]
    signed = {s.party for s in sigs}
    awaiting = [p for p in signers if p not in signed] if doc.status == "issued" else []
    files = dict(doc.files)
    if doc.signed_pdf_sha256:
        files["signed_pdf"] = files.get("pdf", "").replace(".pdf", ".signed.pdf")
    return {
        "id": doc.doc_id,
        "kind": kind.template if kind else doc.template,
        "code": doc.code,
        "title": doc.title,
        "version": doc.version,
        "status": doc.status,
        "annex": doc.annex,
        "issued_on": doc.issued_on,
        "files": {"docx": files.get("docx"), "pdf": files.get("pdf"), **files},
        "sha256": {"docx": doc.docx_sha256, "pdf": doc.pdf_sha256, "data": doc.data_sha256},
        "signers": signers,
        "awaiting": awaiting,
        "signatures": [
            {
                "party": s.party,
                "signer": s.signer,
                "signed_on": s.signed_on,
                "method": s.method,
                "file": s.file_name,
                "file_sha256": s.file_sha256,
                "certificate": s.certificate,
                "trust": s.trust,
                "actor": s.actor,
                "at": s.at,
            }
            for s in sigs
        ],
    }


def step_view(step: Step) -> dict[str, Any]:
    """One possible next step."""
    return {
        "trigger": step.trigger,
        "title": step.title,
        "dest": step.transition.dest,
        "emits": list(step.transition.emits),
        "ready": step.ready,
        "blockers": [b.to_dict() for b in step.blockers],
    }


def status_view(session: Session, steps: list[Step]) -> dict[str, Any]:
    """Everything ``docflow status`` shows."""
    spec = session.spec
    state = spec.states[session.row.state]
    base = session.baseline()
    cc = spec.change_control
    ratio = session.change_ratio()
    level = "ok"
    if base is not None:
        from docflow.runtime.requirements import ratio_level

        level = ratio_level(ratio, cc.warn_ratio, cc.alarm_ratio)
    return {
        "project": {"code": session.code, "name": session.data.project.name},
        "workflow": spec.name,
        "locale": session.locale,
        "state": state.id,
        "state_title": state.title.get(session.locale, state.id),
        "phase": state.phase,
        "final": state.final,
        "version": session.row.version,
        "transitions": [step_view(s) for s in steps],
        "documents": [document_view(session, d) for d in session.documents],
        "changes": {
            "ratio": ratio,
            "level": level,
            "warn_ratio": cc.warn_ratio,
            "alarm_ratio": cc.alarm_ratio,
            "baseline": len(base) if base is not None else None,
            "open": list(session.open_changes()),
            "effective": [c.cr_id for c in session.effective_changes()],
            "allowed": session.row.state in cc.allowed_in,
            "drift": [
                {
                    "kind": d.kind,
                    "id": d.id,
                    "fields": list(d.fields),
                    "message": d.describe(session.locale),
                }
                for d in session.drift()
            ],
        },
        "chain": {"seq": session.row.head_seq, "head": session.row.head_hash},
    }
