"""The audit trail of a project: its hash-chained events, oldest first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docflow.runtime.result import Result
from docflow.runtime.session import Session

__all__ = ["LogEvent", "events"]


@dataclass(frozen=True)
class LogEvent(Result):
    """One event of the audit trail: who did what when, chained to the event before."""

    seq: int
    at: str
    actor: str
    type: str
    data: Mapping[str, Any]
    hash: str
    prev_hash: str


def events(session: Session) -> tuple[LogEvent, ...]:
    """Every event of the project, oldest first."""
    return tuple(
        LogEvent(e.seq, e.at, e.actor, e.type, e.data, e.hash, e.prev_hash)
        for e in session.store.events(session.code)
    )
