"""``docflow meeting new|edit|list``: meetings with the client and their minutes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import date_option, day, json_option
from docflow.cli.output import emit, style


def show_meeting(con: Any, view: dict[str, Any], lang: str = "en") -> None:
    """Print one meeting: its minutes, their confirmation, its action items, in ``lang``."""
    from rich.markup import escape

    from docflow.api.frontend import tr, word

    conf = view["confirmation"]
    state = conf["state"] if conf else view["status"]
    detail = ""
    if conf and conf["state"] == "awaiting":
        detail = tr(lang, "meeting.until", deadline=conf["deadline"])
    elif conf and conf["state"] == "deemed":
        detail = tr(lang, "meeting.on", date=conf["deemed_on"])
    elif conf and conf["state"] == "objected":
        detail = tr(
            lang, "meeting.objection", date=conf["objected_on"], objection=conf["objection"]
        )
    color = {"confirmed": "green", "deemed": "green", "objected": "red"}.get(state, "yellow")
    told = word(lang, "confirm", state) if conf else word(lang, "status", state)
    con.print(
        f"[bold]{escape(view['id'])}[/bold] v{view['version']} {escape(view['date'])} "
        f"{escape(view['title'])} ({escape(view['phase'])}){tr(lang, 'colon')}"
        f"{style(told + detail, color)}"
    )
    files = view["document"]["files"]
    con.print(f"  {escape(files['pdf'] or '')}")
    for item in view["action_items"]:
        line = tr(
            lang,
            "meeting.item",
            id=item["id"],
            party=word(lang, "party", item["party"]),
            owner=item["owner"],
            due=item["due"],
            task=item["task"],
            status=word(lang, "item", item["status"]),
        )
        con.print(escape(line))
    if view["closes"]:
        con.print(escape(tr(lang, "meeting.closes", ids=tr(lang, "list_sep").join(view["closes"]))))


@click.group()
def meeting() -> None:
    """Record meetings with the client and issue their minutes."""


@meeting.command("new")
@click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path),
    required=True,
    help="minutes.yaml (see schemas/minutes.schema.json).",
)
@date_option("of the minutes (their issue date)")
@json_option
@click.pass_obj
def new(env: Env, file: Path, date: dt.datetime | None, as_json: bool) -> None:
    """Record a meeting and issue its minutes MM-n for the client's confirmation."""
    from docflow.api import read_minutes_file, render_worker

    minutes = read_minutes_file(file)
    with render_worker() as worker:
        project = env.project(worker)
        view = project.record_meeting(minutes, date=day(date)).to_dict()
    lang = env.speaks(project.locale)
    emit(view, as_json, lambda con: show_meeting(con, view, lang))


@meeting.command("edit")
@click.argument("doc_id")
@click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path),
    required=True,
    help="The corrected minutes.yaml.",
)
@click.option("--reason", help="What was corrected (default: the client's objection).")
@date_option("of the revised minutes")
@json_option
@click.pass_obj
def edit(
    env: Env,
    doc_id: str,
    file: Path,
    reason: str | None,
    date: dt.datetime | None,
    as_json: bool,
) -> None:
    """Issue corrected minutes of DOC_ID as its next version (after an objection)."""
    from docflow.api import read_minutes_file, render_worker

    minutes = read_minutes_file(file)
    with render_worker() as worker:
        project = env.project(worker)
        view = project.revise_meeting(doc_id, minutes, reason=reason, date=day(date)).to_dict()
    lang = env.speaks(project.locale)
    emit(view, as_json, lambda con: show_meeting(con, view, lang))


@meeting.command("list")
@json_option
@click.pass_obj
def list_(env: Env, as_json: bool) -> None:
    """List the meetings recorded, with their minutes' confirmation and action items."""
    project = env.project()
    views = [m.to_dict() for m in project.meetings()]
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from docflow.api.frontend import tr

        if not views:
            con.print(tr(lang, "meeting.none"))
        for v in views:
            show_meeting(con, v, lang)

    emit(views, as_json, human)
