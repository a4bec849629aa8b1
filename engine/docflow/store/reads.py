"""The store's reads, shared by both backends: each runs one query from ``queries``.

A backend supplies :meth:`StoreReads._rows` (run one query, or several in one read
transaction, and return plain mappings), :meth:`StoreReads._revision` and ``upgrade``;
everything else a read-only command needs lives here, free of SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from docflow.errors import Conflict, DocflowError, EnvironmentProblem, Problem
from docflow.store import queries as q
from docflow.store import revisions
from docflow.store.base import ChangeRow, DocumentRow, EventRow, ProjectRow, SignatureRow
from docflow.store.chain import check_chain
from docflow.store.convert import (
    change_row,
    document_row,
    event_row,
    project_row,
    signature_row,
)
from docflow.store.legacy import legacy_problems
from docflow.store.reconcile import (
    check_rows,
    differences,
    ledger_of_rows,
    replay,
    table_queries,
)
from docflow.store.urls import display_url

__all__ = ["StoreReads"]

Rows = list[Mapping[str, Any]]


class StoreReads:
    """The read half of a Store; subclasses run the SQL."""

    url: str

    def _rows(self, *queries: q.Query) -> list[Rows]:
        """The rows of each query, all read in one transaction."""
        raise NotImplementedError

    def _revision(self) -> str | None:
        """The store's schema revision, or None when it has none yet."""
        raise NotImplementedError

    def upgrade(self) -> str:
        """Upgrade the schema to the newest revision and return that revision."""
        raise NotImplementedError

    def _one(self, query: q.Query) -> Rows:
        return self._rows(query)[0]

    def _create_schema(self) -> None:
        """Create the schema in a new store (``ensure_schema(create=True)``)."""
        self.upgrade()

    def _no_schema(self) -> DocflowError:
        """The error for a store that holds no docflow schema and may not get one here."""
        return EnvironmentProblem(
            f"the store {display_url(self.url)} holds no docflow schema; `docflow init` "
            "creates one in a new store, or `docflow db upgrade` in an empty database"
        )

    def ensure_schema(self, create: bool = False) -> None:
        """Check that the store holds docflow's schema at this docflow's revision.

        Only with `create` is a schema created, and only in a new store.
        """
        current = self._revision()
        known = revisions.REVISIONS
        if current == known[-1]:
            return
        where = display_url(self.url)
        if current is None:
            if not create:
                raise self._no_schema()
            self._create_schema()
            return
        if current in known:
            raise EnvironmentProblem(
                f"the store {where} has schema revision {current}, older than this docflow's "
                f"{known[-1]}; run `docflow db upgrade`"
            )
        raise EnvironmentProblem(
            f"the store {where} has schema revision {current}, which this docflow does not "
            f"know (its newest is {known[-1]}); a newer docflow wrote it: upgrade docflow"
        )

    @staticmethod
    def _single_revision(found: Sequence[str]) -> str | None:
        if len(found) != 1:
            return ",".join(sorted(found)) or None
        return str(found[0])

    def get_project(self, code: str) -> ProjectRow | None:
        """The project `code`, or None."""
        rows = self._one(q.project_query(code))
        return project_row(rows[0]) if rows else None

    def list_projects(self, limit: int = 100, offset: int = 0) -> list[ProjectRow]:
        """Projects ordered by code, one page."""
        return [project_row(r) for r in self._one(q.list_query(limit, offset))]

    def count_projects(self) -> int:
        """How many projects the store holds."""
        return int(self._one(q.count_query())[0]["n"])

    def events(self, code: str, after_seq: int = 0) -> list[EventRow]:
        """The project's events with seq > `after_seq`, in order."""
        return [event_row(r) for r in self._one(q.events_query(code, after_seq))]

    def documents(self, code: str) -> list[DocumentRow]:
        """Every version of every document of the project, in the order they were issued."""
        return [document_row(r) for r in self._one(q.documents_query(code))]

    def document(self, code: str, doc_id: str, version: int | None = None) -> DocumentRow | None:
        """One document version (the newest when `version` is None), or None."""
        rows = self._one(q.document_query(code, doc_id, version))
        return document_row(rows[0]) if rows else None

    def signatures(self, code: str) -> list[SignatureRow]:
        """Every signature of the project, in the order recorded."""
        return [signature_row(r) for r in self._one(q.signatures_query(code))]

    def changes(self, code: str) -> list[ChangeRow]:
        """Every change request of the project, by number."""
        return [change_row(r) for r in self._one(q.changes_query(code))]

    def blob(self, sha256: str) -> bytes | None:
        """The stored bytes with this sha256, or None."""
        rows = self._one(q.blob_query(sha256))
        return bytes(rows[0]["data"]) if rows else None

    def verify_chain(self, code: str) -> list[Problem]:
        """Problems (kind "event_chain") of the project's event chain, each naming a seq."""
        project, chain = self._rows(q.project_query(code), q.events_query(code))
        if not project:
            return [Problem(message=f"project {code} is not in the store", kind="event_chain")]
        events = [event_row(r) for r in chain]
        return check_chain(code, events, project[0]["head_seq"], project[0]["head_hash"])

    def _storage_problems(self) -> list[Problem]:
        """Damage to the database file itself (SQLite); none on a server."""
        return []

    def verify_rows(self, code: str) -> list[Problem]:
        """Problems where the project's rows differ from what its event chain records.

        Each names its row (kind ``table_mismatch``), or the event whose record cannot be
        replayed (kind ``event_chain``).
        """
        project, chain, *tables = self._rows(
            q.project_query(code), q.events_query(code), *table_queries(code)
        )
        if not project:
            return [Problem(message=f"project {code} is not in the store", kind="table_mismatch")]
        found = replay(code, [event_row(r) for r in chain])
        if found.ledger is None:
            found.problems.append(
                Problem(
                    message=f"project {code}: no event of its chain records its rows",
                    path="events",
                    kind="table_mismatch",
                )
            )
            return found.problems
        problems = found.problems
        if found.checkpoint is not None:
            seq, checkpoint = found.checkpoint
            problems += legacy_problems(code, found.before, seq, checkpoint)
        return problems + differences(code, found.ledger, ledger_of_rows(project[0], tables))

    def check_rows(self, code: str) -> None:
        """IntegrityFailure (exit 6) unless the project's rows are what its head event records.

        Cheap: the head event and the project's rows, read in one transaction, and one digest.
        """
        project, tail, *tables = self._rows(
            q.project_query(code), q.head_events_query(code), *table_queries(code)
        )
        if not project:
            raise Conflict(f"project {code} is not in the store {display_url(self.url)}")
        chain = q.events_query(code)
        check_rows(project[0], tail, tables, lambda: self._rows(chain)[0])

    def verify_project(self, code: str) -> list[Problem]:
        """Every problem of the project in the store: the file, the chain, the rows."""
        damaged = self._storage_problems()
        if damaged:
            return damaged
        return self.verify_chain(code) + self.verify_rows(code)
