"""What a project's rows hold, as its event chain records it: row effects, a ledger, a digest.

Every change a write transaction makes to a project's rows is an *effect*, and the store
attaches the effects to the event the transaction appends next. Each event's data carries,
under the key ``"store"``, the record::

    {"v": 1, "effects": [EFFECT, ...], "state": STATE, "digest": SHA256}

``effects`` are the row changes since the previous event, ``state`` the project's state after
them and ``digest`` the sha256 of every row of the project after them (:meth:`Ledger.digest`).
An effect is one of::

    {"op": "insert", "table": T, "row": {...}}                 a new row
    {"op": "update", "table": T, "key": {...}, "set": {...}}   columns of an existing row
    {"op": "upsert", "table": "counters", "row": {...}}        a counter's new value
    {"op": "delete", "table": T, "key": {...}}                 a row removed (a withdrawal)
    {"op": "checkpoint", "tables": {T: [ROW, ...], ...}}       every row, as the tables held them

A :class:`Ledger` holds the rows one project has in each table, in the form the records use:
the dataclass fields of the row (``store.base``), JSON-valued columns as plain JSON, except
the requirement baseline and a change request's body, which are kept as their sha256
(``baseline_sha256``, ``body_sha256``) so that events stay small. The same Ledger is built
from the tables (:func:`ledger_from_tables`) and by replaying effects (``reconcile``); the two
must be equal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from docflow.store.base import ChangeRow, DocumentRow, SignatureRow
from docflow.store.chain import canonical_json, jsonable, sha256_hex

__all__ = [
    "FIELDS",
    "FORMAT",
    "KEYS",
    "RECORD",
    "Ledger",
    "LedgerError",
    "change_view",
    "document_view",
    "json_sha",
    "ledger_from_tables",
    "project_view",
    "row_label",
    "signature_view",
    "sort_key",
    "table_view",
]

#: The key of an event's data that holds the store's record of the event.
RECORD = "store"
FORMAT = 1

# Each table of a project and the columns that name one of its rows, in report order.
KEYS: dict[str, tuple[str, ...]] = {
    "projects": (),
    "documents": ("doc_id", "version"),
    "signatures": ("doc_id", "version", "party"),
    "change_requests": ("cr_id",),
    "counters": ("name",),
}

Row = dict[str, Any]
Key = tuple[Any, ...]


class LedgerError(ValueError):
    """An effect that cannot apply to the rows it names (or is not an effect at all)."""


def json_sha(value: Any) -> str | None:
    """The sha256 of a JSON value's canonical text; None stays None."""
    return None if value is None else sha256_hex(canonical_json(value))


def project_view(project: Mapping[str, Any]) -> Row:
    """The columns of the ``projects`` row that the chain accounts for, from the database row
    or a ProjectRow's fields."""
    baseline = project["baseline"]
    # JSON text as sqlite3 returns it is hashed as it is: the store writes it canonical (so a
    # large baseline is not parsed again), and text edited into another form differs.
    raw = isinstance(baseline, str | bytes)
    baseline_sha = sha256_hex(baseline) if raw else json_sha(baseline)
    return {
        "name": project["name"],
        "workflow": project["workflow"],
        "locale": project["locale"],
        "state": project["state"],
        "baseline_sha256": baseline_sha,
    }


# The columns of each per-project table that the ledger holds: the row dataclass's fields.
FIELDS: dict[str, tuple[str, ...]] = {
    "documents": tuple(DocumentRow.__dataclass_fields__),
    "signatures": tuple(SignatureRow.__dataclass_fields__),
    "change_requests": tuple(ChangeRow.__dataclass_fields__),
}


def _json(value: Any) -> Any:
    # A JSON column as sqlite3 returns it (text) or as SQLAlchemy does (decoded).
    return json.loads(value) if isinstance(value, str | bytes) else value


def table_view(table: str, values: Mapping[str, Any]) -> Row:
    """One row of `table` as the ledger holds it, from a database row or a row dataclass's
    fields (plain JSON values: the store writes nothing else)."""
    row = {name: values[name] for name in FIELDS[table]}
    if table == "documents":
        row["files"] = _json(row["files"])
    elif table == "change_requests":
        row["body_sha256"] = json_sha(_json(row.pop("body")))
    return row


def document_view(row: DocumentRow) -> Row:
    """A ``documents`` row as the ledger holds it."""
    return table_view("documents", {**vars(row), "files": jsonable(row.files)})


def signature_view(row: SignatureRow) -> Row:
    """A ``signatures`` row as the ledger holds it."""
    return table_view("signatures", vars(row))


def change_view(row: ChangeRow) -> Row:
    """A ``change_requests`` row as the ledger holds it: the body as its sha256."""
    return table_view("change_requests", {**vars(row), "body": jsonable(row.body)})


def row_label(table: str, key: Key) -> str:
    """How messages name one row: ``document SP-1 v1``, ``client's signature on SP-1 v1``."""
    if table == "projects":
        return "the project row"
    if table == "documents":
        return f"document {key[0]} v{key[1]}"
    if table == "signatures":
        return f"{key[2]}'s signature on {key[0]} v{key[1]}"
    if table == "change_requests":
        return f"change request {key[0]}"
    return f"counter {key[0]}"


class Ledger:
    """The rows of one project, table by table, and the seq of the event that last set each."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[Key, Row]] = {table: {} for table in KEYS}
        self.seqs: dict[tuple[str, Key], int] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ledger) and self.tables == other.tables

    __hash__ = None  # type: ignore[assignment]

    @property
    def state(self) -> str | None:
        """The project's state, or None before the project row exists."""
        project = self.tables["projects"].get(())
        return None if project is None else project.get("state")

    @staticmethod
    def key(table: str, row: Mapping[str, Any]) -> Key:
        """The key of `row` in `table`."""
        try:
            return tuple(row[column] for column in KEYS[table])
        except KeyError as exc:
            raise LedgerError(f"a {table} row without its key column {exc}") from exc

    def digest(self) -> str:
        """The sha256 of every row, each table in key order."""
        return sha256_hex(canonical_json(self.snapshot()))

    def snapshot(self) -> dict[str, list[Row]]:
        """Every row, each table in key order (what a checkpoint records)."""
        return {
            table: [rows[key] for key in sorted(rows, key=sort_key)]
            for table, rows in self.tables.items()
        }

    def put(self, table: str, row: Mapping[str, Any], seq: int) -> Key:
        """Insert or replace one row, set by the event `seq`."""
        key = self.key(table, row)
        self.tables[table][key] = dict(row)
        self.seqs[(table, key)] = seq
        return key

    def apply(self, effect: Any, seq: int) -> None:
        """Apply one recorded effect of the event `seq`; LedgerError if it cannot apply."""
        if not isinstance(effect, dict):
            raise LedgerError(f"an effect that is not an object: {effect!r:.80}")
        op = effect.get("op")
        if op == "checkpoint":
            self._checkpoint(effect.get("tables"), seq)
            return
        table = effect.get("table")
        if table not in KEYS:
            raise LedgerError(f"an effect on an unknown table {table!r:.40}")
        rows = self.tables[table]
        if op in ("insert", "upsert"):
            row = effect.get("row")
            if not isinstance(row, dict):
                raise LedgerError(f"an {op} into {table} without a row")
            key = self.key(table, row)
            if op == "insert" and key in rows:
                raise LedgerError(f"inserts {row_label(table, key)}, which exists already")
            self.put(table, row, seq)
        elif op == "update":
            where, values = effect.get("key"), effect.get("set")
            if not isinstance(where, dict) or not isinstance(values, dict):
                raise LedgerError(f"an update of {table} without key and values")
            key = self.key(table, where)
            if key not in rows:
                raise LedgerError(f"updates {row_label(table, key)}, which does not exist")
            self.put(table, {**rows[key], **values}, seq)
        elif op == "delete":
            where = effect.get("key")
            if not isinstance(where, dict):
                raise LedgerError(f"a delete from {table} without a key")
            key = self.key(table, where)
            if key not in rows:
                raise LedgerError(f"deletes {row_label(table, key)}, which does not exist")
            del rows[key]
            self.seqs.pop((table, key), None)
        else:
            raise LedgerError(f"an unknown effect {op!r:.40}")

    def _checkpoint(self, tables: Any, seq: int) -> None:
        if not isinstance(tables, dict) or set(tables) != set(KEYS):
            raise LedgerError("a checkpoint that does not list every table")
        self.tables = {table: {} for table in KEYS}
        self.seqs = {}
        for table in KEYS:
            rows = tables[table]
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise LedgerError(f"a checkpoint whose {table} are not rows")
            for row in rows:
                self.put(table, row, seq)


def sort_key(key: Key) -> tuple[tuple[int, Any], ...]:
    """An order for keys: numbers by value (v2 before v10), then text."""
    return tuple((1, v) if isinstance(v, int) else (2, str(v)) for v in key)


def ledger_from_tables(
    project: Mapping[str, Any],
    documents: Iterable[Mapping[str, Any]],
    signatures: Iterable[Mapping[str, Any]],
    changes: Iterable[Mapping[str, Any]],
    counters: Iterable[tuple[str, int]],
) -> Ledger:
    """The Ledger of what the project's tables hold now, from their database rows (every seq
    is 0: nobody recorded them)."""
    ledger = Ledger()
    ledger.put("projects", project_view(project), 0)
    for table, rows in (
        ("documents", documents),
        ("signatures", signatures),
        ("change_requests", changes),
    ):
        for row in rows:
            ledger.put(table, table_view(table, row), 0)
    for name, value in counters:
        ledger.put("counters", {"name": name, "value": int(value)}, 0)
    return ledger
