"""Voiding a document: an issued or signed document is withdrawn from force, its number kept.

A void version stays in the store, on disk, in ``docs``, the legal register and the log, marked
void with the reason. Its number is never reused: ``docflow render DOC_ID`` issues the same
document again as the next version, from the current data, and so does a step that emits its
kind again. Guards that read the document's signatures no longer find it (a void document is
not live), so a step that needs it signed is blocked until the new version is signed; a step
already taken on it stays taken, and the result says which.

A signed contract annex is part of the contract: only a change request supersedes it, so
voiding one is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from docflow.app.withdrawal import steps_taken_on
from docflow.errors import Conflict, InvalidInput
from docflow.runtime.clock import today
from docflow.runtime.result import Result
from docflow.runtime.session import LIVE, Session
from docflow.views.documents import DocumentView, document_view

__all__ = ["VoidResult", "void_document"]


@dataclass(frozen=True)
class VoidResult(Result):
    """The void document, why and when, and the command that issues it again."""

    document: DocumentView
    reason: str
    voided_on: str
    reissue: str
    warning: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The document's JSON with ``reason``, ``voided_on``, ``reissue`` (and ``warning``)."""
        data = {
            **self.document.to_dict(),
            "reason": self.reason,
            "voided_on": self.voided_on,
            "reissue": self.reissue,
        }
        if self.warning:
            data["warning"] = self.warning
        return data


def void_document(
    session: Session, doc_id: str, reason: str, date: dt.date | None = None
) -> VoidResult:
    """Void the newest version of ``doc_id`` for ``reason`` on ``date`` (default today).

    Conflict (exit 5) for a document that is not issued or signed, and for a signed
    contract annex; InvalidInput for a blank reason or a date before the document's issue.
    """
    if not reason.strip():
        raise InvalidInput("voiding a document needs a reason: say why it is void")
    doc = session.find_document(doc_id)
    if doc.status not in LIVE:
        raise Conflict(f"{doc.doc_id} v{doc.version} is {doc.status} already")
    kind = session.kind_of(doc)
    if kind is not None and kind.annex and doc.status == "signed":
        annex = f" (annex {doc.annex})" if doc.annex is not None else ""
        raise Conflict(
            f"{doc.doc_id} v{doc.version} is a signed contract annex{annex}: it cannot be "
            "voided, only superseded by a change: file a change request (docflow change new)"
        )
    # Voiding is the PM's decision and stays possible; what was built on the document is said.
    taken = steps_taken_on(session, doc, None)
    voided_on = date or today()
    if voided_on < dt.date.fromisoformat(doc.issued_on):
        raise InvalidInput(
            f"void date {voided_on.isoformat()} is before {doc.doc_id} v{doc.version} was "
            f"issued ({doc.issued_on})"
        )
    with session.store.write(session.code, session.row.version) as tx:
        tx.set_document_status(doc.doc_id, doc.version, "void")
        tx.append_event(
            "document.voided",
            session.actor,
            {
                "document": doc.doc_id,
                "version": doc.version,
                "was": doc.status,
                "signed_by": sorted(session.signed_by(doc)),
                "reason": reason.strip(),
                "voided_on": voided_on.isoformat(),
            },
        )
    fresh = session.refreshed()
    return VoidResult(
        document=document_view(fresh, fresh.find_document(doc.doc_id)),
        reason=reason.strip(),
        voided_on=voided_on.isoformat(),
        reissue=f"docflow render {doc.doc_id}",
        warning=(
            f"step(s) {', '.join(taken)} were taken on {doc.doc_id} v{doc.version}; the "
            f"project stays where it is: issue {doc.doc_id} again and have it signed"
            if taken
            else None
        ),
    )
