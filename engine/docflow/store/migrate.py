"""Alembic, driven from code: the migrations folder shipped inside the package.

Only ``docflow db upgrade`` and a fresh store's first ``ensure_schema`` come here; every other
command checks the revision with a plain SELECT and never imports Alembic.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from docflow.errors import EnvironmentProblem
from docflow.store.engine import IMMEDIATE

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "MIGRATIONS",
    "QUEUE_MIGRATIONS",
    "alembic_config",
    "script_revisions",
    "upgrade_head",
]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The job queue's own revisions, applied to PostgreSQL stores only (an SQLite store has no
# queue, so it never needs an upgrade for them).
QUEUE_MIGRATIONS = Path(__file__).resolve().parent / "queue_migrations"
# Any fixed key: concurrent first commands on one PostgreSQL database upgrade one at a time.
_PG_LOCK_KEY = 0x646F63666C6F77


def alembic_config(folder: Path = MIGRATIONS) -> Config:
    """An Alembic Config whose script_location is one of the package's migrations folders."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(folder))
    return config


def script_revisions(folder: Path = MIGRATIONS) -> list[str]:
    """The revisions in a migrations folder, oldest first."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(folder))
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]


def upgrade_head(engine: Engine, where: str) -> None:
    """Upgrade the database behind `engine` (`where`, for messages) to the newest revision.

    One transaction, under a lock, so that concurrent first commands create the schema once.
    """
    from alembic import command
    from alembic.util.exc import CommandError

    config = alembic_config()
    with engine.connect() as conn:
        conn = conn.execution_options(**{IMMEDIATE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            tables = inspect(conn)
            if tables.has_table("projects") and not tables.has_table("alembic_version"):
                raise EnvironmentProblem(
                    f"the store {where} has docflow tables but no schema revision; it was not "
                    "made by docflow and is left untouched"
                )
            config.attributes["connection"] = conn
            try:
                command.upgrade(config, "head")
                if conn.dialect.name == "postgresql":
                    queue = alembic_config(QUEUE_MIGRATIONS)
                    queue.attributes["connection"] = conn
                    command.upgrade(queue, "head")
            except CommandError as exc:
                raise EnvironmentProblem(f"upgrading the store {where} failed: {exc}") from exc
