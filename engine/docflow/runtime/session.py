"""An open project: its workspace, store row, workflow spec and current project data.

A :class:`Session` is what every use case starts from. It reads; the use cases in
:mod:`docflow.app` and :mod:`docflow.changes` write through the store's transactions. A session
opened from a workspace folder reads ``project.yaml``; one opened from the store alone (a
server without the folder) reads the project data the last step recorded and cannot write
files.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from docflow.errors import Conflict, InvalidInput, UsageError
from docflow.guards import DocFacts, Snapshot, check_guard
from docflow.runtime.workspace import Workspace, template_dirs
from docflow.spec.project import ProjectData
from docflow.spec.workflow import DocumentKind, GuardSpec, WorkflowSpec

if TYPE_CHECKING:
    from docflow.changes.ledger import ChangeLedger
    from docflow.guards.facts import RecordFacts
    from docflow.records.journal import Journal
    from docflow.store.base import DocumentRow, ProjectRow, SignatureRow, Store

__all__ = [
    "LIVE",
    "Session",
    "default_actor",
    "load_spec",
    "open_session",
    "open_stored_session",
    "recorded_data",
]

LIVE = ("issued", "signed")


def default_actor(data: ProjectData | None = None) -> str:
    """The actor recorded in events: DOCFLOW_ACTOR, else the project's manager
    (``parties.vendor.project_manager.name``), else the OS user."""
    actor = os.environ.get("DOCFLOW_ACTOR")
    if actor:
        return actor
    manager = data.parties.vendor.project_manager if data is not None else None
    if manager is not None and manager.name.strip():
        return manager.name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _guard_check(guard: GuardSpec) -> list[str]:
    return check_guard(guard.type, guard.params)


def load_spec(name_or_path: str, dirs: Sequence[Path]) -> WorkflowSpec:
    """Load and fully check a workflow definition (structure, guards, templates)."""
    from docflow.spec.checks import validate_workflow_file
    from docflow.spec.loader import find_workflow

    return validate_workflow_file(find_workflow(name_or_path), _guard_check, dirs)


@dataclass
class Session:
    """One project as docflow sees it right now."""

    workspace: Workspace | None
    store: Store
    row: ProjectRow
    spec: WorkflowSpec
    data: ProjectData
    actor: str

    @property
    def code(self) -> str:
        """The project code (the store's key)."""
        return self.row.code

    @property
    def locale(self) -> str:
        """The documents' and messages' locale."""
        return self.data.locale

    def tell(self, zh: str, en: str) -> str:
        """A message for people in the language chosen for messages (the project's unless
        ``--lang`` / ``LANG`` chose another); JSON output carries ``en``."""
        from docflow.runtime.lang import message_locale

        return zh if message_locale(self.locale, "en").startswith("zh") else en

    def party_word(self, party: str) -> str:
        """A party's name (甲方, client) in the language of messages."""
        from docflow.runtime.lang import message_locale
        from docflow.runtime.messages import word

        return word(message_locale(self.locale, "en"), "party", party)

    def status_word(self, status: str) -> str:
        """A document status (已签署, signed) in the language of messages."""
        from docflow.runtime.lang import message_locale
        from docflow.runtime.messages import word

        return word(message_locale(self.locale, "en"), "status", status)

    def folder(self, doing: str) -> Workspace:
        """The workspace folder; a clear error when the project was opened from the store."""
        if self.workspace is None:
            raise UsageError(
                f"project {self.code} was opened from the store without its workspace folder; "
                f"{doing} needs that folder: open the project from it"
            )
        return self.workspace

    def template_dirs(self) -> tuple[Path, ...]:
        """Template lookup order for this project (the workspace's templates/ first)."""
        return template_dirs(self.workspace.root if self.workspace else None)

    @cached_property
    def all_documents(self) -> list[DocumentRow]:
        """Every stored version of every document, oldest first."""
        return self.store.documents(self.code)

    @cached_property
    def documents(self) -> list[DocumentRow]:
        """The newest version of each document id, in issue order."""
        latest: dict[str, DocumentRow] = {}
        for doc in self.all_documents:
            latest[doc.doc_id] = doc
        return list(latest.values())

    @cached_property
    def signatures(self) -> list[SignatureRow]:
        """Every recorded signature."""
        return self.store.signatures(self.code)

    @cached_property
    def ledger(self) -> ChangeLedger:
        """The change requests and the requirement sets that follow from them."""
        from docflow.changes.ledger import ChangeLedger

        changes = sorted(self.store.changes(self.code), key=lambda c: c.number)
        return ChangeLedger(self.code, self.row.baseline, changes, self.data.requirements)

    @cached_property
    def records(self) -> Journal:
        """Meetings, objections, reports, survey answers and steps, read from the event log."""
        from docflow.records.journal import Journal

        return Journal.read(self.store.events(self.code))

    @cached_property
    def deemed(self) -> dict[tuple[str, int], frozenset[str]]:
        """(doc_id, version) -> parties whose confirmation the calendar deems given today,
        though no command has recorded it yet (see docflow.records.confirm)."""
        from docflow.records.confirm import derived_deemed

        return derived_deemed(self)

    @cached_property
    def record_facts(self) -> RecordFacts:
        """What guards know about meetings, action items and the satisfaction survey."""
        from docflow.records.facts import record_facts

        return record_facts(self)

    def signatures_on(self, doc: DocumentRow) -> list[SignatureRow]:
        """The signatures recorded on this version of the document."""
        return [s for s in self.signatures if s.doc_id == doc.doc_id and s.version == doc.version]

    def signed_by(self, doc: DocumentRow) -> frozenset[str]:
        """Parties that signed this version of the document, or whose confirmation counts as
        given because they did not object in time (deemed confirmation, not yet recorded)."""
        recorded = frozenset(s.party for s in self.signatures_on(doc))
        return recorded | self.deemed.get((doc.doc_id, doc.version), frozenset())

    def kind_of(self, doc: DocumentRow) -> DocumentKind | None:
        """The workflow's document kind for a stored document."""
        return self.spec.documents.get(doc.code)

    def doc_title(self, code: str) -> str:
        """A document kind's title in the project's locale."""
        kind = self.spec.documents.get(code)
        if kind is None:
            return code
        return kind.title.get(self.locale) or next(iter(kind.title.values()), code)

    def find_document(self, doc_id: str) -> DocumentRow:
        """The newest version of a document by id (as typed: ``sp-1`` is SP-1), or a clear
        error (exit 4)."""
        from docflow.spec.names import doc_id as canonical

        doc_id = canonical(doc_id)
        for doc in self.documents:
            if doc.doc_id == doc_id:
                return doc
        known = ", ".join(d.doc_id for d in self.documents) or self.tell("尚无", "none yet")
        raise InvalidInput(
            self.tell(
                f"项目 {self.code} 中没有文件 {doc_id}（现有文件：{known}）",
                f"no document {doc_id} in project {self.code} (documents: {known})",
            )
        )

    def refreshed(self) -> Session:
        """A fresh view of the same project after a write (same spec and data)."""
        row = self.store.get_project(self.code)
        if row is None:
            raise Conflict(f"project {self.code} disappeared from the store")
        return Session(self.workspace, self.store, row, self.spec, self.data, self.actor)

    def snapshot(self) -> Snapshot:
        """The read-only view guards evaluate."""
        by_code: dict[str, DocFacts] = {}
        for doc in self.documents:
            if doc.status not in LIVE:
                continue
            by_code[doc.code] = DocFacts(
                id=doc.doc_id,
                code=doc.code,
                title=self.doc_title(doc.code),
                version=doc.version,
                status=doc.status,
                signed_by=self.signed_by(doc),
            )
        return Snapshot(
            data=self.data.model_dump(mode="python"),
            locale=self.locale,
            documents=by_code,
            document_titles={code: self.doc_title(code) for code in self.spec.documents},
            open_changes=self.ledger.undecided(),
            requirements=tuple(r.model_dump(mode="python") for r in self.ledger.current()),
            records=self.record_facts,
        )


def open_session(
    workspace: Workspace,
    store_url: str | None,
    actor: str | None = None,
    *,
    check_rows: bool = True,
) -> Session:
    """Open the workspace's project: read project.yaml, find it in the store, load its workflow.

    Unless `check_rows` is False (``verify``, ``log``: they report on a damaged project), a
    project whose rows are not what its event chain's head records is refused (exit 6).
    """
    from docflow.spec.loader import load_project
    from docflow.store import open_store
    from docflow.store.binding import is_own_store

    data = load_project(workspace.project_file)
    store = open_store(store_url, workspace.root)
    store.ensure_schema()
    code = data.project.code
    row = store.get_project(code) if code else None
    if row is None:
        registered = [p.code for p in store.list_projects(limit=5)]
        hint = f" (the store holds: {', '.join(registered)})" if registered else ""
        raise InvalidInput(
            f"{workspace.project_file}: project.code {code!r} is not registered in the store "
            f"{store.url}{hint}; project.code must not change once the project is registered"
        )
    if check_rows:
        store.check_rows(code)
    moved = row.workspace and Path(row.workspace).resolve() != workspace.root.resolve()
    # On a shared store a moved workspace is fine; two live ones for one code are not.
    shared = not is_own_store(workspace.root, store.url)
    if shared and moved and (Path(row.workspace) / "project.yaml").is_file():
        raise Conflict(
            f"project {code} is registered for the workspace {row.workspace}, "
            f"not {workspace.root}; each project code belongs to one workspace"
        )
    if data.workflow not in (row.workflow, Path(row.workflow).stem):
        raise InvalidInput(
            f"{workspace.project_file}: workflow is {data.workflow!r} but project {code} runs "
            f"the workflow {row.workflow!r}; the workflow cannot change mid-project"
        )
    spec = load_spec(row.workflow, workspace.template_dirs())
    if data.extra or spec.data_schema:
        from docflow.spec.extra import check_extra

        check_extra(spec.data_schema, data.extra, workspace.project_file)
    return Session(workspace, store, row, spec, data, actor or default_actor(data))


def recorded_data(store: Store, row: ProjectRow) -> ProjectData | None:
    """The project data as the newest step or issue recorded it in the store, or None."""
    import json

    for event in reversed(store.events(row.code)):
        sha = event.data.get("data_sha256")
        blob = store.blob(sha) if isinstance(sha, str) else None
        if blob is not None:
            return ProjectData.model_validate(json.loads(blob))
    return None


def open_stored_session(
    code: str, store_url: str, actor: str | None = None, *, check_rows: bool = True
) -> Session:
    """Open project ``code`` from the store alone, with the project data its last step recorded.

    Reading works (status, documents, changes, log, verify of the store); anything that
    writes files into the workspace raises a clear error. `check_rows` as in
    :func:`open_session`.
    """
    from docflow.store import open_store

    store = open_store(store_url, None)
    store.ensure_schema()
    row = store.get_project(code)
    if row is None:
        registered = [p.code for p in store.list_projects(limit=5)]
        hint = f" (it holds: {', '.join(registered)})" if registered else ""
        raise InvalidInput(f"no project {code!r} in the store {store.url}{hint}")
    if check_rows:
        store.check_rows(code)
    data = recorded_data(store, row)
    if data is None:
        raise InvalidInput(
            f"project {code} has no project data in the store yet (its first step records "
            "it); open the project from its workspace folder"
        )
    spec = load_spec(row.workflow, template_dirs(None))
    return Session(None, store, row, spec, data, actor or default_actor(data))
