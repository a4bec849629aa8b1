"""Database rows to and from the store's dataclasses."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import RowMapping

from docflow.store.base import ChangeRow, DocumentRow, EventRow, ProjectRow, SignatureRow
from docflow.store.chain import jsonable

__all__ = [
    "change_row",
    "document_row",
    "event_row",
    "project_row",
    "row_values",
    "signature_row",
]


def _pick(cls: type[Any], row: RowMapping) -> dict[str, Any]:
    return {name: row[name] for name in cls.__dataclass_fields__}


def project_row(row: RowMapping) -> ProjectRow:
    """A ``projects`` row as a ProjectRow."""
    return ProjectRow(**_pick(ProjectRow, row))


def event_row(row: RowMapping) -> EventRow:
    """An ``events`` row as an EventRow."""
    return EventRow(**_pick(EventRow, row))


def document_row(row: RowMapping) -> DocumentRow:
    """A ``documents`` row as a DocumentRow."""
    return DocumentRow(**_pick(DocumentRow, row))


def signature_row(row: RowMapping) -> SignatureRow:
    """A ``signatures`` row as a SignatureRow."""
    return SignatureRow(**_pick(SignatureRow, row))


def change_row(row: RowMapping) -> ChangeRow:
    """A ``change_requests`` row as a ChangeRow."""
    return ChangeRow(**_pick(ChangeRow, row))


def row_values(row: DocumentRow | SignatureRow | ChangeRow, project_id: int) -> dict[str, Any]:
    """The column values to insert for `row` of the project with id `project_id`."""
    values = asdict(row)
    for key in ("files", "body"):
        if key in values:
            values[key] = jsonable(values[key])
    values["project_id"] = project_id
    return values
