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
    view = env.project().object(doc_id, party, reason, date=day(date)).to_dict()

    def human(con: Any) -> None:
        from rich.markup import escape

        doc = view["document"]
        con.print(
            f"{escape(doc['id'])} v{view['version']}: objection by the {view['party']} on "
            f"{view['on']}: {escape(view['reason'])}"
        )
        con.print("  revise it (docflow meeting edit, or correct the data and docflow render)")

    emit(view, as_json, human)
