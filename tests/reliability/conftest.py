"""Fixtures of the reliability tests: example projects on SQLite and, when DOCFLOW_TEST_PG_URL
names a server (scripts/pg_test_server.sh starts one), on PostgreSQL.

A fresh shared store is, as in tests/store, a private PostgreSQL schema selected through the
URL's ``options=-csearch_path=...`` (or an SQLite file). A project already taken to some state
is built once per test session and copied for each test: its workspace folder, and its store,
which on SQLite lives in the workspace and on PostgreSQL is a whole database copied with
``CREATE DATABASE ... TEMPLATE``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from reliability_helpers import (
    PG_ENV,
    Project,
    clean_env,
    docflow_argv,
    drive_in_subprocess,
    pg_drop_database,
    pg_new_database,
    pg_run,
    pg_url,
)

from docflow.store.binding import BINDING, write_binding

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]
INITIAL = "contract.drafting"


def pg_base() -> str:
    """The test server's URL, or skip the test."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (start a server with scripts/pg_test_server.sh)")
    return base


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The store under test: sqlite or postgresql."""
    return str(request.param)


@pytest.fixture
def shared_store_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty store that several workspaces name with --store / DOCFLOW_DATABASE_URL."""
    if backend == "sqlite":
        folder = tmp_path / "shared-store"
        folder.mkdir()
        yield f"sqlite:///{folder / 'docflow.db'}"
        return
    base = pg_base()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    pg_run(base, f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        pg_run(base, f"DROP SCHEMA {schema} CASCADE")


def read_binding_project(ws: Path) -> str:
    """The project code a workspace's store binding names."""
    project: str = json.loads((ws / BINDING).read_text("utf-8"))["project"]
    return project


class Templates:
    """Example projects taken to a state once per session: (workspace, PostgreSQL database).

    A template whose build failed is not kept: each test that asks for it builds it again in
    a folder of its own, and fails with the build's own error.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[tuple[str, str], tuple[Path, str | None]] = {}

    def folder(self, backend: str, name: str) -> Path:
        """A new, empty folder for building the template ``name`` (one per attempt)."""
        return Path(tempfile.mkdtemp(prefix=f"{backend}-{name}-", dir=self.root))

    def get(self, backend: str, state: str) -> tuple[Path, str | None]:
        """The template workspace of ``state`` on ``backend``, built on first use."""
        key = (backend, state)
        if key not in self.built:
            self.built[key] = self._build(backend, state)
        return self.built[key]

    def _build(self, backend: str, state: str) -> tuple[Path, str | None]:
        base = pg_base() if backend == "postgresql" else ""
        ws = self.folder(backend, state) / "ws"
        database = url = None
        if base:
            database = pg_new_database(base)
            url = pg_url(base, database)
        store = ["--store", url] if url else []
        try:
            proc = subprocess.run(
                docflow_argv(*store, "init", str(ws), "--example"),
                env=clean_env(),
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert proc.returncode == 0, proc.stderr
            if state != INITIAL:
                drive_in_subprocess(ws, url, state)
        except BaseException:
            if database:
                pg_drop_database(base, database)
            raise
        return ws, database

    def close(self) -> None:
        """Drop the template databases."""
        base = os.environ.get(PG_ENV)
        for _ws, database in self.built.values():
            if database and base:
                pg_drop_database(base, database)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    """The session's project templates."""
    made = Templates(tmp_path_factory.mktemp("reliability-templates"))
    try:
        yield made
    finally:
        made.close()


def copy_project(
    template: Path, database: str | None, backend: str, ws: Path
) -> tuple[Project, str | None]:
    """A private copy of a template project at ``ws``; the PostgreSQL database it made."""
    shutil.copytree(template, ws, dirs_exist_ok=True)
    if database is None:
        return Project(ws, backend, None), None
    base = pg_base()
    copy = pg_new_database(base, template=database)
    url = pg_url(base, copy)
    # The copy is a workspace of its own: the store must say where it lives now, and the
    # workspace which store it belongs to.
    quoted = str(ws).replace("'", "''")
    pg_run(url, f"UPDATE projects SET workspace = '{quoted}'")
    write_binding(ws, url, read_binding_project(ws))
    return Project(ws, backend, url), copy


def derive_template(
    templates: Templates,
    backend: str,
    state: str,
    name: str,
    prepare: Callable[[Project], None],
) -> str:
    """Register the template ``name``: the one of ``state`` after ``prepare`` ran on a copy of
    it (once per session); ``project_at(name)`` then copies it. Returns ``name``."""
    if (backend, name) not in templates.built:
        template, database = templates.get(backend, state)
        folder = templates.folder(backend, name)
        project, copy = copy_project(template, database, backend, folder / "ws")
        try:
            prepare(project)
        except BaseException:
            base = os.environ.get(PG_ENV)
            if copy and base:
                pg_drop_database(base, copy)
            raise
        templates.built[(backend, name)] = (project.ws, copy)
    return name


@pytest.fixture
def project_at(
    backend: str, templates: Templates, tmp_path: Path
) -> Iterator[Callable[..., Project]]:
    """project_at(state, where=None): a private copy of the example project at ``state``."""
    made: list[str] = []

    def make(state: str, where: Path | None = None) -> Project:
        template, database = templates.get(backend, state)
        ws = (where or tmp_path / f"ws{len(made) or ''}").resolve()
        project, copy = copy_project(template, database, backend, ws)
        made.append(copy or "")
        return project

    yield make
    base = os.environ.get(PG_ENV)
    for database in made:
        if database and base:
            pg_drop_database(base, database)


@pytest.fixture
def project_after(
    backend: str, templates: Templates, project_at: Callable[..., Project]
) -> Callable[[str, str, Callable[[Project], None]], Project]:
    """project_after(state, name, prepare): a private copy of the project at ``state`` after
    ``prepare`` ran on it; ``prepare`` runs once per session, on the template ``name``."""

    def make(state: str, name: str, prepare: Callable[[Project], None]) -> Project:
        return project_at(derive_template(templates, backend, state, name, prepare))

    return make
