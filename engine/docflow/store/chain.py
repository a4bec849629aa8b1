"""The hash chain of project events: canonical JSON, event hashes, and the chain check.

An event's hash is the sha256 of the canonical JSON of ``{seq, at, actor, type, data,
prev_hash}``; the first event's ``prev_hash`` is 64 zeros. Changing, removing or reordering
any stored event breaks the chain at a seq that :func:`check_chain` names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from docflow.errors import Problem
from docflow.store.base import EventRow

__all__ = [
    "GENESIS_HASH",
    "canonical_json",
    "check_chain",
    "event_hash",
    "jsonable",
    "sha256_hex",
]

GENESIS_HASH = "0" * 64


def _default(value: Any) -> Any:
    # Money stays exact and dates stay readable: both become strings, never floats.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"cannot store a {type(value).__name__} as JSON: {value!r}")


def canonical_json(value: Any) -> str:
    """The one JSON text of `value` that hashes are computed over."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def jsonable(value: Any) -> Any:
    """`value` as plain JSON data, exactly as it reads back from the store."""
    return json.loads(canonical_json(value))


def sha256_hex(data: bytes | str) -> str:
    """The hex sha256 of bytes, or of a string encoded as UTF-8."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def event_hash(
    seq: int, at: str, actor: str, type: str, data: dict[str, Any], prev_hash: str
) -> str:
    """The hash of one event, chaining it to the event before it."""
    body = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "type": type,
        "data": data,
        "prev_hash": prev_hash,
    }
    return sha256_hex(canonical_json(body))


def _problem(code: str, seq: int, message: str) -> Problem:
    return Problem(
        message=f"project {code}: event seq {seq} {message}",
        path=f"events[seq={seq}]",
        kind="event_chain",
    )


def check_chain(
    code: str, events: Iterable[EventRow], head_seq: int, head_hash: str
) -> list[Problem]:
    """Every break in a project's event chain, each named by the seq where it is found.

    `events` must be ordered by seq; `head_seq` / `head_hash` are the project row's record of
    the last event, which catches a removed or replaced tail.
    """
    problems: list[Problem] = []
    expected_seq = 1
    # Hashes the next event may name as prev_hash: the stored one and, for a damaged row,
    # the one it should have had, so one damaged row is reported once, not at every later row.
    prev_hashes = {GENESIS_HASH}
    last_hash = GENESIS_HASH
    for event in events:
        if event.seq != expected_seq:
            gap = (
                f"{expected_seq}"
                if event.seq == expected_seq + 1
                else f"{expected_seq}..{event.seq - 1}"
            )
            problems.append(_problem(code, expected_seq, f"is missing (seq {gap} absent)"))
        elif event.prev_hash not in prev_hashes:
            problems.append(
                _problem(
                    code,
                    event.seq,
                    f"does not follow seq {event.seq - 1}: one of them was rewritten",
                )
            )
        computed = event_hash(
            event.seq, event.at, event.actor, event.type, event.data, event.prev_hash
        )
        if sha256_hex(canonical_json(event.data)) != event.data_sha256:
            problems.append(_problem(code, event.seq, "was edited: its data does not match"))
        elif computed != event.hash:
            problems.append(_problem(code, event.seq, "was edited: its hash does not match"))
        prev_hashes = {event.hash, computed}
        last_hash = event.hash
        expected_seq = event.seq + 1
    last_seq = expected_seq - 1
    if last_seq < head_seq:
        problems.append(_problem(code, last_seq + 1, f"is missing (the head is seq {head_seq})"))
    elif last_seq > head_seq:
        problems.append(_problem(code, last_seq, f"is beyond the recorded head seq {head_seq}"))
    elif last_seq and last_hash != head_hash:
        problems.append(_problem(code, last_seq, "is not the recorded head of the chain"))
    return problems
