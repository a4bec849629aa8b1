"""The store's writes, shared by both backends: registering a project and write transactions.

A backend supplies :meth:`StoreWrites._transaction`: one transaction that holds the write lock
from its first statement (SQLite ``BEGIN IMMEDIATE``; on PostgreSQL the project row is locked
with ``SELECT ... FOR UPDATE``, the executor's ``for_update``), yields an
:class:`~docflow.store.tx.Executor`, commits on a normal exit, and maps database errors with
:func:`conflict`, :func:`busy` and :func:`failed`. :meth:`StoreWrites.write` compares the
project's version with the one the command started from, so a command never writes over a
change it did not see, and the project's rows with the record of its head event
(:func:`~docflow.store.reconcile.check_before_write`), so a command never acts on rows that
were changed behind the chain's back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from docflow.errors import Conflict, EnvironmentProblem, ProjectChanged
from docflow.store.base import ProjectRow
from docflow.store.chain import GENESIS_HASH
from docflow.store.convert import project_row
from docflow.store.ledger import RECORD, Ledger, project_view
from docflow.store.reconcile import check_before_write
from docflow.store.tx import Executor, SqlWriteTx, insert_event, insert_row, new_event, record_of
from docflow.store.urls import display_url, now

__all__ = ["StoreWrites", "busy", "conflict", "failed"]


def conflict(url: str, detail: str) -> Conflict:
    """A row written by another command collides with one of this command's (a constraint)."""
    return Conflict(
        f"a row written to the store {display_url(url)} by another command "
        f"conflicts with this one ({detail.strip()}); run it again"
    )


def busy(url: str) -> ProjectChanged:
    """The store stayed locked, or the server gave up the transaction: run it again."""
    return ProjectChanged(
        f"the store {display_url(url)} was busy with another command; run it again"
    )


def failed(url: str, detail: str) -> EnvironmentProblem:
    """Any other database error: nothing of the transaction was recorded."""
    return EnvironmentProblem(
        f"writing to the store {display_url(url)} failed: {detail.strip()}; nothing was recorded"
    )


class StoreWrites:
    """The write half of a Store; subclasses open the transactions."""

    url: str

    def _transaction(self) -> AbstractContextManager[Executor]:
        """One write transaction, committed on a normal exit, rolled back on an exception."""
        raise NotImplementedError

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

        The event's data is ``{name, workflow, locale, state, workspace, data}`` and the
        store's record of the project row it inserts.
        """
        with self._transaction() as ex:
            if ex.run("SELECT id FROM projects WHERE code = :code", {"code": code}):
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
            facts = {"name": name, "workflow": workflow, "locale": locale, "state": state}
            ledger = Ledger()
            row = project_view(dataclasses.asdict(fresh))
            ledger.put("projects", row, 1)
            effect = {"op": "insert", "table": "projects", "row": row}
            record = record_of(ledger, [effect])
            event = new_event(
                fresh,
                "project.created",
                actor,
                {**facts, "workspace": workspace, "data": data, RECORD: record},
            )
            # The event's hash does not depend on the project's id: the row is inserted with
            # its head already in place, and the event after it.
            created = dataclasses.replace(fresh, head_seq=event.seq, head_hash=event.hash)
            project_id = insert_row(ex, "projects", dataclasses.asdict(created), returning="id")
            insert_event(ex, int(project_id), event)
        return created

    @contextmanager
    def write(self, code: str, expected_version: int | None) -> Iterator[SqlWriteTx]:
        """Lock the project, check its version, and yield the writes of one transaction.

        ``expected_version`` None skips the check: commands that render nothing and only
        append (filing a change request) queue on the lock instead of failing the race.
        On a normal exit the project's version goes up by one and everything commits; on an
        exception nothing is written.
        """
        with self._transaction() as ex:
            rows = ex.run(
                f"SELECT * FROM projects WHERE code = :code{ex.for_update}", {"code": code}
            )
            if not rows:
                raise Conflict(f"project {code} is not in the store {display_url(self.url)}")
            row = rows[0]
            if expected_version is not None and row["version"] != expected_version:
                raise ProjectChanged(
                    f"project {code} changed while this command ran (version {row['version']}, "
                    f"expected {expected_version}); run it again"
                )
            ledger = check_before_write(row, lambda query: ex.run(query.sql, query.params))
            tx = SqlWriteTx(ex, project_row(row), int(row["id"]), ledger)
            yield tx
            tx.finish()
