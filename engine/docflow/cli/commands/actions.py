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
    found = env.project().actions(overdue=overdue, as_of=day(date))
    items = [a.to_dict() for a in found]

    def human(con: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        if not items:
            con.print("No overdue action items." if overdue else "No action items.")
            return
        table = Table(show_edge=False)
        for col in ("id", "party", "owner", "due", "status", "task"):
            table.add_column(col)
        for a in items:
            status = a["status"]
            if status == "overdue":
                status = style(f"overdue {a['days_overdue']}d", "red")
            elif status == "done":
                status = style(f"done ({a['closed_by']})", "green")
            table.add_row(
                escape(a["id"]), a["party"], escape(a["owner"]), a["due"], status, escape(a["task"])
            )
        con.print(table)

    emit(items, as_json, human)
