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

__all__ = ["MIGRATIONS", "alembic_config", "script_revisions", "upgrade_head"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any fixed key: concurrent first commands on one PostgreSQL database upgrade one at a time.
_PG_LOCK_KEY = 0x646F63666C6F77


def alembic_config() -> Config:
    """An Alembic Config whose script_location is the package's migrations folder."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def script_revisions() -> list[str]:
    """The revisions in the migrations folder, oldest first."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
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
            except CommandError as exc:
                raise EnvironmentProblem(f"upgrading the store {where} failed: {exc}") from exc
