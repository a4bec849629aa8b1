"""Database rows to and from the store's dataclasses.

Rows come from SQLAlchemy (JSON columns already decoded) or from ``sqlite3`` (JSON columns as
text); both become the same dataclass.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

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

Row = Mapping[str, Any]


def _pick(cls: type[Any], row: Row, json_columns: tuple[str, ...] = ()) -> dict[str, Any]:
    values = {name: row[name] for name in cls.__dataclass_fields__}
    for name in json_columns:
        if isinstance(values[name], str | bytes):
            values[name] = json.loads(values[name])
    return values


def project_row(row: Row) -> ProjectRow:
    """A ``projects`` row as a ProjectRow."""
    return ProjectRow(**_pick(ProjectRow, row, ("baseline",)))


def event_row(row: Row) -> EventRow:
    """An ``events`` row as an EventRow."""
    return EventRow(**_pick(EventRow, row, ("data",)))


def document_row(row: Row) -> DocumentRow:
    """A ``documents`` row as a DocumentRow."""
    return DocumentRow(**_pick(DocumentRow, row, ("files",)))


def signature_row(row: Row) -> SignatureRow:
    """A ``signatures`` row as a SignatureRow."""
    return SignatureRow(**_pick(SignatureRow, row))


def change_row(row: Row) -> ChangeRow:
    """A ``change_requests`` row as a ChangeRow."""
    return ChangeRow(**_pick(ChangeRow, row, ("body",)))


def row_values(row: DocumentRow | SignatureRow | ChangeRow, project_id: int) -> dict[str, Any]:
    """The column values to insert for `row` of the project with id `project_id`."""
    values = asdict(row)
    for key in ("files", "body"):
        if key in values:
            values[key] = jsonable(values[key])
    values["project_id"] = project_id
    return values
