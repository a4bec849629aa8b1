"""Reconciling a project's rows with its event chain: replay, compare, and the write check.

``verify`` replays every event's record (``ledger``) and compares the Ledger it builds with
the one the tables give, naming each row that differs (kind ``table_mismatch``); an event
whose record cannot be replayed, or does not lead to the rows digest it states, is reported
as ``event_chain``. A write transaction instead compares the tables with the record of the
head event only (:func:`check_before_write`): one digest, no replay, unless they differ.

A project registered before rows were recorded starts its records with a checkpoint event
(revision ``0002_row_checkpoint``); events before it carry no record and are not replayed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from docflow.errors import IntegrityFailure, Problem
from docflow.store import queries as q
from docflow.store.base import EventRow
from docflow.store.chain import canonical_json, event_hash, sha256_hex
from docflow.store.convert import event_row
from docflow.store.ledger import (
    KEYS,
    RECORD,
    Ledger,
    LedgerError,
    ledger_from_tables,
    row_label,
    sort_key,
)

__all__ = [
    "Replay",
    "check_before_write",
    "check_rows",
    "differences",
    "ledger_of_rows",
    "replay",
    "table_queries",
]

Rows = Sequence[Mapping[str, Any]]


@dataclass
class Replay:
    """What the chain's records build: the Ledger (None when no event has a record)."""

    ledger: Ledger | None = None
    problems: list[Problem] = field(default_factory=list)
    #: The events before the first record, when that record is a checkpoint.
    before: list[EventRow] = field(default_factory=list)
    #: The seq and rows of that checkpoint.
    checkpoint: tuple[int, Any] | None = None


def table_queries(code: str) -> list[q.Query]:
    """The reads of a project's rows: documents, signatures, changes, counters."""
    return [
        q.documents_query(code),
        q.signatures_query(code),
        q.changes_query(code),
        q.counters_query(code),
    ]


def ledger_of_rows(project: Mapping[str, Any], rows: Sequence[Rows]) -> Ledger:
    """The Ledger of the rows read by :func:`table_queries`, in that order."""
    documents, signatures, changes, counters = rows
    return ledger_from_tables(
        project,
        documents,
        signatures,
        changes,
        [(str(r["name"]), int(r["value"])) for r in counters],
    )


def _chain_problem(code: str, seq: int, message: str) -> Problem:
    return Problem(
        message=f"project {code}: event seq {seq} {message}",
        path=f"events[seq={seq}]",
        kind="event_chain",
    )


def _record(event: EventRow) -> Any:
    return event.data.get(RECORD) if isinstance(event.data, dict) else None


def _valid(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and isinstance(record.get("effects"), list)
        and isinstance(record.get("digest"), str)
    )


def replay(code: str, events: Sequence[EventRow]) -> Replay:
    """Replay the records of `events` (in seq order) into the Ledger they describe."""
    result = Replay()
    for event in events:
        record = _record(event)
        if record is None:
            if result.ledger is not None:
                result.problems.append(
                    _chain_problem(code, event.seq, f"({event.type}) records no row changes")
                )
            else:
                result.before.append(event)
            continue
        if not _valid(record):
            result.problems.append(_chain_problem(code, event.seq, "has a malformed record"))
            continue
        first = result.ledger is None
        ledger = result.ledger = result.ledger or Ledger()
        for effect in record["effects"]:
            if isinstance(effect, dict) and effect.get("op") == "checkpoint":
                if first:
                    result.checkpoint = (event.seq, effect.get("tables"))
                else:
                    result.problems.append(
                        _chain_problem(code, event.seq, "is a checkpoint after rows were recorded")
                    )
            try:
                ledger.apply(effect, event.seq)
            except LedgerError as exc:
                result.problems.append(_chain_problem(code, event.seq, f"cannot apply: {exc}"))
        if record.get("state") != ledger.state or record["digest"] != ledger.digest():
            result.problems.append(
                _chain_problem(code, event.seq, "states rows that its recorded changes do not give")
            )
    return result


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


def _column_name(column: str) -> str:
    hashed = column in ("baseline_sha256", "body_sha256")
    return column.removesuffix("_sha256") if hashed else column


def differences(code: str, chain: Ledger, tables: Ledger) -> list[Problem]:
    """Every row where the tables differ from the chain, in table and key order."""
    problems: list[Problem] = []

    def add(table: str, key: tuple[Any, ...], column: str | None, detail: str) -> None:
        where = f"{table}[{' '.join(str(k) for k in key) or code}]"
        problems.append(
            Problem(
                message=f"project {code}: {detail}",
                path=f"{where}.{column}" if column else where,
                kind="table_mismatch",
            )
        )

    for table in KEYS:
        want, have = chain.tables[table], tables.tables[table]
        for key in sorted(set(want) | set(have), key=sort_key):
            label = row_label(table, key)
            seq = chain.seqs.get((table, key))
            if key not in have:
                add(table, key, None, f"{label} is missing from the store (recorded at seq {seq})")
                continue
            if key not in want:
                add(table, key, None, f"{label} is in the store but in no event of the chain")
                continue
            for column in sorted(set(want[key]) | set(have[key])):
                expected, actual = want[key].get(column), have[key].get(column)
                if expected == actual:
                    continue
                name = _column_name(column)
                if name != column:
                    detail = f"{label} has a {name} other than the one recorded at seq {seq}"
                else:
                    detail = (
                        f"{label} has {name} {_show(actual)} in the store, but the event chain "
                        f"says {_show(expected)} (seq {seq})"
                    )
                add(table, key, name, detail)
    return problems


def _head_problem(project: Mapping[str, Any], tail: list[EventRow], tables: Ledger) -> str | None:
    """Why the head event does not vouch for the tables, or None when it does."""
    head = project["head_seq"]
    if not tail or tail[0].seq != head:
        return f"its head event seq {head} is missing"
    if len(tail) > 1:
        return f"its event log goes beyond the recorded head seq {head}"
    event = tail[0]
    computed = event_hash(event.seq, event.at, event.actor, event.type, event.data, event.prev_hash)
    if sha256_hex(canonical_json(event.data)) != event.data_sha256 or computed != event.hash:
        return f"its head event seq {head} was edited"
    if event.hash != project["head_hash"]:
        return f"its head event seq {head} is not the recorded head of the chain"
    record = _record(event)
    if not _valid(record):
        return f"its head event seq {head} records no rows (run `docflow db upgrade`)"
    if record.get("state") != project["state"]:
        return (
            f"the project row has state {project['state']!r}, but its head event seq {head} "
            f"leads to {record.get('state')!r}"
        )
    if record["digest"] != tables.digest():
        return f"its rows are not those its head event seq {head} records"
    return None


def check_rows(
    project: Mapping[str, Any], tail: Rows, tables: Sequence[Rows], chain: Callable[[], Rows]
) -> Ledger:
    """The Ledger of the project's rows, once they are what its head event records.

    `project` is the ``projects`` row, `tail` the rows of ``queries.head_events_query`` and
    `tables` those of :func:`table_queries`, all read in one transaction. Otherwise
    IntegrityFailure (exit 6) names the first difference, found by replaying the whole chain,
    which `chain` reads.
    """
    code = str(project["code"])
    tables_ledger = ledger_of_rows(project, tables)
    reason = _head_problem(project, [event_row(r) for r in tail], tables_ledger)
    if reason is None:
        return tables_ledger
    found = replay(code, [event_row(r) for r in chain()])
    problems = found.problems
    if found.ledger is not None:
        problems = problems + differences(code, found.ledger, tables_ledger)
    first = problems[0].message.removeprefix(f"project {code}: ") if problems else reason
    raise IntegrityFailure(
        f"project {code} does not match its event chain ({first}); docflow does not act on "
        "it and wrote nothing: run `docflow verify`",
        problems or [Problem(message=f"project {code}: {reason}", kind="table_mismatch")],
    )


def check_before_write(project: Mapping[str, Any], run: Callable[[q.Query], Rows]) -> Ledger:
    """:func:`check_rows` inside a write transaction, whose queries `run` runs."""
    code = str(project["code"])
    return check_rows(
        project,
        run(q.head_events_query(code)),
        [run(query) for query in table_queries(code)],
        lambda: run(q.events_query(code)),
    )
