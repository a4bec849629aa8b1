"""``docflow jobs``: how far the shared store's job queue is."""

from __future__ import annotations

from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit


@click.command()
@json_option
@click.pass_obj
def jobs(env: Env, as_json: bool) -> None:
    """Jobs queued, running, done and failed (with their errors); workers alive."""
    from docflow.api.frontend import job_progress

    result = job_progress(env.store, env.directory).to_dict()

    def human(con: Any) -> None:
        from rich.markup import escape

        c = result["counts"]
        con.print(
            f"{result['total']} job(s) in {escape(result['store'])}: {c['queued']} queued, "
            f"{c['doing']} running, {c['succeeded']} succeeded, {c['failed']} failed, "
            f"{c['cancelled']} cancelled; {result['workers']} worker(s) alive"
        )
        for f in result["failed"]:
            con.print(
                f"  [red]failed[/red] job {f['id']} {escape(f['task'])} {escape(f['key'])} "
                f"after {f['attempts']} attempt(s): {escape(f['error'] or 'no error recorded')}"
            )

    emit(result, as_json, human)
