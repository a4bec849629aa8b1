"""An open project: its workspace, store row, workflow spec and current project data.

A :class:`Session` is what every runtime operation starts from. It reads; the operations in
``steps``, ``signing``, ``changes`` and ``rendering`` write through the store's transactions.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.errors import Conflict, InvalidInput
from docflow.guards import DocFacts, Snapshot, check_guard
from docflow.runtime.workspace import Workspace
from docflow.spec.project import ProjectData, Requirement
from docflow.spec.workflow import GuardSpec, WorkflowSpec

if TYPE_CHECKING:
    from docflow.spec.change import ChangeRequestSpec
    from docflow.store.base import ChangeRow, DocumentRow, ProjectRow, SignatureRow, Store

__all__ = ["LIVE", "Session", "default_actor", "load_spec", "open_session"]

LIVE = ("issued", "signed")


def default_actor() -> str:
    """The actor recorded in events: DOCFLOW_ACTOR, else the OS user."""
    actor = os.environ.get("DOCFLOW_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _guard_check(guard: GuardSpec) -> list[str]:
    return check_guard(guard.type, guard.params)


def load_spec(name_or_path: str, template_dirs: Sequence[Path]) -> WorkflowSpec:
    """Load and fully check a workflow definition (structure, guards, templates)."""
    from docflow.spec.checks import validate_workflow_file
    from docflow.spec.loader import find_workflow

    return validate_workflow_file(find_workflow(name_or_path), _guard_check, template_dirs)


@dataclass
class Session:
    """One project as docflow sees it right now."""

    workspace: Workspace
    store: Store
    row: ProjectRow
    spec: WorkflowSpec
    data: ProjectData
    actor: str
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        """The project code (the store's key)."""
        return self.row.code

    @property
    def locale(self) -> str:
        """The documents' and messages' locale."""
        return self.data.locale

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
    def changes(self) -> list[ChangeRow]:
        """Every change request, by number."""
        return sorted(self.store.changes(self.code), key=lambda c: c.number)

    def signed_by(self, doc: DocumentRow) -> frozenset[str]:
        """Parties that signed this version of the document."""
        return frozenset(
            s.party for s in self.signatures if s.doc_id == doc.doc_id and s.version == doc.version
        )

    def kind_of(self, doc: DocumentRow) -> Any:
        """The workflow's document kind for a stored document."""
        return self.spec.documents.get(doc.code)

    def doc_title(self, code: str) -> str:
        """A document kind's title in the project's locale."""
        kind = self.spec.documents.get(code)
        if kind is None:
            return code
        return kind.title.get(self.locale) or next(iter(kind.title.values()), code)

    def find_document(self, doc_id: str) -> DocumentRow:
        """The newest version of a document by id, or a clear error (exit 4)."""
        for doc in self.documents:
            if doc.doc_id == doc_id:
                return doc
        known = ", ".join(d.doc_id for d in self.documents) or "none yet"
        raise InvalidInput(f"no document {doc_id} in project {self.code} (documents: {known})")

    def refreshed(self) -> Session:
        """A fresh view of the same project after a write (same spec and data)."""
        row = self.store.get_project(self.code)
        if row is None:
            raise Conflict(f"project {self.code} disappeared from the store")
        return Session(self.workspace, self.store, row, self.spec, self.data, self.actor)

    # change control -------------------------------------------------------------
    def change_spec(self, change: ChangeRow) -> ChangeRequestSpec:
        """The filed content of a change request."""
        from docflow.spec.change import ChangeRequestSpec

        return ChangeRequestSpec.model_validate(change.body)

    def effective_changes(self) -> list[ChangeRow]:
        """Changes whose annex is signed, in number order."""
        return [c for c in self.changes if c.status == "effective"]

    def baseline(self) -> list[Requirement] | None:
        """The requirement set frozen when the memo was confirmed (None before)."""
        if self.row.baseline is None:
            return None
        return [Requirement.model_validate(r) for r in self.row.baseline]

    def current_requirements(self) -> list[Requirement]:
        """Baseline plus effective changes; project.yaml's list before the baseline."""
        base = self.baseline()
        if base is None:
            return list(self.data.requirements)
        from docflow.runtime.requirements import current_requirements

        specs = [self.change_spec(c) for c in self.effective_changes()]
        return current_requirements(base, specs)

    def change_ratio(self) -> float:
        """Distinct requirements touched by effective changes / baseline size."""
        base = self.baseline()
        if not base:
            return 0.0
        from docflow.runtime.requirements import change_ratio

        return change_ratio(base, [self.change_spec(c) for c in self.effective_changes()])

    def drift(self) -> list[Any]:
        """Differences between project.yaml's requirements and baseline + effective changes."""
        if "drift" not in self._cache:
            if self.row.baseline is None:
                self._cache["drift"] = []
            else:
                from docflow.runtime.requirements import diff_requirements

                expected = self.current_requirements()
                self._cache["drift"] = diff_requirements(expected, list(self.data.requirements))
        return list(self._cache["drift"])

    def open_changes(self) -> tuple[str, ...]:
        """Change requests undecided or approved with an unsigned annex."""
        return tuple(c.cr_id for c in self.changes if c.status in ("open", "approved"))

    # guards ---------------------------------------------------------------------
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
            open_changes=self.open_changes(),
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
            f"{store.url}{hint}; project.code must not change after `docflow init`"
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
    return Session(workspace, store, row, spec, data, actor or default_actor())
