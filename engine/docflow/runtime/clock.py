"""The one clock of docflow: the timestamp of a record and the day a document is dated.

``DOCFLOW_TODAY`` (YYYY-MM-DD) sets "today" for demos and tests; every command that issues or
signs takes an explicit date too, which wins over both.
"""

from __future__ import annotations

import datetime as dt
import os

from docflow.errors import InvalidInput
from docflow.store.urls import now as _store_now

__all__ = ["now", "today"]


def now() -> str:
    """The current UTC time as ISO-8601 with milliseconds, as the store writes its times."""
    return _store_now()


def today() -> dt.date:
    """Today's date: ``DOCFLOW_TODAY`` when set, else the machine's local date."""
    text = os.environ.get("DOCFLOW_TODAY", "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"DOCFLOW_TODAY={text!r} is not a date (YYYY-MM-DD)") from exc
