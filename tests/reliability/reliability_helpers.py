"""Helpers of the reliability tests: a project driven through the real ``docflow`` command on
one store, processes started together, and PostgreSQL databases made and dropped by name.

Run as a script (``python reliability_helpers.py drive WS URL|- STATE``) it takes the example
project of WS along the main path until STATE, in its own process, so that no store connection
outlives the call.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PG_ENV = "DOCFLOW_TEST_PG_URL"
ACTOR = "tester"


@dataclass
class Run:
    """A finished ``docflow`` process."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout parsed as the one JSON document ``--json`` promises."""
        return json.loads(self.out)


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a docflow process: no DOCFLOW_* from outside, a fixed actor."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env.update({"DOCFLOW_ACTOR": ACTOR, "PYTHONWARNINGS": "error::DeprecationWarning:docflow"})
    env.update(extra or {})
    return env


def docflow_argv(*args: str) -> list[str]:
    """The command line of the real ``docflow`` command."""
    return [sys.executable, "-m", "docflow", *args]


def finish(procs: list[subprocess.Popen[str]], timeout: float = 300) -> list[Run]:
    """Wait for processes started together; their results in start order."""
    runs = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        runs.append(Run(proc.returncode, out, err))
    return runs


@dataclass
class Project:
    """A workspace and the store it is registered in (``url`` None: its own SQLite file)."""

    ws: Path
    backend: str
    url: str | None

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The environment naming this project's store the way users do."""
        env = {"DOCFLOW_DATABASE_URL": self.url} if self.url else {}
        return clean_env({**env, **(extra or {})})

    def spawn(self, *args: str) -> subprocess.Popen[str]:
        """Start ``docflow ARGS`` in the workspace without waiting for it."""
        return subprocess.Popen(
            docflow_argv(*args),
            cwd=self.ws,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str) -> Run:
        """Run ``docflow ARGS`` in the workspace."""
        return finish([self.spawn(*args)])[0]

    def ok(self, *args: str) -> Any:
        """Run ``docflow ARGS --json``, require exit 0, return the JSON."""
        result = self.run(*args, "--json")
        assert result.code == 0, f"docflow {' '.join(args)}: {result.err}"
        return result.json()

    def verify(self) -> dict[str, Any]:
        """``docflow verify --json`` (exit 0 when clean, 6 with problems)."""
        result = self.run("verify", "--json")
        assert result.code in (0, 6), result.err
        data: dict[str, Any] = result.json()
        return data

    def steps(self, trigger: str) -> list[dict[str, Any]]:
        """The log's "step" events of one trigger."""
        return [
            e for e in self.ok("log") if e["type"] == "step" and e["data"]["trigger"] == trigger
        ]

    def files(self) -> list[str]:
        """Every name in documents/ (hidden temporary files included)."""
        folder = self.ws / "documents"
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    @property
    def store_url(self) -> str:
        """The URL of the project's store (its own SQLite file when ``url`` is None)."""
        return self.url or f"sqlite:///{self.ws / '.docflow' / 'docflow.db'}"

    def sql(self, *statements: str) -> None:
        """Run SQL on the project's store behind docflow's back."""
        store_sql(self.store_url, *statements)

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table of the store (blobs by hash and size), to compare."""
        return dump_store(self.store_url)

    def tree(self) -> dict[str, bytes]:
        """Every file of the workspace but the SQLite store's, with its bytes."""
        return {
            str(f.relative_to(self.ws)): f.read_bytes()
            for f in sorted(self.ws.rglob("*"))
            if f.is_file() and ".docflow/docflow.db" not in str(f)
        }


# -- a store behind docflow's back ----------------------------------------------------------


def engine_of(url: str) -> Any:
    """A SQLAlchemy engine on the store at ``url`` (dispose of it after use)."""
    import sqlalchemy as sa

    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def store_sql(url: str, *statements: str) -> None:
    """Run SQL statements in one transaction on the store at ``url``."""
    engine = engine_of(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def dump_store(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in a stable order; blobs as (sha256, size)."""
    import sqlalchemy as sa

    engine = engine_of(url)
    try:
        with engine.connect() as conn:
            dump = {}
            for table in sorted(sa.inspect(conn).get_table_names()):
                columns = "sha256, size" if table == "blobs" else "*"
                rows = conn.exec_driver_sql(f"SELECT {columns} FROM {table}").fetchall()
                dump[table] = sorted(tuple(map(str, row)) for row in rows)
            return dump
    finally:
        engine.dispose()


def _write_as_before_row_records() -> None:
    """Make this process's docflow write as it did before events recorded their rows: the
    same events without the ``"store"`` record, and no check of the rows against it."""
    import docflow.store.reads as reads
    import docflow.store.tx as tx
    import docflow.store.writes as writes
    from docflow.store.ledger import RECORD
    from docflow.store.reconcile import ledger_of_rows, table_queries

    new_event = tx.new_event

    def event_without_record(project: Any, type: str, actor: str, data: Any) -> Any:
        return new_event(project, type, actor, {k: v for k, v in data.items() if k != RECORD})

    def tables_unchecked(project: Any, run: Any) -> Any:
        return ledger_of_rows(project, [run(q) for q in table_queries(str(project["code"]))])

    tx.new_event = writes.new_event = event_without_record
    writes.check_before_write = tables_unchecked
    reads.StoreReads.check_rows = lambda self, code: None  # type: ignore[method-assign]


def build_legacy(ws: Path, url: str | None, until: str) -> None:
    """The example project at ``ws`` taken to ``until`` as the previous docflow wrote it: its
    events carry no row record and the schema is at revision 0001_initial."""
    from docflow.app.init import init_workspace

    _write_as_before_row_records()
    init_workspace(ws, example=True, store_url=url, actor=ACTOR)
    drive(ws, url, until)
    store_url = url or f"sqlite:///{ws / '.docflow' / 'docflow.db'}"
    later = ("rate_limits", "web_sessions", "users", "certificates", "declines", "links")
    store_sql(
        store_url,
        *(f"DROP TABLE {table}" for table in later),  # the tables of later revisions
        "UPDATE alembic_version SET version_num = '0001_initial'",
    )


def build_legacy_in_subprocess(ws: Path, url: str | None, until: str) -> None:
    """:func:`build_legacy` in a process of its own."""
    proc = subprocess.run(
        [sys.executable, __file__, "legacy", str(ws), url or "-", until],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr


# -- PostgreSQL ---------------------------------------------------------------------------


def pg_url(base: str, database: str) -> str:
    """``base`` pointing at another database of the same server."""
    from sqlalchemy.engine import make_url

    return make_url(base).set(database=database).render_as_string(hide_password=False)


def pg_run(url: str, *statements: str, autocommit: bool = False) -> None:
    """Run SQL on a PostgreSQL database behind docflow's back."""
    import sqlalchemy as sa

    options: dict[str, Any] = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), **options)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def pg_new_database(base: str, template: str | None = None) -> str:
    """Create a database (a copy of ``template`` when given) and return its name."""
    name = f"rel_{uuid.uuid4().hex[:12]}"
    copy = f" TEMPLATE {template}" if template else ""
    pg_run(base, f"CREATE DATABASE {name}{copy}", autocommit=True)
    return name


def pg_drop_database(base: str, name: str) -> None:
    """Drop a database made by :func:`pg_new_database`, closing what still uses it."""
    pg_run(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", autocommit=True)


# -- driving a project --------------------------------------------------------------------


def drive(ws: Path, url: str | None, until: str) -> None:
    """Take the example project along the main path, signing as needed, until ``until``."""
    from docflow.api import Workspace
    from docflow.app.demo import walk

    walk(Workspace(ws), store_url=url, actor=ACTOR, say=lambda _m: None, until=until)


def drive_in_subprocess(ws: Path, url: str | None, until: str) -> None:
    """:func:`drive` in a process of its own (its store connections end with it)."""
    proc = subprocess.run(
        [sys.executable, __file__, "drive", str(ws), url or "-", until],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr


if __name__ == "__main__":
    _cmd, _ws, _url, _until = sys.argv[1:5]
    assert _cmd in ("drive", "legacy")
    (drive if _cmd == "drive" else build_legacy)(Path(_ws), None if _url == "-" else _url, _until)
