"""Finding the item a document is about again, from the reference its metadata recorded.

Change requests, meetings and reporting periods are items docflow keeps itself; every other
item kind is a list in ``project.yaml`` that the workflow declares under ``items``. Documents
issued before subjects were recorded (render snapshots of version 0) are found through the
change that names them.
"""

from __future__ import annotations

import datetime as dt

from docflow.changes.annex import CHANGE, change_subject
from docflow.documents.subjects import Subject, parse_ref
from docflow.errors import InvalidInput
from docflow.runtime.session import Session
from docflow.spec.records import KEPT_ITEMS
from docflow.store.base import DocumentRow

__all__ = ["find_subject"]


def _first_issued(session: Session, doc_id: str) -> dt.date | None:
    first = next((d for d in session.all_documents if d.doc_id == doc_id), None)
    return dt.date.fromisoformat(first.issued_on) if first is not None else None


def find_subject(session: Session, doc: DocumentRow, ref: str | None) -> Subject | None:
    """The subject of ``doc`` as its data reads now; None for a document about no item.

    Raises InvalidInput when the item is gone (a list entry removed from project.yaml).
    """
    kind = session.kind_of(doc)
    per = kind.per if kind is not None else None
    if ref is None:
        if per != CHANGE:
            return None
        change = session.ledger.for_document(doc.doc_id)
        if change is None:
            return None
        ref = f"{CHANGE}:{change.cr_id}"
    item_kind, key = parse_ref(ref)
    if item_kind == CHANGE:
        change = session.ledger.find(key)
        return change_subject(session.ledger, change, None, _first_issued(session, doc.doc_id))
    if item_kind in KEPT_ITEMS:
        from docflow.records.subjects import kept_subject

        return kept_subject(session, item_kind, doc.doc_id)
    from docflow.documents.items import find_item

    subject = find_item(session, item_kind, key)
    if subject is None:
        raise InvalidInput(
            f"{doc.doc_id} is about {item_kind} {key}, which project.yaml no longer lists"
        )
    return subject
