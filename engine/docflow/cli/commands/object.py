"""``docflow object``: a party objects to a document instead of signing it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import date_option, day, json_option
from docflow.cli.output import emit


@click.command("object")
@click.argument("doc_id")
@click.option("--party", type=click.Choice(["client", "vendor"]), required=True)
@click.option("--reason", required=True, help="What is wrong with the document.")
@date_option("of the objection")
@json_option
@click.pass_obj
def object_(
    env: Env, doc_id: str, party: str, reason: str, date: dt.datetime | None, as_json: bool
) -> None:
    """Record PARTY's objection to DOC_ID (it stops the deemed-confirmation clock)."""
    project = env.project()
    view = project.object(doc_id, party, reason, date=day(date)).to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr, word

        line = tr(
            lang,
            "object.recorded",
            id=view["document"]["id"],
            version=view["version"],
            party=word(lang, "party", view["party"]),
            on=view["on"],
            reason=view["reason"],
        )
        con.print(escape(line))
        con.print(escape(tr(lang, "object.next")))

    emit(view, as_json, human)
