"""``docflow worker``: run queued jobs from a shared PostgreSQL store until stopped."""

from __future__ import annotations

import logging
import sys

import click

from docflow.cli import Env


@click.command()
@click.option(
    "--queue",
    "queues",
    multiple=True,
    metavar="NAME",
    help="Take jobs of this queue only (repeat for several; default: every queue).",
)
@click.option(
    "--stalled-after",
    type=click.FloatRange(2),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="A worker silent this long is dead: its running job is queued again.",
)
@click.pass_obj
def worker(env: Env, queues: tuple[str, ...], stalled_after: float) -> None:
    """Run queued jobs (re-rendering, ...) from the PostgreSQL store until stopped.

    Run one per core on any number of machines that reach the store and see the
    workspace folders; stop one with SIGTERM or Ctrl-C (it finishes its job first).
    """
    from docflow.api.frontend import run_worker
    from docflow.cli.process import long_running

    long_running()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    ours = logging.getLogger("docflow.queue")
    ours.addHandler(handler)
    ours.setLevel(logging.INFO)
    # procrastinate says what goes wrong; its per-job chatter repeats docflow's own lines.
    theirs = logging.getLogger("procrastinate")
    theirs.addHandler(handler)
    theirs.setLevel(logging.WARNING)
    run_worker(
        env.store,
        env.directory,
        queues=queues or None,
        stalled_after=stalled_after,
        locale=env.here(),
    )
