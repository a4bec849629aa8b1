"""What the portal adds to a project's views: declines of documents still awaiting signatures."""

from __future__ import annotations

from dataclasses import dataclass

from docflow.runtime.result import Result
from docflow.runtime.session import Session

__all__ = ["DeclineView", "declines"]


@dataclass(frozen=True)
class DeclineView(Result):
    """A party declined to sign a document version, and said why."""

    document: str
    version: int
    party: str
    signer: str
    reason: str
    at: str
    link: str | None


def declines(session: Session) -> tuple[DeclineView, ...]:
    """Declines of the current version of each document that is still issued."""
    from docflow.store.portal import PortalStore

    current = {(d.doc_id, d.version) for d in session.documents if d.status == "issued"}
    return tuple(
        DeclineView(d.doc_id, d.version, d.party, d.signer, d.reason, d.at, d.link_id)
        for d in PortalStore(session.store).declines(session.code)
        if (d.doc_id, d.version) in current
    )
