"""The template context of a document: project data, requirements, changes and its subject.

Keys (documented for template authors in the README): ``p`` (project.yaml's data),
``requirements`` (the current requirement set), ``changes`` (every change request),
``ratio`` (the change ratio; in a contract annex, the ratio before that annex),
``documents`` (the newest version of each document),
``subject`` (the item a per-item document is about, else None; also under the item kind's
name, e.g. ``change``), ``figures`` (the contract's figures derived from the signed record),
``letterhead`` (the company letterhead, or None).

``satisfaction`` (the workflow's satisfaction survey, its questions and the result of the
answers returned; None when the workflow has no survey).
The renderer adds ``doc`` (the document's metadata) and ``labels``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from docflow.runtime.session import Session

if TYPE_CHECKING:
    from docflow.documents.subjects import Subject

__all__ = ["build_context"]


def build_context(
    session: Session, subject: Subject | None = None, annex: int | None = None
) -> dict[str, Any]:
    """The context every document template of the project is rendered with; for a contract
    annex (``annex``, its number), the record as that annex amends it: the requirements, the
    figures and the change ratio count only the effective changes of earlier annexes, so that
    a signed annex does not read as out of date once a later change takes effect (the later
    annex amends it)."""
    ledger = session.ledger
    changes = [
        {"id": c.cr_id, "title": c.title, "status": c.status, "annex": c.annex, "doc_id": c.doc_id}
        for c in ledger.changes
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
    from docflow.changes.annex import CHANGE
    from docflow.changes.figures import ChangeEffect, document_figures
    from docflow.records.satisfaction import satisfaction_context

    requirements = ledger.current(annex)
    effective = [
        ChangeEffect.of(c.cr_id, c.annex, ledger.spec_of(c)) for c in ledger.effective(annex)
    ]
    pending = None
    if subject is not None and subject.kind == CHANGE:
        pending = ChangeEffect.of_context(subject.data)
    context: dict[str, Any] = {
        "p": session.data.model_dump(mode="python"),
        "requirements": [r.model_dump(mode="python") for r in requirements],
        "change": None,
        "changes": changes,
        "ratio": ledger.ratio(annex),
        "documents": documents,
        "subject": None,
        "figures": document_figures(session.data, requirements, effective, pending),
        "satisfaction": satisfaction_context(session),
    }
    from docflow.spec.letterhead import letterhead_context

    # The company letterhead (docflow.spec.letterhead), read by base page and frame alike.
    context["letterhead"] = letterhead_context(
        session.workspace.root if session.workspace else None
    )
    if subject is not None:
        context["subject"] = dict(subject.data)
        context[subject.kind] = context["subject"]
    return context
