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
    project = env.project()
    view = project.void(doc_id, reason, date=day(date)).to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        line = tr(lang, "voided", id=view["id"], version=view["version"], reason=view["reason"])
        con.print(escape(line))
        con.print(escape(tr(lang, "reissue", command=view["reissue"])))
        if view.get("warning"):
            con.print(f"  [yellow]{tr(lang, 'warning')}[/yellow]: {escape(view['warning'])}")

    emit(view, as_json, human)
