"""Operations beyond one open project: creating a workspace, the store's register and batch
rendering, the schema, the demo, workflows, templates and the machine check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docflow.app.batch import BatchReport, ProjectOutcome
    from docflow.app.demo import DemoResult
    from docflow.app.doctor import DoctorReport
    from docflow.app.init import InitResult
    from docflow.app.projects import ProjectsPage
    from docflow.app.templates import TemplateFile
    from docflow.app.workflows import WorkflowCheck
    from docflow.spec.change import ChangeRequestSpec
    from docflow.spec.workflow import WorkflowSpec

__all__ = [
    "StoreUpgrade",
    "copy_template",
    "demo",
    "doctor",
    "draw_workflow",
    "init",
    "list_templates",
    "list_workflows",
    "load_workflow",
    "projects",
    "read_change_file",
    "render_projects",
    "upgrade_store",
    "validate_workflow",
]

from docflow.api.results import StoreUpgrade


def init(
    folder: str | Path,
    *,
    workflow: str = "implementation",
    locale: str = "zh-CN",
    example: bool = False,
    code: str | None = None,
    store: str | None = None,
    actor: str | None = None,
    name: str | None = None,
) -> InitResult:
    """Create a workspace in ``folder`` (the example project or a commented skeleton) and
    register its project in the workflow's initial state; ``code`` and ``name`` default to
    the folder's name (the code in upper case)."""
    from docflow.app.init import init_workspace

    return init_workspace(
        Path(folder),
        workflow=workflow,
        locale=locale,
        example=example,
        code=code,
        store_url=store,
        actor=actor,
        name=name,
    )


def demo(
    folder: str | Path,
    *,
    locale: str = "zh-CN",
    store: str | None = None,
    say: Callable[[str], None] = print,
) -> DemoResult:
    """Create the example workspace in ``folder`` and take it to its last non-final state,
    signing as each party on the way; ``say`` hears of each step."""
    from docflow.app.demo import run_demo

    return run_demo(Path(folder), locale=locale, store_url=store, say=say)


def projects(
    store: str | None = None, folder: str | Path | None = None, *, limit: int = 50, offset: int = 0
) -> ProjectsPage:
    """One page of the store's register (the store named, else the workspace's at ``folder``)."""
    from docflow.app.projects import list_register

    return list_register(
        store, Path(folder) if folder is not None else None, limit=limit, offset=offset
    )


def render_projects(
    store: str | None = None,
    folder: str | Path | None = None,
    *,
    text: str | None = None,
    jobs: int | None = None,
    actor: str | None = None,
    progress: Callable[[ProjectOutcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BatchReport:
    """Re-render every unsigned document of each project whose code, name or state contains
    ``text``, in ``jobs`` processes (default: one per core)."""
    from docflow.app.batch import render_store

    return render_store(
        store,
        Path(folder) if folder is not None else None,
        text=text,
        jobs=jobs,
        actor=actor,
        progress=progress,
        on_start=on_start,
    )


def upgrade_store(store: str | None = None, folder: str | Path | None = None) -> StoreUpgrade:
    """Apply the schema migrations to the store named, else to the workspace's own store."""
    from docflow.runtime.workspace import Workspace
    from docflow.store import open_store
    from docflow.store.urls import display_url

    root = None if store else Workspace.find(Path(folder) if folder else None).root
    opened = open_store(store, root)
    # The URL as messages show it: a password given in it is never printed or returned.
    return StoreUpgrade(display_url(opened.url), opened.upgrade())


def doctor(
    store: str | None = None, folder: str | Path | None = None, locale: str = "en"
) -> DoctorReport:
    """Check fonts, Pango, HarfBuzz, templates, the store, Graphviz and LibreOffice; the
    details and fixes are said in ``locale`` (zh-CN or en)."""
    from docflow.app.doctor import diagnose

    return diagnose(store, Path(folder) if folder is not None else None, locale)


def list_workflows() -> list[str]:
    """The names of the built-in workflows."""
    from docflow.app.workflows import list_workflows as names

    return names()


def load_workflow(name_or_path: str, folder: str | Path | None = None) -> WorkflowSpec:
    """A workflow by built-in name or file, fully checked (templates seen from ``folder``)."""
    from docflow.app.workflows import load

    return load(name_or_path, Path(folder) if folder is not None else None)


def validate_workflow(path: str | Path, folder: str | Path | None = None) -> WorkflowCheck:
    """Check a workflow file; SpecError names every problem with its file, line and path."""
    from docflow.app.workflows import validate

    return validate(Path(path), Path(folder) if folder is not None else None)


def draw_workflow(
    spec: WorkflowSpec, fmt: str = "text", locale: str | None = None, current: str | None = None
) -> str | bytes:
    """A workflow as ``text``, ``mermaid``, ``dot`` or ``svg`` (bytes), ``current`` marked."""
    from docflow.app.workflows import draw

    return draw(spec, fmt, locale, current)


def list_templates(folder: str | Path) -> list[TemplateFile]:
    """Every built-in template name with the file used for it in the workspace at ``folder``."""
    from docflow.app.templates import list_templates as rows
    from docflow.runtime.workspace import Workspace

    return rows(Workspace(Path(folder)))


def copy_template(
    folder: str | Path, kind: str, locale: str | None = None, *, force: bool = False
) -> list[str]:
    """Copy the built-in template ``kind`` into the workspace's templates/ folder."""
    from docflow.app.templates import copy_template as copy
    from docflow.runtime.workspace import Workspace

    return copy(Workspace(Path(folder)), kind, locale, force=force)


def read_change_file(path: str | Path) -> ChangeRequestSpec:
    """A change request file (YAML, schemas/change.schema.json), checked with line numbers."""
    from docflow.spec.change import parse_change_file

    return parse_change_file(Path(path))
