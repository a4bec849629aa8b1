"""The store-wide register of projects, paginated: the PM's portfolio.

One row per project: where it stands, what blocks its next step (the count and the first
blocker), which signatures it awaits and for how many days, how many issued documents no
longer match the data, and its change ratio with its level. The state, awaited signatures and
ratio come from the store alone. Blockers need the project's data: they are evaluated on the
workspace's project.yaml when the workspace recorded for the project is on this machine (a
shared PostgreSQL store lists colleagues' projects too; theirs show no blockers here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.errors import DocflowError, UsageError
from docflow.runtime.result import Result
from docflow.runtime.workspace import PROJECT_FILE, Workspace

if TYPE_CHECKING:
    from docflow.runtime.session import Session
    from docflow.spec.workflow import WorkflowSpec
    from docflow.store.base import DocumentRow, ProjectRow, Store

__all__ = [
    "AwaitedSignature",
    "NextStep",
    "ProjectSummary",
    "ProjectsPage",
    "list_register",
    "open_register_store",
]


@dataclass(frozen=True)
class AwaitedSignature(Result):
    """A signature a document awaits, and for how long (days since it was issued)."""

    document: str
    party: str
    since: str
    days: int


@dataclass(frozen=True)
class NextStep(Result):
    """The project's next step and what blocks it (``error``: its data could not be read)."""

    trigger: str | None
    ready: bool
    blockers: int
    first: str | None
    error: str | None = None


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
    state_title: str = ""
    ratio_level: str | None = None
    next: NextStep | None = None  # None: the project's workspace is not on this machine
    awaiting: tuple[AwaitedSignature, ...] = ()
    oldest_wait_days: int | None = None
    out_of_date: int | None = None  # None: not known (no workspace, or no detector)


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
def _spec(name: str) -> WorkflowSpec | None:
    from docflow.spec.loader import load_workflow

    try:
        return load_workflow(name)
    except DocflowError:
        return None


def _latest(docs: Sequence[DocumentRow]) -> list[DocumentRow]:
    latest: dict[str, DocumentRow] = {}
    for d in docs:
        latest[d.doc_id] = d
    return list(latest.values())


def _awaited(
    store: Store, p: ProjectRow, spec: WorkflowSpec | None, docs: Sequence[DocumentRow]
) -> tuple[list[AwaitedSignature], list[Any]]:
    issued = [d for d in _latest(docs) if d.status == "issued"]
    # Signatures matter only for documents still awaiting them: skip the query otherwise.
    signatures = store.signatures(p.code) if issued else []
    signed = {(s.doc_id, s.version, s.party) for s in signatures}
    today = _today()
    out = []
    for d in issued:
        kind = spec.documents.get(d.code) if spec else None
        for party in kind.signers if kind else ():
            if (d.doc_id, d.version, party) not in signed:
                since = dt.date.fromisoformat(d.issued_on)
                out.append(AwaitedSignature(d.doc_id, party, d.issued_on, (today - since).days))
    return out, signatures


def _today() -> dt.date:
    from docflow.runtime.clock import today

    return today()


def _session(
    store: Store, p: ProjectRow, spec: WorkflowSpec, docs: list[Any], signatures: list[Any]
) -> Session | None:
    """The project opened on its workspace's project.yaml, or None when not on this machine."""
    from docflow.runtime.session import Session, default_actor
    from docflow.spec.loader import load_project

    folder = Path(p.workspace) if p.workspace else None
    if folder is None or not (folder / PROJECT_FILE).is_file():
        return None
    data = load_project(folder / PROJECT_FILE)
    session = Session(Workspace(folder), store, p, spec, data, default_actor(data))
    # The rows are read already: the session's cached reads reuse them.
    session.__dict__["all_documents"] = docs
    if signatures:
        session.__dict__["signatures"] = signatures
    return session


def _next(session: Session) -> NextStep:
    from docflow.runtime.plan import plan

    steps = plan(session)
    if not steps:
        return NextStep(None, False, 0, None)
    step = next((s for s in steps if s.ready), steps[0])
    first = step.blockers[0].message if step.blockers else None
    return NextStep(step.trigger, step.ready, len(step.blockers), first)


def _detector() -> Any:
    """``docflow.views.documents.out_of_date_count(session) -> int``, when it exists."""
    from docflow.views import documents as views

    count = getattr(views, "out_of_date_count", None)
    return count if callable(count) else None


def _out_of_date(session: Session) -> int | None:
    """Issued documents that no longer match the data (None: docflow cannot tell)."""
    count = _detector()
    return int(count(session)) if count is not None else None


# The facts that need project.yaml are kept in the workspace's .docflow/portfolio.json, keyed
# by what they follow from: the project row's version (every write moves it), project.yaml's
# size and modification time, and the workflow definition. Reading 50 project.yaml files and
# evaluating their guards costs about 20 ms a project; a PM runs `projects` far more often
# than the projects change.
_CACHE = Path(".docflow") / "portfolio.json"


@cache
def _spec_key(name: str) -> str:
    import hashlib

    spec = _spec(name)
    return hashlib.sha256(spec.model_dump_json().encode()).hexdigest()[:16] if spec else ""


def _cache_key(p: ProjectRow, folder: Path) -> dict[str, Any] | None:
    try:
        info = (folder / PROJECT_FILE).stat()
    except OSError:
        return None
    return {
        "v": 1,
        "version": p.version,
        "yaml": [info.st_mtime_ns, info.st_size],
        "workflow": _spec_key(p.workflow),
    }


def _cached(p: ProjectRow, folder: Path, key: dict[str, Any] | None) -> dict[str, Any] | None:
    import json

    if key is None:
        return None
    try:
        kept = json.loads((folder / _CACHE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("key") != key:
        return None
    return kept


def _keep(folder: Path, key: dict[str, Any] | None, facts: dict[str, Any]) -> None:
    import contextlib
    import json

    from docflow.runtime.workspace import atomic_write

    if key is None:
        return
    with contextlib.suppress(OSError):  # a workspace we may not write to is read every time
        atomic_write(folder / _CACHE, json.dumps({"key": key, **facts}).encode("utf-8"))


def _project_facts(
    store: Store, p: ProjectRow, spec: WorkflowSpec, docs: list[Any], signatures: list[Any]
) -> tuple[str | None, str | None, NextStep | None, int | None]:
    """(name, locale, next step, out of date) from the workspace, cached when possible."""
    folder = Path(p.workspace) if p.workspace else None
    if folder is None or not (folder / PROJECT_FILE).is_file():
        return None, None, None, None
    key = _cache_key(p, folder) if _detector() is None else None
    kept = _cached(p, folder, key)
    if kept is not None:
        return kept["name"], kept["locale"], NextStep(**kept["next"]), None
    try:
        session = _session(store, p, spec, docs, signatures)
    except DocflowError as exc:
        return None, None, NextStep(None, False, 1, None, exc.message), None
    if session is None:
        return None, None, None, None
    step = _next(session)
    name, locale = session.data.project.name, session.locale
    _keep(folder, key, {"name": name, "locale": locale, "next": step.to_dict()})
    return name, locale, step, _out_of_date(session)


def _summary(store: Store, p: ProjectRow) -> ProjectSummary:
    from docflow.changes.rules import change_ratio, ratio_level
    from docflow.spec.change import ChangeRequestSpec
    from docflow.spec.project import Requirement

    spec = _spec(p.workflow)
    state = spec.states.get(p.state) if spec else None
    locale = p.locale
    ratio = level = None
    if p.baseline is not None:
        effective = [
            ChangeRequestSpec.model_validate(c.body)
            for c in store.changes(p.code)
            if c.status == "effective"
        ]
        ratio = change_ratio([Requirement.model_validate(r) for r in p.baseline], effective)
        if spec is not None:
            cc = spec.change_control
            level = ratio_level(ratio, cc.warn_ratio, cc.alarm_ratio)
    docs = store.documents(p.code)
    awaiting, signatures = _awaited(store, p, spec, docs)
    name, step, stale = p.name, None, None
    if spec is not None:
        own_name, own_locale, step, stale = _project_facts(store, p, spec, docs, signatures)
        name, locale = own_name or name, own_locale or locale
    return ProjectSummary(
        code=p.code,
        name=name,
        workflow=p.workflow,
        phase=state.phase if state else None,
        state=p.state,
        change_ratio=ratio,
        signatures_awaited=len(awaiting),
        workspace=p.workspace,
        updated_at=p.updated_at,
        state_title=(state.title.get(locale) or p.state) if state else p.state,
        ratio_level=level,
        next=step,
        awaiting=tuple(awaiting),
        oldest_wait_days=max((a.days for a in awaiting), default=None),
        out_of_date=stale,
    )


def list_register(
    store_url: str | None, directory: Path | None, *, limit: int = 50, offset: int = 0
) -> ProjectsPage:
    """One page of the register."""
    store = open_register_store(store_url, directory)
    rows = [_summary(store, p) for p in store.list_projects(limit=limit, offset=offset)]
    return ProjectsPage(store.count_projects(), offset, limit, tuple(rows))
