"""How far the queue is: jobs per status, workers alive, and each failed job with its error."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docflow.runtime.result import Result

__all__ = ["FailedJob", "JobCounts", "JobProgress", "job_progress"]

# procrastinate's statuses as docflow names them: a job waits, runs, or has ended one way.
_STATUS = {
    "todo": "queued",
    "doing": "doing",
    "aborting": "doing",
    "succeeded": "succeeded",
    "failed": "failed",
    "cancelled": "cancelled",
    "aborted": "cancelled",
}


@dataclass(frozen=True)
class JobCounts(Result):
    """How many jobs are in each state."""

    queued: int = 0
    doing: int = 0
    succeeded: int = 0
    failed: int = 0
    cancelled: int = 0


@dataclass(frozen=True)
class FailedJob(Result):
    """A job that failed for good, with the error its last attempt ended with."""

    id: int
    task: str
    key: str
    attempts: int
    error: str | None


@dataclass(frozen=True)
class JobProgress(Result):
    """The queue of one store: counts, workers that sent a heartbeat lately, failures."""

    store: str
    total: int
    counts: JobCounts
    workers: int
    failed: tuple[FailedJob, ...]


_COUNTS = "SELECT status::text AS status, count(*) AS n FROM procrastinate_jobs GROUP BY status"
_FAILED = """
SELECT j.id, j.task_name, j.attempts, j.args, o.key, o.error
  FROM procrastinate_jobs j LEFT JOIN job_outcomes o ON o.job_id = j.id
 WHERE j.status = 'failed' ORDER BY j.id
"""
# A worker that has not sent a heartbeat for a minute is gone (its jobs are retried).
_WORKERS = """
SELECT count(*) AS n FROM procrastinate_workers
 WHERE last_heartbeat > NOW() - INTERVAL '60 seconds'
"""


def job_progress(store_url: str | None, directory: Path | None = None) -> JobProgress:
    """The queue's progress in the PostgreSQL store ``store_url`` (else the workspace's)."""
    from sqlalchemy import text

    from docflow.queue.app import open_queue_store
    from docflow.queue.registry import TASKS
    from docflow.store.urls import display_url

    store = open_queue_store(store_url, directory)
    try:
        with store.connection() as conn:
            counts: dict[str, int] = {}
            for row in conn.execute(text(_COUNTS)).mappings():
                name = _STATUS.get(str(row["status"]), "cancelled")
                counts[name] = counts.get(name, 0) + int(row["n"])
            failed = []
            for row in conn.execute(text(_FAILED)).mappings():
                definition = TASKS.get(str(row["task_name"]))
                args = row["args"] or {}
                key = row["key"] or (str(args.get(definition.key, "")) if definition else "")
                failed.append(
                    FailedJob(
                        int(row["id"]),
                        str(row["task_name"]),
                        key,
                        int(row["attempts"]),
                        row["error"],
                    )
                )
            workers = int(conn.execute(text(_WORKERS)).scalar_one())
    finally:
        store.close()
    return JobProgress(
        display_url(store.url), sum(counts.values()), JobCounts(**counts), workers, tuple(failed)
    )
