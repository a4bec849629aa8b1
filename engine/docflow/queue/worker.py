"""``docflow worker``: take jobs from the store's queue until stopped (SIGTERM or Ctrl-C).

One job at a time per worker process (rendering is CPU-bound and one process has one
interpreter lock): run one worker per core, on as many machines as reach the store and see
the workspace folders at the paths the store records. A worker that dies (killed, machine
lost) stops sending heartbeats; every other worker looks for such jobs every few seconds and
puts them back in the queue, so another worker completes them. Jobs are idempotent: a job
run again after its worker died re-renders nothing that was already recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["run_worker"]

log = logging.getLogger("docflow.queue")


def run_worker(
    store_url: str | None,
    directory: Path | None = None,
    *,
    queues: Sequence[str] | None = None,
    stalled_after: float = 30.0,
    locale: str | None = None,
) -> None:
    """Run jobs of ``queues`` (default: every queue) from the PostgreSQL store until stopped.

    ``stalled_after`` seconds without a heartbeat make a worker dead and its running job
    due again; heartbeats go out four times within that time. The worker says when it
    starts and stops in ``locale`` (default: the user's).
    """
    from docflow.errors import UsageError
    from docflow.queue.app import build_app, open_queue_store
    from docflow.queue.registry import queues as known
    from docflow.runtime.lang import user_locale
    from docflow.runtime.messages import tr

    chosen = list(queues) if queues else known()
    unknown = sorted(set(chosen) - set(known()))
    if unknown:
        raise UsageError(f"no queue {', '.join(unknown)} (queues: {', '.join(known())})")
    if stalled_after < 2:
        raise UsageError("--stalled-after must be at least 2 seconds")
    store = open_queue_store(store_url, directory)
    try:
        app = build_app(store.url, outcomes=store)
        name = f"docflow@{socket.gethostname()}:{os.getpid()}"
        lang = locale or user_locale()
        queues_told = tr(lang, "list_sep").join(chosen)
        log.info("%s", tr(lang, "worker.starts", name=name, queues=queues_told))
        asyncio.run(_serve(app, name, chosen, stalled_after))
        log.info("%s", tr(lang, "worker.stopped", name=name))
    finally:
        store.close()


async def _serve(app: Any, name: str, queues: list[str], stalled_after: float) -> None:
    async with app.open_async():
        rescuer = asyncio.create_task(_retry_stalled(app, queues, stalled_after))
        try:
            await app.run_worker_async(
                queues=queues,
                name=name,
                concurrency=1,
                wait=True,
                install_signal_handlers=True,
                update_heartbeat_interval=stalled_after / 4,
                stalled_worker_timeout=stalled_after,
            )
        finally:
            rescuer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await rescuer


async def _retry_stalled(app: Any, queues: list[str], stalled_after: float) -> None:
    """Put the jobs of dead workers back in the queue, every ``stalled_after / 2`` seconds."""
    while True:
        await asyncio.sleep(stalled_after / 2)
        for queue in queues:
            try:
                stalled = await app.job_manager.get_stalled_jobs(
                    queue=queue, seconds_since_heartbeat=stalled_after
                )
            except Exception as exc:  # the store is unreachable for now: try again later
                log.warning("looking for stalled jobs failed: %s", exc)
                continue
            for job in stalled:
                try:
                    await app.job_manager.retry_job(job)
                except Exception:
                    continue  # another worker put it back first
                log.info("job %s: its worker stopped answering; queued again", job.id)
