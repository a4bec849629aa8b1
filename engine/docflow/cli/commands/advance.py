"""``docflow advance``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import date_option, day, json_option
from docflow.cli.output import emit


@click.command()
@click.argument("trigger", required=False)
@click.option("--dry-run", is_flag=True, help="Say what would happen; write nothing.")
@date_option("the documents the step issues carry")
@json_option
@click.pass_obj
def advance(
    env: Env, trigger: str | None, dry_run: bool, date: dt.datetime | None, as_json: bool
) -> None:
    """Take the next step (TRIGGER may be omitted when only one is possible)."""
    from docflow.api import render_worker

    # The renderers load in a second process while this one reads the project.
    with render_worker(enabled=not dry_run) as worker:
        project = env.project(worker)
        lang = env.speaks(project.locale)
        result = project.advance(trigger, dry_run=dry_run, date=day(date)).to_dict()

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr, word

        verb = "would_move" if dry_run else "moved"
        names = (("trigger", "trigger"), ("src", "from"), ("dst", "to"))
        fields = {key: escape(str(result[name])) for key, name in names}
        con.print(tr(lang, verb, **fields))
        sep = tr(lang, "list_sep")
        for d in result["documents"]:
            files = d["files"]
            waiting = sep.join(word(lang, "party", p) for p in d["awaiting"])
            con.print(
                escape(
                    f"  {d['id']} v{d['version']}: {files['docx']}, {files['pdf']}"
                    + (tr(lang, "awaiting", parties=waiting) if d["awaiting"] else "")
                )
            )
        for w in result.get("warnings", []):
            con.print(f"  [yellow]{tr(lang, 'warning')}[/yellow]: {escape(w['message'])}")

    emit(result, as_json, human)
