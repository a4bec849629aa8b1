"""``docflow void DOC_ID --reason R``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import date_option, day, json_option
from docflow.cli.output import emit


@click.command()
@click.argument("doc_id")
@click.option("--reason", required=True, help="Why the document is void (kept in the log).")
@date_option("of the voiding")
@json_option
@click.pass_obj
def void(env: Env, doc_id: str, reason: str, date: dt.datetime | None, as_json: bool) -> None:
    """Void DOC_ID: it stays on record, marked void; `docflow render DOC_ID` issues it again
    as its next version. A signed contract annex is superseded by a change request instead."""
    view = env.project().void(doc_id, reason, date=day(date)).to_dict()

    def human(con: Any) -> None:
        from rich.markup import escape

        con.print(f"{view['id']} v{view['version']} is void: {escape(view['reason'])}")
        con.print(f"  issue it again with: {view['reissue']}")
        if view.get("warning"):
            con.print(f"  [yellow]warning[/yellow]: {escape(view['warning'])}")

    emit(view, as_json, human)
