"""The writes of one command on one locked project (SqlWriteTx), in SQL both backends run.

A SqlWriteTx lives inside the transaction that :meth:`StoreWrites.write` opened after locking
the project row, and runs its statements through the backend's :class:`Executor`: the
standard library's ``sqlite3`` for an SQLite file, SQLAlchemy for PostgreSQL. The SQL is
portable (``INSERT ... RETURNING`` and ``ON CONFLICT`` need SQLite 3.35). Per-project rows
(documents, signatures, changes) are checked before they are inserted: the lock makes
check-then-insert safe, and it keeps a PostgreSQL transaction from being aborted by a failed
INSERT. The project row itself is updated once, by :meth:`SqlWriteTx.finish`.

Each row change is also recorded as an effect on the transaction's :class:`Ledger` (which the
store checked against the chain head when the transaction opened), and the effects go into
the next event the transaction appends (``ledger``): callers never list them themselves, and a
transaction that changes rows without appending an event after them fails and writes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Protocol

from docflow.errors import Conflict, DocflowError
from docflow.store.base import ChangeRow, DocumentRow, EventRow, ProjectRow, SignatureRow
from docflow.store.chain import canonical_json, event_hash, jsonable, sha256_hex
from docflow.store.convert import change_row, row_values
from docflow.store.ledger import (
    FORMAT,
    RECORD,
    Ledger,
    change_view,
    document_view,
    json_sha,
    signature_view,
)
from docflow.store.urls import now

__all__ = ["Executor", "SqlWriteTx", "insert_event", "insert_row", "new_event", "record_of"]

_CHANGE_FIELDS = frozenset(ChangeRow.__dataclass_fields__) - {"cr_id"}
# The JSON column of each table: its value is bound as canonical JSON text.
_JSON_COLUMN = {
    "projects": "baseline",
    "events": "data",
    "documents": "files",
    "change_requests": "body",
}

_DOCUMENT = "project_id = :project_id AND doc_id = :doc_id AND version = :version"


class Executor(Protocol):
    """Runs SQL with ``:name`` parameters inside one open write transaction."""

    #: Appended to the SELECT that locks the project row (`` FOR UPDATE`` or nothing).
    for_update: str

    def run(self, sql: str, params: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """Run one statement; its rows (those of RETURNING too), or [] when it has none."""
        ...

    def json(self, name: str) -> str:
        """The SQL expression of parameter `name` holding JSON text, for a JSON column."""
        ...


def _json_text(value: Any, *, null: bool = False) -> str | None:
    # What SQLAlchemy's JSON type stored with json_serializer=canonical_json: the canonical
    # text, and SQL NULL for None only in a column declared none_as_null (the baseline).
    if value is None and null:
        return None
    return canonical_json(value)


def insert_row(ex: Executor, table: str, values: Mapping[str, Any], returning: str = "") -> Any:
    """INSERT one row of plain `values` into `table`; the value of the RETURNING column."""
    params = dict(values)
    column = _JSON_COLUMN.get(table)
    if column is not None:
        params[column] = _json_text(params[column], null=column == "baseline")
    placeholders = ", ".join(ex.json(n) if n == column else f":{n}" for n in params)
    sql = f"INSERT INTO {table} ({', '.join(params)}) VALUES ({placeholders})"
    if returning:
        return ex.run(f"{sql} RETURNING {returning}", params)[0][returning]
    ex.run(sql, params)
    return None


def new_event(project: ProjectRow, type: str, actor: str, data: Any) -> EventRow:
    """The event that follows `project`'s head."""
    plain = jsonable(data)
    seq = project.head_seq + 1
    at = now()
    return EventRow(
        seq=seq,
        at=at,
        actor=actor,
        type=type,
        data=plain,
        data_sha256=sha256_hex(canonical_json(plain)),
        prev_hash=project.head_hash,
        hash=event_hash(seq, at, actor, type, plain, project.head_hash),
    )


def record_of(ledger: Ledger, effects: list[dict[str, Any]]) -> dict[str, Any]:
    """The store's record of one event: its row effects, and the state and digest after them."""
    return {"v": FORMAT, "effects": effects, "state": ledger.state, "digest": ledger.digest()}


def insert_event(ex: Executor, project_id: int, event: EventRow) -> None:
    """Insert `event` into the project's chain (the caller moves the head)."""
    insert_row(ex, "events", {"project_id": project_id, **dataclasses.asdict(event)})


class SqlWriteTx:
    """WriteTx on an Executor; `project` follows the writes (state, head) as they happen."""

    def __init__(self, ex: Executor, project: ProjectRow, project_id: int, ledger: Ledger) -> None:
        self.project = project
        self._ex = ex
        self._id = project_id
        self._ledger = ledger
        self._effects: list[dict[str, Any]] = []

    def _record(self, effect: dict[str, Any]) -> None:
        # The effect belongs to the next event this transaction appends.
        self._ledger.apply(effect, self.project.head_seq + 1)
        self._effects.append(effect)

    def _exists(self, table: str, where: str, **params: Any) -> bool:
        sql = f"SELECT 1 AS found FROM {table} WHERE {where}"
        return bool(self._ex.run(sql, {"project_id": self._id, **params}))

    def _insert(self, table: str, row: DocumentRow | SignatureRow | ChangeRow) -> None:
        insert_row(self._ex, table, row_values(row, self._id))

    def append_event(self, type: str, actor: str, data: dict[str, Any]) -> EventRow:
        """Append the next event of the project's chain and return it.

        The store adds to `data` its record (key ``"store"``) of the rows changed since the
        previous event, and of the state and rows digest they lead to.
        """
        if RECORD in data:
            raise DocflowError(f"event data may not use the key {RECORD!r}: the store's record")
        record = record_of(self._ledger, self._effects)
        event = new_event(self.project, type, actor, {**data, RECORD: record})
        insert_event(self._ex, self._id, event)
        self._effects = []
        self.project = dataclasses.replace(self.project, head_seq=event.seq, head_hash=event.hash)
        return event

    def set_state(self, state: str) -> None:
        """Move the project to `state`."""
        self.project = dataclasses.replace(self.project, state=state)
        self._record({"op": "update", "table": "projects", "key": {}, "set": {"state": state}})

    def set_baseline(self, requirements: list[dict[str, Any]]) -> None:
        """Freeze `requirements` as the project's confirmed requirement baseline."""
        baseline = jsonable(requirements)
        self.project = dataclasses.replace(self.project, baseline=baseline)
        self._record(
            {
                "op": "update",
                "table": "projects",
                "key": {},
                "set": {"baseline_sha256": json_sha(baseline)},
            }
        )

    def next_number(self, counter: str) -> int:
        """Take the next gapless number of `counter` for this project (1, 2, ...)."""
        rows = self._ex.run(
            "INSERT INTO counters (project_id, name, value) VALUES (:project_id, :name, 1) "
            "ON CONFLICT (project_id, name) DO UPDATE SET value = counters.value + 1 "
            "RETURNING value",
            {"project_id": self._id, "name": counter},
        )
        value = int(rows[0]["value"])
        row = {"name": counter, "value": value}
        self._record({"op": "upsert", "table": "counters", "row": row})
        return value

    def put_blob(self, data: bytes) -> str:
        """Store `data` by content and return its sha256; storing it again is a no-op."""
        digest = sha256_hex(data)
        self._ex.run(
            "INSERT INTO blobs (sha256, size, data) VALUES (:sha256, :size, :data) "
            "ON CONFLICT (sha256) DO NOTHING",
            {"sha256": digest, "size": len(data), "data": data},
        )
        return digest

    def add_document(self, row: DocumentRow) -> None:
        """Record one issued document version; an existing (doc_id, version) is a Conflict."""
        if self._exists("documents", _DOCUMENT, doc_id=row.doc_id, version=row.version):
            raise Conflict(
                f"document {row.doc_id} version {row.version} already exists in project "
                f"{self.project.code}"
            )
        self._insert("documents", row)
        self._record({"op": "insert", "table": "documents", "row": document_view(row)})

    def _update_document(self, doc_id: str, version: int, column: str, value: Any) -> None:
        updated = self._ex.run(
            f"UPDATE documents SET {column} = :value WHERE {_DOCUMENT} RETURNING id",
            {"value": value, "project_id": self._id, "doc_id": doc_id, "version": version},
        )
        if len(updated) != 1:
            raise Conflict(
                f"project {self.project.code} has no document {doc_id} version {version}"
            )
        key = {"doc_id": doc_id, "version": version}
        self._record({"op": "update", "table": "documents", "key": key, "set": {column: value}})

    def set_document_status(self, doc_id: str, version: int, status: str) -> None:
        """Change the status of one document version."""
        self._update_document(doc_id, version, "status", status)

    def set_signed_file(self, doc_id: str, version: int, sha256: str | None) -> None:
        """Record the blob of the signed PDF of one document version (None: no signed PDF)."""
        self._update_document(doc_id, version, "signed_pdf_sha256", sha256)

    def add_signature(self, row: SignatureRow) -> None:
        """Record one party's signature; a second one by the same party is a Conflict."""
        if self._exists(
            "signatures",
            f"{_DOCUMENT} AND party = :party",
            doc_id=row.doc_id,
            version=row.version,
            party=row.party,
        ):
            raise Conflict(
                f"{row.party} has already signed {row.doc_id} version {row.version} of project "
                f"{self.project.code}"
            )
        self._insert("signatures", row)
        self._record({"op": "insert", "table": "signatures", "row": signature_view(row)})

    def remove_signature(self, doc_id: str, version: int, party: str) -> None:
        """Delete one party's signature on one document version (a withdrawal); a Conflict if
        that party has not signed it."""
        deleted = self._ex.run(
            f"DELETE FROM signatures WHERE {_DOCUMENT} AND party = :party RETURNING id",
            {
                "project_id": self._id,
                "doc_id": doc_id,
                "version": version,
                "party": party,
            },
        )
        if len(deleted) != 1:
            raise Conflict(
                f"{party} has not signed {doc_id} version {version} of project {self.project.code}"
            )
        key = {"doc_id": doc_id, "version": version, "party": party}
        self._record({"op": "delete", "table": "signatures", "key": key})

    def _change_exists(self, cr_id: str) -> bool:
        return self._exists(
            "change_requests", "project_id = :project_id AND cr_id = :cr_id", cr_id=cr_id
        )

    def add_change(self, row: ChangeRow) -> None:
        """Record a new change request; an existing cr_id is a Conflict."""
        if self._change_exists(row.cr_id):
            raise Conflict(
                f"change request {row.cr_id} already exists in project {self.project.code}"
            )
        self._insert("change_requests", row)
        self._record({"op": "insert", "table": "change_requests", "row": change_view(row)})

    def changes(self) -> list[ChangeRow]:
        """Every change request of the project as this transaction sees it, by number.

        Read under the project's lock, so nothing another command files can be missing.
        """
        rows = self._ex.run(
            "SELECT * FROM change_requests WHERE project_id = :project_id ORDER BY number",
            {"project_id": self._id},
        )
        return [change_row(r) for r in rows]

    def set_workflow(self, workflow: str) -> None:
        """Move the project to another workflow definition (written by :meth:`finish`)."""
        self.project = dataclasses.replace(self.project, workflow=workflow)
        self._record(
            {"op": "update", "table": "projects", "key": {}, "set": {"workflow": workflow}}
        )

    def update_change(self, cr_id: str, **fields: Any) -> None:
        """Change fields of a change request (status, annex, doc_id, decided_by...)."""
        unknown = sorted(set(fields) - _CHANGE_FIELDS)
        if unknown:
            raise DocflowError(f"update_change({cr_id}) got unknown field(s) {', '.join(unknown)}")
        if not self._change_exists(cr_id):
            raise Conflict(f"project {self.project.code} has no change request {cr_id}")
        if not fields:
            return
        # Field names are checked above; values are parameters named v_<field>.
        params = {f"v_{name}": value for name, value in fields.items()}
        if "body" in fields:
            params["v_body"] = _json_text(jsonable(fields["body"]))
        assignments = ", ".join(
            f"{name} = {self._ex.json(f'v_{name}') if name == 'body' else f':v_{name}'}"
            for name in fields
        )
        self._ex.run(
            f"UPDATE change_requests SET {assignments} "
            "WHERE project_id = :project_id AND cr_id = :cr_id",
            {**params, "project_id": self._id, "cr_id": cr_id},
        )
        values = dict(jsonable(fields))
        if "body" in values:
            values["body_sha256"] = json_sha(values.pop("body"))
        key = {"cr_id": cr_id}
        self._record({"op": "update", "table": "change_requests", "key": key, "set": values})

    def finish(self) -> ProjectRow:
        """Write the project row: the new version, state, baseline and chain head.

        Row changes made after the transaction's last event would be in no event: that is a
        mistake of the caller, and nothing of the transaction is written.
        """
        if self._effects:
            tables = sorted({str(e.get("table")) for e in self._effects})
            raise DocflowError(
                f"a write on project {self.project.code} changed {', '.join(tables)} without "
                "appending an event after the change; nothing was written"
            )
        p = self.project
        updated = dataclasses.replace(p, version=p.version + 1, updated_at=now())
        self._ex.run(
            "UPDATE projects SET version = :version, state = :state, workflow = :workflow, "
            f"baseline = {self._ex.json('baseline')}, head_seq = :head_seq, "
            "head_hash = :head_hash, updated_at = :updated_at WHERE id = :id",
            {
                "version": updated.version,
                "state": updated.state,
                "workflow": updated.workflow,
                "baseline": _json_text(updated.baseline, null=True),
                "head_seq": updated.head_seq,
                "head_hash": updated.head_hash,
                "updated_at": updated.updated_at,
                "id": self._id,
            },
        )
        self.project = updated
        return updated
