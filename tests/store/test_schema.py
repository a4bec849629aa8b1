"""Schema management: Alembic creates it, a plain SELECT checks it, old or unknown refuses."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest

from docflow.errors import EnvironmentProblem, IntegrityFailure
from docflow.store import Store, open_store, revisions
from docflow.store.migrate import script_revisions
from docflow.store.schema import metadata


def test_revisions_list_matches_the_migration_scripts() -> None:
    assert list(revisions.REVISIONS) == script_revisions()


def test_fresh_store_is_created_at_head_and_checked_idempotently(store_url: str) -> None:
    opened = open_store(store_url, None)
    try:
        opened.ensure_schema(create=True)
        opened.ensure_schema()
        assert opened.upgrade() == revisions.REVISIONS[-1]
        assert opened.count_projects() == 0
    finally:
        opened.close()


_QUEUE_TABLES = ("procrastinate_", "job_outcomes", "queue_alembic_version")


def test_the_migration_builds_exactly_the_declared_tables(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    def ours(name: str | None, kind: str, _parent: object) -> bool:
        # A PostgreSQL store also holds the job queue, under revisions of its own.
        queue = kind == "table" and name is not None and name.startswith(_QUEUE_TABLES)
        return not queue

    engine = create_engine(store.url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_name": ours})
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_an_older_revision_is_refused_with_the_upgrade_command(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This docflow now knows a newer revision than the store has.
    monkeypatch.setattr(revisions, "REVISIONS", (*revisions.REVISIONS, "0002_future"))
    with pytest.raises(EnvironmentProblem, match=r"older than .*run `docflow db upgrade`"):
        store.ensure_schema()


def test_an_unknown_revision_is_refused(store: Store, raw_sql: Callable[..., None]) -> None:
    raw_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(EnvironmentProblem, match="9999_from_the_future, which this docflow"):
        store.ensure_schema()
    with pytest.raises(EnvironmentProblem, match="9999_from_the_future, which this docflow"):
        store.upgrade()


@pytest.mark.parametrize("create", [False, True], ids=["check", "create"])
def test_tables_without_a_revision_are_left_untouched(
    store: Store, raw_sql: Callable[..., None], backend: str, create: bool
) -> None:
    raw_sql("DROP TABLE alembic_version")
    if backend == "sqlite":
        # An SQLite file is the store itself: docflow tables without a revision are damage.
        error: type[Exception] = IntegrityFailure
        message = "is damaged: it has docflow tables but no schema revision"
    elif create:
        error, message = EnvironmentProblem, "has docflow tables but no schema revision"
    else:
        error, message = EnvironmentProblem, "holds no docflow schema"
    with pytest.raises(error, match=message):
        store.ensure_schema(create=create)
    assert store.count_projects() == 0


def _imports_after(code: str) -> set[str]:
    script = textwrap.dedent(code) + textwrap.dedent(
        """
        import json as _json, sys
        print(_json.dumps(sorted({m.split('.')[0] for m in sys.modules})))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_the_store_package_is_light() -> None:
    loaded = _imports_after("import docflow.store")
    assert "sqlalchemy" not in loaded
    assert "alembic" not in loaded


def test_checking_the_schema_does_not_import_alembic(store: Store) -> None:
    """Nor SQLAlchemy on SQLite: read-only commands read the file with ``sqlite3``."""
    loaded = _imports_after(
        f"""
        from docflow.store import open_store
        store = open_store({store.url!r}, None)
        store.ensure_schema()
        assert store.count_projects() == 0
        store.close()
        """
    )
    assert ("sqlalchemy" in loaded) == store.url.startswith("postgresql")
    assert "alembic" not in loaded
