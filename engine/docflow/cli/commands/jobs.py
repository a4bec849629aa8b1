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
    lang = env.here()

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        summary = tr(
            lang,
            "jobs.summary",
            total=result["total"],
            store=result["store"],
            workers=result["workers"],
            **result["counts"],
        )
        con.print(escape(summary))
        for f in result["failed"]:
            error = f["error"] or tr(lang, "jobs.no_error")
            con.print(
                tr(
                    lang,
                    "jobs.failed",
                    id=f["id"],
                    task=escape(f["task"]),
                    key=escape(f["key"]),
                    attempts=f["attempts"],
                    error=escape(error),
                )
            )

    emit(result, as_json, human)
