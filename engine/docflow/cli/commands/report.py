"""``docflow report``: the progress report of a period, made from the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import date_option, day, json_option
from docflow.cli.output import emit


@click.command()
@click.option("--week", help="An ISO week, e.g. 2026-W15 (default: the current week).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day.")
@date_option("of the report")
@json_option
@click.pass_obj
def report(
    env: Env,
    week: str | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    date: dt.datetime | None,
    as_json: bool,
) -> None:
    """Issue the progress report PR-n of a week or a period."""
    from docflow.api import render_worker

    with render_worker() as worker:
        view = (
            env.project(worker)
            .report(week=week, start=day(start), end=day(end), date=day(date))
            .to_dict()
        )

    def human(con: Any) -> None:
        period = view["period"]
        counts = view["counts"]
        con.print(
            f"{view['id']} v{view['version']}: {period['from']} to {period['to']} "
            f"(as of {period['as_of']}): {view['document']['files']['pdf']}"
        )
        con.print("  " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items()))

    emit(view, as_json, human)
