"""Which store a workspace belongs to: ``.docflow/store.json``, written by ``docflow init``.

The file names the store without secrets: ``{"store": "workspace", "project": CODE}`` for the
workspace's own SQLite file, or ``{"store": URL, "project": CODE}`` with the URL's password
left out (a PostgreSQL password comes from ``DOCFLOW_DATABASE_URL`` / ``--store``, which may
name the same store with it, or from libpq's ``PGPASSWORD`` and ``~/.pgpass``). Every command
in the workspace opens that store; a ``--store`` / ``DOCFLOW_DATABASE_URL`` that names another
one is a usage error (exit 2), since acting on the wrong register would be silent.
A workspace made before the file existed keeps the old rule: the URL given, else its own file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from docflow.errors import InvalidInput, UsageError
from docflow.store.urls import default_url, sqlite_file

__all__ = [
    "BINDING",
    "WORKSPACE",
    "is_own_store",
    "public_url",
    "read_binding",
    "resolve_url",
    "write_binding",
]

BINDING = Path(".docflow") / "store.json"
#: The recorded value that means "the workspace's own SQLite file".
WORKSPACE = "workspace"
# Query parameters that carry secrets, never recorded.
_SECRET_PARAMS = frozenset({"password", "passfile", "sslpassword"})


def public_url(url: str) -> str:
    """`url` without its password (nor password-like query parameters)."""
    if sqlite_file(url) is not None or url.startswith("sqlite"):
        return url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    from sqlalchemy.engine import URL

    query = {k: v for k, v in parsed.query.items() if k not in _SECRET_PARAMS}
    # URL.set(password=None) keeps the password: build the URL without one.
    bare = URL.create(
        parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database, query
    )
    return bare.render_as_string(hide_password=False)


def _identity(url: str) -> Any:
    """What makes two URLs the same store: the file, or server, user, database and options."""
    path = sqlite_file(url)
    if path is not None:
        return ("sqlite", str(path.resolve()))
    if url.startswith("sqlite"):
        return ("sqlite-url", url)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return ("unparsed", url)
    query = tuple(sorted((k, str(v)) for k, v in parsed.query.items() if k not in _SECRET_PARAMS))
    backend = parsed.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    return (backend, parsed.username, parsed.host, parsed.port or 5432, parsed.database, query)


def is_own_store(root: Path, url: str) -> bool:
    """Whether `url` is the workspace's own SQLite file (not a store shared with others)."""
    path = sqlite_file(url)
    return path is not None and path.resolve() == (root / ".docflow" / "docflow.db").resolve()


def read_binding(root: Path) -> str | None:
    """The store recorded for the workspace at `root` (a URL or ``workspace``), or None."""
    path = root / BINDING
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    store = data.get("store") if isinstance(data, dict) else None
    if not isinstance(store, str) or not store:
        raise InvalidInput(f'{path}: "store" must name the workspace\'s store')
    return store


def write_binding(root: Path, url: str, project: str) -> None:
    """Record at `root` that the workspace's project `project` lives in the store `url`."""
    store = WORKSPACE if is_own_store(root, url) else public_url(url)
    path = root / BINDING
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"store": store, "project": project}, ensure_ascii=False, indent=2)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text + "\n", "utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def resolve_url(root: Path, given: str | None) -> str:
    """The URL of the store of the workspace at `root`, given `--store` / the environment."""
    recorded = read_binding(root)
    if recorded is None:
        return given or default_url(root)
    url = default_url(root) if recorded == WORKSPACE else recorded
    if given is None or _identity(given) == _identity(url):
        # The given URL may carry the password the recorded one leaves out.
        return given or url
    raise UsageError(
        f"the workspace {root} belongs to the store {public_url(url)} (recorded in "
        f"{BINDING}), but --store or DOCFLOW_DATABASE_URL names {public_url(given)}; "
        "drop it, or name the workspace of that store with -C"
    )
