"""SqlStore: the Store on SQLAlchemy Core, for SQLite and PostgreSQL.

Reads run in a short read transaction each. Writes run in :meth:`SqlStore.write`: one
transaction that first takes the project's write lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL
``SELECT ... FOR UPDATE``), then compares the project's version with the one the command
started from, so a command never writes over a change it did not see.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from docflow.errors import Conflict, EnvironmentProblem, ProjectChanged
from docflow.store import queries as q
from docflow.store import revisions
from docflow.store.base import ProjectRow
from docflow.store.chain import GENESIS_HASH
from docflow.store.convert import project_row
from docflow.store.engine import IMMEDIATE
from docflow.store.reads import StoreReads
from docflow.store.schema import projects
from docflow.store.tx import SqlWriteTx, insert_event
from docflow.store.urls import display_url, now

__all__ = ["SqlStore"]

# SQLSTATEs after which running the command again is the right answer.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


class SqlStore(StoreReads):
    """A store in one SQLite file or one PostgreSQL database."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self._engine = engine

    def __repr__(self) -> str:
        return f"SqlStore({display_url(self.url)!r})"

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise EnvironmentProblem(
                f"reading the store {display_url(self.url)} failed: {exc}"
            ) from exc

    # -- schema ----------------------------------------------------------------------------

    def _revision(self) -> str | None:
        with self._read() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        return self._single_revision(found)

    def upgrade(self) -> str:
        """Upgrade the schema to the newest revision and return that revision."""
        from docflow.store.migrate import upgrade_head

        current = self._revision()
        if current is not None and current not in revisions.REVISIONS:
            raise EnvironmentProblem(
                f"the store {display_url(self.url)} has schema revision {current}, which this "
                "docflow does not know; a newer docflow wrote it: upgrade docflow"
            )
        try:
            upgrade_head(self._engine, display_url(self.url))
        except SQLAlchemyError as exc:
            raise EnvironmentProblem(
                f"upgrading the store {display_url(self.url)} failed: {exc}"
            ) from exc
        current = self._revision()
        if current is None:
            raise EnvironmentProblem(f"the store {display_url(self.url)} has no schema revision")
        return current

    def close(self) -> None:
        """Release every connection."""
        self._engine.dispose()

    # -- reads ----------------------------------------------------------------------------

    def _rows(self, *queries: q.Query) -> list[list[Mapping[str, Any]]]:
        with self._read() as conn, conn.begin():
            return [
                list(conn.execute(text(query.sql), query.params).mappings()) for query in queries
            ]

    # -- writes ---------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """One write transaction that holds SQLite's write lock from its first statement."""
        try:
            with self._engine.connect() as conn:
                conn = conn.execution_options(**{IMMEDIATE: True})
                with conn.begin():
                    yield conn
        except IntegrityError as exc:
            raise Conflict(
                f"a row written to the store {display_url(self.url)} by another command "
                f"conflicts with this one ({str(exc.orig).strip()}); run it again"
            ) from exc
        except DBAPIError as exc:
            sqlstate = getattr(exc.orig, "sqlstate", None)
            if sqlstate in _RETRYABLE_SQLSTATES or "database is locked" in str(exc.orig):
                raise ProjectChanged(
                    f"the store {display_url(self.url)} was busy with another command; run it again"
                ) from exc
            raise EnvironmentProblem(
                f"writing to the store {display_url(self.url)} failed: "
                f"{str(exc.orig).strip()}; nothing was recorded"
            ) from exc

    def create_project(
        self,
        *,
        code: str,
        name: str,
        workflow: str,
        locale: str,
        state: str,
        workspace: str,
        actor: str,
        data: dict[str, Any],
    ) -> ProjectRow:
        """Register a new project and append its "project.created" event (seq 1).

        The event's data is ``{name, workflow, locale, state, workspace, data}``.
        """
        with self._transaction() as conn:
            taken = conn.execute(select(projects.c.id).where(projects.c.code == code)).first()
            if taken is not None:
                raise Conflict(f"a project with code {code} is already in the store")
            at = now()
            fresh = ProjectRow(
                code=code,
                name=name,
                workflow=workflow,
                locale=locale,
                state=state,
                version=1,
                workspace=workspace,
                baseline=None,
                head_seq=0,
                head_hash=GENESIS_HASH,
                created_at=at,
                updated_at=at,
            )
            insert_project = insert(projects).values(**dataclasses.asdict(fresh))
            project_id = int(conn.execute(insert_project.returning(projects.c.id)).scalar_one())
            facts = {"name": name, "workflow": workflow, "locale": locale, "state": state}
            event = insert_event(
                conn,
                fresh,
                project_id,
                "project.created",
                actor,
                {**facts, "workspace": workspace, "data": data},
            )
            conn.execute(
                projects.update()
                .where(projects.c.id == project_id)
                .values(head_seq=event.seq, head_hash=event.hash)
            )
        return dataclasses.replace(fresh, head_seq=event.seq, head_hash=event.hash)

    @contextmanager
    def write(self, code: str, expected_version: int | None) -> Iterator[SqlWriteTx]:
        """Lock the project, check its version, and yield the writes of one transaction.

        ``expected_version`` None skips the check: commands that render nothing and only
        append (filing a change request) queue on the lock instead of failing the race.
        On a normal exit the project's version goes up by one and everything commits; on an
        exception nothing is written.
        """
        with self._transaction() as conn:
            row = (
                conn.execute(select(projects).where(projects.c.code == code).with_for_update())
                .mappings()
                .first()
            )
            if row is None:
                raise Conflict(f"project {code} is not in the store {display_url(self.url)}")
            if expected_version is not None and row["version"] != expected_version:
                raise ProjectChanged(
                    f"project {code} changed while this command ran (version {row['version']}, "
                    f"expected {expected_version}); run it again"
                )
            tx = SqlWriteTx(conn, project_row(row), row["id"])
            yield tx
            tx.finish()
