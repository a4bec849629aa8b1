"""What each kind of job does when a worker runs it (see :mod:`docflow.queue.registry`)."""

from __future__ import annotations

from typing import Any

from docflow.errors import DocflowError
from docflow.queue.registry import JobInfo

__all__ = ["render_project"]


def render_project(
    job: JobInfo, code: str, workspace: str, actor: str | None = None
) -> dict[str, Any]:
    """Re-render project ``code`` from its workspace folder, as ``docflow render --all`` does.

    Idempotent: a job run again (retried after a crash, or queued twice) finds the
    documents it rendered unchanged and renders nothing. A project that cannot be rendered,
    or a document that fails, fails the job with the reason.
    """
    from docflow.app.batch import render_project as render

    outcome = render(code, workspace, job.store_url, actor, jobs=1)
    if outcome.error is not None:
        raise DocflowError(f"project {code}: {outcome.error}")
    if outcome.failed:
        notes = "; ".join(f"{note.id}: {note.message}" for note in outcome.failed)
        raise DocflowError(f"project {code}: {len(outcome.failed)} document(s) failed: {notes}")
    return {
        "rerendered": [f"{r.id} v{r.version}" for r in outcome.rerendered],
        "restored": list(outcome.restored),
        "unchanged": list(outcome.unchanged),
    }
