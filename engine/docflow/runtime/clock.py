"""The one clock of docflow: the timestamp of a record and the day a document is dated.

``DOCFLOW_TODAY`` (YYYY-MM-DD) sets "today" for demos and tests; every command that issues or
signs takes an explicit date too, which wins over both. :func:`on_day` makes "today" a given
day for the code run inside it (the demo lives each step of its story on that step's day).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

from docflow.errors import InvalidInput
from docflow.store.urls import now as _store_now

__all__ = ["now", "on_day", "today"]

_day: dt.date | None = None


def now() -> str:
    """The current UTC time as ISO-8601 with milliseconds, as the store writes its times."""
    return _store_now()


def today() -> dt.date:
    """Today's date: the day of an enclosing :func:`on_day`, else ``DOCFLOW_TODAY`` when set,
    else the machine's local date."""
    if _day is not None:
        return _day
    text = os.environ.get("DOCFLOW_TODAY", "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"DOCFLOW_TODAY={text!r} is not a date (YYYY-MM-DD)") from exc


@contextmanager
def on_day(day: dt.date | None) -> Iterator[None]:
    """Inside the block, :func:`today` is ``day`` (None: unchanged). Not for threads that
    should keep their own day: the day is the process's."""
    global _day
    before = _day
    if day is not None:
        _day = day
    try:
        yield
    finally:
        _day = before
