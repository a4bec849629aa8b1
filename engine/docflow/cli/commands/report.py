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
        project = env.project(worker)
        view = project.report(week=week, start=day(start), end=day(end), date=day(date)).to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        period = view["period"]
        line = tr(
            lang,
            "report.issued",
            id=view["id"],
            version=view["version"],
            start=period["from"],
            end=period["to"],
            as_of=period["as_of"],
            pdf=view["document"]["files"]["pdf"],
        )
        con.print(escape(line))
        counts = [_count(lang, k, v) for k, v in view["counts"].items()]
        con.print("  " + escape(tr(lang, "list_sep").join(counts)))

    emit(view, as_json, human)


def _count(lang: str, key: str, n: int) -> str:
    """One of the report's counts in ``lang`` (a count without words: its key)."""
    from docflow.api.frontend import tr

    try:
        return tr(lang, f"count.{key}", n=n)
    except KeyError:
        return f"{key.replace('_', ' ')} {n}"
