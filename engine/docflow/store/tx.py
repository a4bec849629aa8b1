"""The writes of one command on one locked project (SqlWriteTx).

A SqlWriteTx lives inside the transaction that :meth:`SqlStore.write` opened after locking the
project row. Per-project rows (documents, signatures, changes) are checked before they are
inserted: the lock makes check-then-insert safe, and it keeps a PostgreSQL transaction from
being aborted by a failed INSERT. The project row itself is updated once, by :meth:`finish`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from docflow.errors import Conflict, DocflowError
from docflow.store.base import ChangeRow, DocumentRow, EventRow, ProjectRow, SignatureRow
from docflow.store.chain import canonical_json, event_hash, jsonable, sha256_hex
from docflow.store.convert import row_values
from docflow.store.schema import (
    blobs,
    change_requests,
    counters,
    documents,
    events,
    projects,
    signatures,
)
from docflow.store.urls import now

__all__ = ["SqlWriteTx", "insert_event"]

_CHANGE_FIELDS = frozenset(ChangeRow.__dataclass_fields__) - {"cr_id"}


def insert_event(
    conn: Connection, project: ProjectRow, project_id: int, type: str, actor: str, data: Any
) -> EventRow:
    """Insert the event after `project`'s head and return it (the caller moves the head)."""
    plain = jsonable(data)
    seq = project.head_seq + 1
    at = now()
    event = EventRow(
        seq=seq,
        at=at,
        actor=actor,
        type=type,
        data=plain,
        data_sha256=sha256_hex(canonical_json(plain)),
        prev_hash=project.head_hash,
        hash=event_hash(seq, at, actor, type, plain, project.head_hash),
    )
    conn.execute(insert(events).values(project_id=project_id, **dataclasses.asdict(event)))
    return event


class SqlWriteTx:
    """WriteTx on SQLAlchemy Core; `project` follows the writes (state, head) as they happen."""

    def __init__(self, conn: Connection, project: ProjectRow, project_id: int) -> None:
        self.project = project
        self._conn = conn
        self._id = project_id
        self._dialect = conn.dialect.name

    def _insert(self, table: Any) -> Any:
        return (pg_insert if self._dialect == "postgresql" else sqlite_insert)(table)

    def _where(self, doc_id: str, version: int) -> Any:
        return (
            (documents.c.project_id == self._id)
            & (documents.c.doc_id == doc_id)
            & (documents.c.version == version)
        )

    def append_event(self, type: str, actor: str, data: dict[str, Any]) -> EventRow:
        """Append the next event of the project's chain and return it."""
        event = insert_event(self._conn, self.project, self._id, type, actor, data)
        self.project = dataclasses.replace(self.project, head_seq=event.seq, head_hash=event.hash)
        return event

    def set_state(self, state: str) -> None:
        """Move the project to `state`."""
        self.project = dataclasses.replace(self.project, state=state)

    def set_baseline(self, requirements: list[dict[str, Any]]) -> None:
        """Freeze `requirements` as the project's confirmed requirement baseline."""
        self.project = dataclasses.replace(self.project, baseline=jsonable(requirements))

    def next_number(self, counter: str) -> int:
        """Take the next gapless number of `counter` for this project (1, 2, ...)."""
        self._conn.execute(
            self._insert(counters)
            .values(project_id=self._id, name=counter, value=0)
            .on_conflict_do_nothing(index_elements=["project_id", "name"])
        )
        value = self._conn.execute(
            update(counters)
            .where((counters.c.project_id == self._id) & (counters.c.name == counter))
            .values(value=counters.c.value + 1)
            .returning(counters.c.value)
        ).scalar_one()
        return int(value)

    def put_blob(self, data: bytes) -> str:
        """Store `data` by content and return its sha256; storing it again is a no-op."""
        digest = sha256_hex(data)
        self._conn.execute(
            self._insert(blobs)
            .values(sha256=digest, size=len(data), data=data)
            .on_conflict_do_nothing(index_elements=["sha256"])
        )
        return digest

    def add_document(self, row: DocumentRow) -> None:
        """Record one issued document version; an existing (doc_id, version) is a Conflict."""
        exists = self._conn.execute(
            select(func.count()).select_from(documents).where(self._where(row.doc_id, row.version))
        ).scalar_one()
        if exists:
            raise Conflict(
                f"document {row.doc_id} version {row.version} already exists in project "
                f"{self.project.code}"
            )
        self._conn.execute(insert(documents).values(**row_values(row, self._id)))

    def _update_document(self, doc_id: str, version: int, **values: Any) -> None:
        result = self._conn.execute(
            update(documents).where(self._where(doc_id, version)).values(**values)
        )
        if result.rowcount != 1:
            raise Conflict(
                f"project {self.project.code} has no document {doc_id} version {version}"
            )

    def set_document_status(self, doc_id: str, version: int, status: str) -> None:
        """Change the status of one document version."""
        self._update_document(doc_id, version, status=status)

    def set_signed_file(self, doc_id: str, version: int, sha256: str) -> None:
        """Record the blob of the signed PDF of one document version."""
        self._update_document(doc_id, version, signed_pdf_sha256=sha256)

    def add_signature(self, row: SignatureRow) -> None:
        """Record one party's signature; a second one by the same party is a Conflict."""
        exists = self._conn.execute(
            select(func.count())
            .select_from(signatures)
            .where(
                (signatures.c.project_id == self._id)
                & (signatures.c.doc_id == row.doc_id)
                & (signatures.c.version == row.version)
                & (signatures.c.party == row.party)
            )
        ).scalar_one()
        if exists:
            raise Conflict(
                f"{row.party} has already signed {row.doc_id} version {row.version} of project "
                f"{self.project.code}"
            )
        self._conn.execute(insert(signatures).values(**row_values(row, self._id)))

    def _change_exists(self, cr_id: str) -> bool:
        count = self._conn.execute(
            select(func.count())
            .select_from(change_requests)
            .where((change_requests.c.project_id == self._id) & (change_requests.c.cr_id == cr_id))
        ).scalar_one()
        return bool(count)

    def add_change(self, row: ChangeRow) -> None:
        """Record a new change request; an existing cr_id is a Conflict."""
        if self._change_exists(row.cr_id):
            raise Conflict(
                f"change request {row.cr_id} already exists in project {self.project.code}"
            )
        self._conn.execute(insert(change_requests).values(**row_values(row, self._id)))

    def update_change(self, cr_id: str, **fields: Any) -> None:
        """Change fields of a change request (status, annex, doc_id, decided_by...)."""
        unknown = sorted(set(fields) - _CHANGE_FIELDS)
        if unknown:
            raise DocflowError(f"update_change({cr_id}) got unknown field(s) {', '.join(unknown)}")
        if "body" in fields:
            fields["body"] = jsonable(fields["body"])
        if not self._change_exists(cr_id):
            raise Conflict(f"project {self.project.code} has no change request {cr_id}")
        if fields:
            self._conn.execute(
                update(change_requests)
                .where(
                    (change_requests.c.project_id == self._id) & (change_requests.c.cr_id == cr_id)
                )
                .values(**fields)
            )

    def finish(self) -> ProjectRow:
        """Write the project row: the new version, state, baseline and chain head."""
        p = self.project
        updated = dataclasses.replace(p, version=p.version + 1, updated_at=now())
        self._conn.execute(
            update(projects)
            .where(projects.c.id == self._id)
            .values(
                version=updated.version,
                state=updated.state,
                baseline=updated.baseline,
                head_seq=updated.head_seq,
                head_hash=updated.head_hash,
                updated_at=updated.updated_at,
            )
        )
        self.project = updated
        return updated
