"""What the store is to the rest of docflow: row types and the Store / WriteTx protocols.

This module imports nothing heavy, so the runtime and the CLI can name the types without
loading SQLAlchemy. Rows are frozen dataclasses; every time is a UTC ISO-8601 string and every
JSON-valued field holds plain JSON data (Decimal and dates become strings on the way in).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from docflow.errors import Problem

__all__ = [
    "ChangeRow",
    "DocumentRow",
    "EventRow",
    "ProjectRow",
    "SignatureRow",
    "Store",
    "WriteTx",
]


@dataclass(frozen=True)
class ProjectRow:
    """One registered project: its workflow position and the head of its event chain."""

    code: str
    name: str
    workflow: str
    locale: str
    state: str
    version: int
    workspace: str
    baseline: list[dict[str, Any]] | None
    head_seq: int
    head_hash: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class EventRow:
    """One entry of a project's append-only, hash-chained audit log."""

    seq: int
    at: str
    actor: str
    type: str
    data: dict[str, Any]
    data_sha256: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class DocumentRow:
    """One version of an issued document; its bytes live in the blobs by sha256."""

    doc_id: str
    version: int
    code: str
    template: str
    title: str
    status: str  # issued | signed | superseded | void
    annex: int | None
    issued_on: str  # YYYY-MM-DD
    docx_sha256: str
    pdf_sha256: str
    data_sha256: str
    signed_pdf_sha256: str | None
    event_seq: int
    files: dict[str, str] = field(default_factory=dict)  # ext -> path relative to workspace


@dataclass(frozen=True)
class SignatureRow:
    """One party's signature on one document version."""

    doc_id: str
    version: int
    party: str
    signer: str
    signed_on: str
    method: str  # recorded | scan | digital
    file_sha256: str | None
    file_name: str | None
    certificate: str | None
    trust: str | None
    actor: str
    at: str


@dataclass(frozen=True)
class ChangeRow:
    """One change request CR-n and its decision."""

    cr_id: str
    number: int
    title: str
    reason: str
    status: str  # open | approved | rejected | withdrawn | effective
    body: dict[str, Any]
    annex: int | None
    doc_id: str | None
    requested_by: str
    requested_at: str
    decided_by: str | None
    decided_at: str | None
    decision_reason: str | None


class WriteTx(Protocol):
    """The writes of one command, applied in one transaction on a locked project."""

    project: ProjectRow

    def append_event(self, type: str, actor: str, data: dict[str, Any]) -> EventRow:
        """Append the next event of the project's chain and return it."""
        ...

    def set_state(self, state: str) -> None:
        """Move the project to `state`."""
        ...

    def set_baseline(self, requirements: list[dict[str, Any]]) -> None:
        """Freeze `requirements` as the project's confirmed requirement baseline."""
        ...

    def next_number(self, counter: str) -> int:
        """Take the next gapless number of `counter` for this project (1, 2, ...)."""
        ...

    def put_blob(self, data: bytes) -> str:
        """Store `data` by content and return its sha256; storing it again is a no-op."""
        ...

    def add_document(self, row: DocumentRow) -> None:
        """Record one issued document version."""
        ...

    def set_document_status(self, doc_id: str, version: int, status: str) -> None:
        """Change the status of one document version."""
        ...

    def set_signed_file(self, doc_id: str, version: int, sha256: str | None) -> None:
        """Record the blob of the signed PDF of one document version (None: no signed PDF)."""
        ...

    def add_signature(self, row: SignatureRow) -> None:
        """Record one party's signature; a second one by the same party is a Conflict."""
        ...

    def remove_signature(self, doc_id: str, version: int, party: str) -> None:
        """Delete one party's signature on one document version (a withdrawal); a Conflict if
        that party has not signed it."""
        ...

    def add_change(self, row: ChangeRow) -> None:
        """Record a new change request."""
        ...

    def update_change(self, cr_id: str, **fields: Any) -> None:
        """Change fields of a change request (status, annex, doc_id, decided_by...)."""
        ...

    def changes(self) -> list[ChangeRow]:
        """Every change request of the project as this transaction sees it, by number."""
        ...

    def set_workflow(self, workflow: str) -> None:
        """Move the project to another workflow definition."""
        ...


class Store(Protocol):
    """The system of record: projects, events, documents, signatures, changes, blobs."""

    url: str

    def ensure_schema(self, create: bool = False) -> None:
        """Check that the store holds docflow's schema at this docflow's revision.

        Only with `create` (``init``) is a schema created, and only in a new store: an empty
        database, or an SQLite file that does not exist yet or holds nothing. A damaged SQLite
        file is an IntegrityFailure; a store at another revision an EnvironmentProblem.
        """
        ...

    def upgrade(self) -> str:
        """Upgrade the schema to the newest revision and return that revision."""
        ...

    def close(self) -> None:
        """Release every connection."""
        ...

    def get_project(self, code: str) -> ProjectRow | None:
        """The project `code`, or None."""
        ...

    def list_projects(self, limit: int = 100, offset: int = 0) -> list[ProjectRow]:
        """Projects ordered by code, one page."""
        ...

    def count_projects(self) -> int:
        """How many projects the store holds."""
        ...

    def events(self, code: str, after_seq: int = 0) -> list[EventRow]:
        """The project's events with seq > `after_seq`, in order."""
        ...

    def documents(self, code: str) -> list[DocumentRow]:
        """Every version of every document of the project, in the order they were issued."""
        ...

    def document(self, code: str, doc_id: str, version: int | None = None) -> DocumentRow | None:
        """One document version (the newest when `version` is None), or None."""
        ...

    def signatures(self, code: str) -> list[SignatureRow]:
        """Every signature of the project, in the order recorded."""
        ...

    def changes(self, code: str) -> list[ChangeRow]:
        """Every change request of the project, by number."""
        ...

    def blob(self, sha256: str) -> bytes | None:
        """The stored bytes with this sha256, or None."""
        ...

    def verify_chain(self, code: str) -> list[Problem]:
        """Problems (kind "event_chain") of the project's event chain, each naming a seq."""
        ...

    def check_rows(self, code: str) -> None:
        """IntegrityFailure unless the project's rows are what its head event records (cheap)."""
        ...

    def verify_rows(self, code: str) -> list[Problem]:
        """Problems (kind "table_mismatch") where the rows differ from what the chain records."""
        ...

    def verify_project(self, code: str) -> list[Problem]:
        """Every problem of the project in the store: the database file, the chain, the rows."""
        ...

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
        """Register a new project and append its "project.created" event."""
        ...

    def write(self, code: str, expected_version: int | None) -> AbstractContextManager[WriteTx]:
        """Lock the project, check its version, and yield the writes of one transaction.

        A version other than `expected_version` raises ProjectChanged; None skips the check.
        """
        ...
