"""Batch re-rendering across the store: every unsigned document of every (matching) project.

Each project renders in its own worker process, from its own workspace's data and templates,
through :func:`docflow.app.rendering.render_documents`; signed documents are never
re-rendered there. A project that fails (its workspace is gone, its data no longer
validates, a template breaks) is reported and the others go on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from docflow.app.rendering import DocumentNote, RerenderedVersion
from docflow.errors import DocflowError, EnvironmentProblem, ProjectChanged, combined_exit_code
from docflow.runtime.result import Result

if TYPE_CHECKING:
    from docflow.store.base import ProjectRow, Store

__all__ = [
    "BatchReport",
    "BatchSummary",
    "ProjectOutcome",
    "matching_projects",
    "render_project",
    "render_store",
]

_PAGE = 500


@dataclass(frozen=True)
class ProjectOutcome(Result):
    """What re-rendering one project did; ``error`` when the project could not be rendered."""

    code: str
    workspace: str
    rerendered: tuple[RerenderedVersion, ...] = ()
    restored: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[DocumentNote, ...] = ()
    error: str | None = None
    exit_code: int = 0  # 0, or the code this project alone would have made the command exit with

    @property
    def ok(self) -> bool:
        """True when the project and each of its documents rendered."""
        return self.error is None and not self.failed


@dataclass(frozen=True)
class BatchSummary(Result):
    """Counts over every project of a batch."""

    projects: int
    rerendered: int
    restored: int
    unchanged: int
    failed: int
    errors: int
    exit_code: int  # 0, or the code the failures make the command exit with


@dataclass(frozen=True)
class BatchReport(Result):
    """What a batch re-rendering did, project by project (in code order)."""

    filter: str | None
    jobs: int
    projects: tuple[ProjectOutcome, ...]
    summary: BatchSummary = field(init=False)

    def __post_init__(self) -> None:
        outcomes = self.projects
        summary = BatchSummary(
            projects=len(outcomes),
            rerendered=sum(len(o.rerendered) for o in outcomes),
            restored=sum(len(o.restored) for o in outcomes),
            unchanged=sum(len(o.unchanged) for o in outcomes),
            failed=sum(len(o.failed) for o in outcomes),
            errors=sum(1 for o in outcomes if o.error is not None),
            exit_code=combined_exit_code(o.exit_code for o in outcomes),
        )
        object.__setattr__(self, "summary", summary)


def _rows(store: Store) -> Iterator[ProjectRow]:
    offset = 0
    while True:
        page = store.list_projects(limit=_PAGE, offset=offset)
        yield from page
        if len(page) < _PAGE:
            return
        offset += _PAGE


def matching_projects(store: Store, text: str | None) -> list[tuple[str, str]]:
    """(code, workspace) of each project whose code, name or state contains ``text``."""
    needle = (text or "").casefold()
    return [
        (row.code, row.workspace)
        for row in _rows(store)
        if not needle or any(needle in str(v).casefold() for v in (row.code, row.name, row.state))
    ]


def render_project(
    code: str, workspace: str, store_url: str, actor: str | None = None, jobs: int = 1
) -> ProjectOutcome:
    """Open project ``code`` from its ``workspace`` and re-render it in ``jobs`` processes.

    What the project's own data or templates cause (a workspace gone, data that no longer
    validates, a template that fails) is the outcome's ``error`` or its ``failed`` notes.
    A conflict with another command (:class:`ProjectChanged`) and an unreachable store
    (:class:`EnvironmentProblem`) are raised: running again is the answer to those. Running
    it twice renders once: the second run finds every document unchanged.
    """
    from docflow.app.rendering import render_documents
    from docflow.records.observe import observe
    from docflow.runtime.session import open_session
    from docflow.runtime.workspace import Workspace

    outcome = ProjectOutcome(code, workspace)
    if not (Path(workspace) / "project.yaml").is_file():
        return replace(outcome, error=f"its workspace {workspace} has no project.yaml", exit_code=1)
    session = None
    try:
        session = observe(open_session(Workspace(Path(workspace)), store_url, actor))
        if session.code != code:
            return replace(
                outcome,
                error=f"its workspace {workspace} now holds project {session.code}",
                exit_code=1,
            )
        report = render_documents(session, None, jobs=jobs)
    except (ProjectChanged, EnvironmentProblem):
        raise
    except DocflowError as exc:
        return replace(outcome, error=exc.message, exit_code=exc.exit_code)
    except Exception as exc:
        # One project's unexpected failure must not end the batch for all the others.
        return replace(outcome, error=f"internal error: {type(exc).__name__}: {exc}", exit_code=1)
    finally:
        if session is not None:
            session.store.close()
    return replace(
        outcome,
        rerendered=report.rerendered,
        restored=report.restored,
        unchanged=report.unchanged,
        failed=report.failed,
        exit_code=report.exit_code,
    )


def _render_project(task: tuple[str, str, str, str | None, int]) -> ProjectOutcome:
    """Worker: open one project and re-render it; any failure becomes its outcome."""
    code, workspace, store_url, actor, jobs = task
    try:
        return render_project(code, workspace, store_url, actor, jobs)
    except DocflowError as exc:
        return ProjectOutcome(code, workspace, error=exc.message)
    except Exception as exc:
        # One project's unexpected failure must not end the batch for all the others.
        return ProjectOutcome(code, workspace, error=f"internal error: {type(exc).__name__}: {exc}")


def render_store(
    store_url: str | None,
    directory: Path | None,
    *,
    text: str | None = None,
    jobs: int | None = None,
    actor: str | None = None,
    progress: Callable[[ProjectOutcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BatchReport:
    """Re-render every unsigned document of the store's projects matching ``text``.

    Projects render in up to ``jobs`` processes (default: the number of cores); a single
    project uses them for its documents instead. ``on_start(n)`` is told how many projects
    match, ``progress(outcome)`` hears of each as it finishes.
    """
    from docflow.app.projects import open_register_store

    workers = jobs or os.cpu_count() or 1
    store = open_register_store(store_url, directory)
    # Workers open the very store listed here, whether named by URL or found in a workspace.
    url = store.url
    projects = matching_projects(store, text)
    store.close()
    if on_start is not None:
        on_start(len(projects))
    per_project = workers if len(projects) == 1 else 1
    tasks = [(code, ws, url, actor, per_project) for code, ws in projects]
    outcomes: list[ProjectOutcome] = []
    if workers > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
            futures = [pool.submit(_render_project, t) for t in tasks]
            for future in as_completed(futures):
                outcomes.append(future.result())
                if progress is not None:
                    progress(outcomes[-1])
    else:
        for task in tasks:
            outcomes.append(_render_project(task))
            if progress is not None:
                progress(outcomes[-1])
    outcomes.sort(key=lambda o: o.code)
    return BatchReport(text, workers, tuple(outcomes))
