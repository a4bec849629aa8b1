"""The kinds of job workers run: one :class:`TaskDef` per kind, kept as data.

A kind names the function a worker calls (imported when the first such job runs), the
queue it waits in, the argument that says what the job works on (its *key*), and which
failures are worth another attempt. Two rules follow from the key, for every kind:

- **one at a time per key**: jobs whose keys share a lock scope (``project:HIS-2026``)
  never run at once, whatever their kind, so a project is not rendered and sealed by two
  workers together;
- **queued once per kind and key**: while a job of a kind waits for a key, queueing the
  same kind for that key again is refused (``QueueReport.already_queued``).

Adding a kind (sealing a signed PDF, sending an e-mail for the portal): write the function
``fn(job: JobInfo, **args) -> dict`` (what it did, as JSON data; raise a DocflowError to fail
the job with that message), add a TaskDef to :data:`TASKS`, queue it with
:func:`docflow.queue.defer_in` inside the write transaction of the state change it follows,
and run ``docflow worker --queue NAME`` where it should run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from docflow.errors import EnvironmentProblem, ProjectChanged, UsageError

__all__ = ["TASKS", "JobInfo", "Retry", "TaskDef", "queues", "task_def"]


@dataclass(frozen=True)
class Retry:
    """How often a job is tried and which failures are worth another attempt.

    A failure of another type (a broken template, data that no longer validates) fails the
    job at once: running it again would fail the same way.
    """

    attempts: int = 5
    wait_s: int = 5
    linear_wait_s: int = 5
    transient: tuple[type[Exception], ...] = (ProjectChanged, EnvironmentProblem)


@dataclass(frozen=True)
class TaskDef:
    """One kind of job."""

    name: str
    queue: str
    target: str  # "module:function", called as function(JobInfo, **args)
    key: str  # the argument naming what the job works on
    lock_scope: str = "project"
    retry: Retry = field(default_factory=Retry)
    help: str = ""

    def key_of(self, args: Mapping[str, Any]) -> str:
        """The job's key: the value of its key argument."""
        value = args.get(self.key)
        if not isinstance(value, str) or not value:
            raise UsageError(f"a {self.name} job needs its {self.key} argument (got {value!r})")
        return value

    def lock(self, args: Mapping[str, Any]) -> str:
        """The lock every job on the same key holds while it runs."""
        return f"{self.lock_scope}:{self.key_of(args)}"

    def queueing_lock(self, args: Mapping[str, Any]) -> str:
        """At most one waiting job of this kind per key."""
        return f"{self.name}:{self.key_of(args)}"


@dataclass(frozen=True)
class JobInfo:
    """What a running job knows about itself."""

    id: int
    attempts: int
    store_url: str


RENDER_PROJECT = TaskDef(
    name="render_project",
    queue="render",
    target="docflow.queue.tasks:render_project",
    key="code",
    help="re-render a project's unsigned documents whose data or templates changed",
)

TASKS: dict[str, TaskDef] = {t.name: t for t in (RENDER_PROJECT,)}


def task_def(name: str) -> TaskDef:
    """The kind of job called ``name``; a clear error for an unknown one."""
    found = TASKS.get(name)
    if found is None:
        raise UsageError(f"no job kind {name!r} (known: {', '.join(sorted(TASKS))})")
    return found


def queues() -> list[str]:
    """Every queue some kind of job waits in."""
    return sorted({t.queue for t in TASKS.values()})
