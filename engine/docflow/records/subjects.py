"""Finding the meeting or the period a document is about again, for re-rendering it."""

from __future__ import annotations

from docflow.documents.subjects import Subject
from docflow.errors import InvalidInput
from docflow.runtime.session import Session
from docflow.spec.records import MEETING_ITEMS

__all__ = ["kept_subject"]


def kept_subject(session: Session, item_kind: str, doc_id: str) -> Subject:
    """The subject of ``doc_id``, about a meeting or a period docflow recorded."""
    if item_kind == MEETING_ITEMS:
        from docflow.records.meetings import subject_of_record

        record = session.records.meetings.get(doc_id)
        if record is None:
            raise InvalidInput(f"{doc_id} is about a meeting the record does not hold")
        return subject_of_record(session, record)
    from docflow.records.reports import period_subject

    return period_subject(session, doc_id)
