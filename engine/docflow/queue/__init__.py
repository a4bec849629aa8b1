"""Jobs on a shared PostgreSQL store, taken by ``docflow worker`` processes on any machine.

procrastinate keeps the jobs in the store's own database (its schema comes with the store's
schema revisions): a command queues a job in the same transaction as the state change it is
about (:func:`defer_in`), ``docflow projects render --queue`` queues one re-rendering job
per project (:func:`enqueue_renders`), workers run them (:func:`run_worker`) and
``docflow jobs`` shows how far they are (:func:`job_progress`). The kinds of job are data:
:data:`docflow.queue.registry.TASKS`.

On an SQLite store nothing is queued: everything runs in the command's own processes.
Importing this package is cheap: procrastinate loads only inside the functions that queue
or run jobs, never for ``status``, ``log`` or ``--help``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docflow.queue.enqueue import QueuedJob as QueuedJob
    from docflow.queue.enqueue import QueueReport as QueueReport
    from docflow.queue.enqueue import defer_in as defer_in
    from docflow.queue.enqueue import enqueue_renders as enqueue_renders
    from docflow.queue.progress import FailedJob as FailedJob
    from docflow.queue.progress import JobProgress as JobProgress
    from docflow.queue.progress import job_progress as job_progress
    from docflow.queue.registry import TASKS as TASKS
    from docflow.queue.registry import JobInfo as JobInfo
    from docflow.queue.registry import TaskDef as TaskDef
    from docflow.queue.worker import run_worker as run_worker

_WHERE = {
    "QueuedJob": "docflow.queue.enqueue",
    "QueueReport": "docflow.queue.enqueue",
    "defer_in": "docflow.queue.enqueue",
    "enqueue_renders": "docflow.queue.enqueue",
    "FailedJob": "docflow.queue.progress",
    "JobProgress": "docflow.queue.progress",
    "job_progress": "docflow.queue.progress",
    "TASKS": "docflow.queue.registry",
    "JobInfo": "docflow.queue.registry",
    "TaskDef": "docflow.queue.registry",
    "run_worker": "docflow.queue.worker",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'docflow.queue' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
