"""``docflow actions``: action items of every meeting, open, done and overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import date_option, day, json_option
from docflow.cli.output import emit, style


@click.command()
@click.option("--overdue", is_flag=True, help="Only the overdue ones.")
@date_option("to count overdue items on")
@json_option
@click.pass_obj
def actions(env: Env, overdue: bool, date: dt.datetime | None, as_json: bool) -> None:
    """List the action items of every meeting."""
    project = env.project()
    found = project.actions(overdue=overdue, as_of=day(date))
    items = [a.to_dict() for a in found]
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        from docflow.api.frontend import tr, word

        if not items:
            con.print(tr(lang, "no_overdue_actions" if overdue else "no_actions"))
            return
        table = Table(show_edge=False)
        for col in ("id", "party", "owner", "due", "status", "task"):
            table.add_column(tr(lang, f"col.{col}"))
        for a in items:
            status = a["status"]
            if status == "overdue":
                status = style(tr(lang, "action.overdue", days=a["days_overdue"]), "red")
            elif status == "done":
                status = style(tr(lang, "action.done", by=a["closed_by"]), "green")
            elif status == "open":
                status = tr(lang, "action.open")
            table.add_row(
                escape(a["id"]),
                word(lang, "party", a["party"]),
                escape(a["owner"]),
                a["due"],
                status,
                escape(a["task"]),
            )
        con.print(table)

    emit(items, as_json, human)
