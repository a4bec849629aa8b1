"""Batch re-rendering across the store: every unsigned document of every (matching) project.

Each project renders in its own worker process, from its own workspace's data and templates,
through :func:`docflow.runtime.rendering.render_documents`; signed documents are never
re-rendered there. A project that fails (its workspace is gone, its data no longer
validates, a template breaks) is reported and the others go on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docflow.errors import DocflowError, combined_exit_code

__all__ = ["ProjectOutcome", "matching_projects", "render_store"]

_PAGE = 500


@dataclass
class ProjectOutcome:
    """What re-rendering one project did; ``error`` when the project could not be rendered."""

    code: str
    workspace: str
    rerendered: list[dict[str, Any]] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    error: str | None = None
    exit_code: int = 0  # 0, or the code this project alone would have made the command exit with

    @property
    def ok(self) -> bool:
        """True when the project and each of its documents rendered."""
        return self.error is None and not self.failed

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "code": self.code,
            "workspace": self.workspace,
            "rerendered": self.rerendered,
            "restored": self.restored,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "error": self.error,
        }


def _rows(store: Any) -> Iterator[Any]:
    offset = 0
    while True:
        page = store.list_projects(limit=_PAGE, offset=offset)
        yield from page
        if len(page) < _PAGE:
            return
        offset += _PAGE


def matching_projects(store: Any, text: str | None) -> list[tuple[str, str]]:
    """(code, workspace) of each project whose code, name or state contains ``text``."""
    needle = (text or "").casefold()
    return [
        (row.code, row.workspace)
        for row in _rows(store)
        if not needle or any(needle in str(v).casefold() for v in (row.code, row.name, row.state))
    ]


def _render_project(task: tuple[str, str, str, str | None, int]) -> ProjectOutcome:
    """Worker: open one project and re-render it; any DocflowError becomes its outcome."""
    from docflow.runtime.rendering import render_documents
    from docflow.runtime.session import open_session
    from docflow.runtime.workspace import Workspace

    code, workspace, store_url, actor, jobs = task
    outcome = ProjectOutcome(code, workspace)
    if not (Path(workspace) / "project.yaml").is_file():
        outcome.error, outcome.exit_code = f"its workspace {workspace} has no project.yaml", 1
        return outcome
    try:
        session = open_session(Workspace(Path(workspace)), store_url, actor)
        if session.code != code:
            outcome.error = f"its workspace {workspace} now holds project {session.code}"
            outcome.exit_code = 1
            return outcome
        report = render_documents(session, None, jobs=jobs)
    except DocflowError as exc:
        outcome.error, outcome.exit_code = exc.message, exc.exit_code
        return outcome
    except Exception as exc:
        # One project's unexpected failure must not end the batch for all the others.
        outcome.error, outcome.exit_code = f"internal error: {type(exc).__name__}: {exc}", 1
        return outcome
    outcome.rerendered = report.rerendered
    outcome.restored = report.restored
    outcome.unchanged = report.unchanged
    outcome.failed = report.failed
    outcome.exit_code = report.exit_code
    return outcome


def render_store(
    store_url: str | None,
    directory: Path | None,
    *,
    text: str | None = None,
    jobs: int | None = None,
    actor: str | None = None,
    progress: Callable[[ProjectOutcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Re-render every unsigned document of the store's projects matching ``text``.

    Projects render in up to ``jobs`` processes (default: the number of cores); a single
    project uses them for its documents instead. ``on_start(n)`` is told how many projects
    match, ``progress(outcome)`` hears of each as it finishes.
    """
    from docflow.runtime.register import open_register_store

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
    return {
        "filter": text,
        "jobs": workers,
        "projects": [o.to_dict() for o in outcomes],
        "summary": {
            "projects": len(outcomes),
            "rerendered": sum(len(o.rerendered) for o in outcomes),
            "restored": sum(len(o.restored) for o in outcomes),
            "unchanged": sum(len(o.unchanged) for o in outcomes),
            "failed": sum(len(o.failed) for o in outcomes),
            "errors": sum(1 for o in outcomes if o.error is not None),
            "exit_code": combined_exit_code(o.exit_code for o in outcomes),
        },
    }
