"""The store-wide register of projects: one row per project, paginated."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.errors import DocflowError, UsageError
from docflow.runtime.result import Result
from docflow.runtime.workspace import Workspace

if TYPE_CHECKING:
    from docflow.store.base import Store

__all__ = ["ProjectSummary", "ProjectsPage", "list_register", "open_register_store"]


@dataclass(frozen=True)
class ProjectSummary(Result):
    """One project of the register: where it stands and what it awaits."""

    code: str
    name: str
    workflow: str
    phase: str | None
    state: str
    change_ratio: float | None
    signatures_awaited: int
    workspace: str
    updated_at: str


@dataclass(frozen=True)
class ProjectsPage(Result):
    """One page of the register, with the total count."""

    total: int
    offset: int
    limit: int
    projects: tuple[ProjectSummary, ...]


def open_register_store(store_url: str | None, directory: Path | None) -> Store:
    """The named store, else the store of the workspace at (or above) ``directory``."""
    from docflow.store import open_store

    if store_url:
        store = open_store(store_url, None)
    else:
        try:
            ws = Workspace.find(directory)
        except UsageError as exc:
            raise UsageError("name a store, or open the register inside a workspace") from exc
        store = open_store(None, ws.root)
    store.ensure_schema()
    return store


@cache
def _spec(name: str) -> Any:
    from docflow.spec.loader import load_workflow

    try:
        return load_workflow(name)
    except DocflowError:
        return None


def list_register(
    store_url: str | None, directory: Path | None, *, limit: int = 50, offset: int = 0
) -> ProjectsPage:
    """One page of the register."""
    from docflow.changes.rules import change_ratio
    from docflow.spec.change import ChangeRequestSpec
    from docflow.spec.project import Requirement

    store = open_register_store(store_url, directory)
    rows = []
    for p in store.list_projects(limit=limit, offset=offset):
        spec = _spec(p.workflow)
        state = spec.states.get(p.state) if spec else None
        ratio = None
        if p.baseline is not None:
            effective = [
                ChangeRequestSpec.model_validate(c.body)
                for c in store.changes(p.code)
                if c.status == "effective"
            ]
            ratio = change_ratio([Requirement.model_validate(r) for r in p.baseline], effective)
        awaited = 0
        docs = {}
        for d in store.documents(p.code):
            docs[d.doc_id] = d
        issued = [d for d in docs.values() if d.status == "issued"]
        # Signatures matter only for documents still awaiting them: skip the query otherwise.
        signatures = store.signatures(p.code) if issued else []
        signed = {(s.doc_id, s.version, s.party) for s in signatures}
        for d in issued:
            kind = spec.documents.get(d.code) if spec else None
            if kind:
                awaited += sum(
                    1 for party in kind.signers if (d.doc_id, d.version, party) not in signed
                )
        rows.append(
            ProjectSummary(
                code=p.code,
                name=p.name,
                workflow=p.workflow,
                phase=state.phase if state else None,
                state=p.state,
                change_ratio=ratio,
                signatures_awaited=awaited,
                workspace=p.workspace,
                updated_at=p.updated_at,
            )
        )
    return ProjectsPage(store.count_projects(), offset, limit, tuple(rows))
