"""``docflow advance``."""

from __future__ import annotations

from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit


@click.command()
@click.argument("trigger", required=False)
@click.option("--dry-run", is_flag=True, help="Say what would happen; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def advance(env: Env, trigger: str | None, dry_run: bool, as_json: bool) -> None:
    """Take the next step (TRIGGER may be omitted when only one is possible)."""
    from docflow.runtime.renderworker import render_worker

    # The renderers load in a second process while this one reads the project.
    with render_worker(enabled=not dry_run) as worker:
        from docflow.runtime.steps import advance as run

        result = run(env.session(), trigger, dry_run=dry_run, worker=worker).to_dict()

    def human(con: Any) -> None:
        verb = "would move" if dry_run else "moved"
        con.print(f"{result['trigger']}: {verb} {result['from']} -> [bold]{result['to']}[/bold]")
        for d in result["documents"]:
            files = d["files"]
            con.print(
                f"  {d['id']} v{d['version']}: {files['docx']}, {files['pdf']}"
                + (f"  (awaiting {', '.join(d['awaiting'])})" if d["awaiting"] else "")
            )

    emit(result, as_json, human)
