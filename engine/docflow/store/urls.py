"""Store URLs and times, without SQLAlchemy: what every command needs before it reads.

``sqlite:///PATH`` (or ``sqlite+pysqlite:///PATH``) names an SQLite file, which read-only
commands open with the standard library's ``sqlite3``; any other URL is parsed by SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from docflow.errors import EnvironmentProblem

__all__ = ["default_url", "display_url", "now", "sqlite_file"]

# A plain file URL: no query string and no percent-escapes, which only SQLAlchemy decodes.
_SQLITE_FILE = re.compile(r"sqlite(?:\+pysqlite)?:///(?P<path>[^?%]+)")


def now() -> str:
    """The current UTC time as an ISO-8601 string with milliseconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def default_url(workspace: Path) -> str:
    """The URL of a workspace's own SQLite store, creating its ``.docflow`` folder."""
    folder = workspace / ".docflow"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create the store folder {folder}: {exc}") from exc
    return f"sqlite:///{folder.resolve() / 'docflow.db'}"


def sqlite_file(url: str) -> Path | None:
    """The database file of a plain SQLite file URL, or None for any other URL."""
    match = _SQLITE_FILE.fullmatch(url)
    if match is None or match["path"] == ":memory:":
        return None
    return Path(match["path"])


def display_url(url: str) -> str:
    """`url` with any password hidden, for messages."""
    if url.startswith("sqlite"):
        return url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
