"""``docflow meeting new|edit|list``: meetings with the client and their minutes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import date_option, day, json_option
from docflow.cli.output import emit, style


def show_meeting(con: Any, view: dict[str, Any]) -> None:
    """Print one meeting: its minutes, their confirmation, its action items."""
    from rich.markup import escape

    conf = view["confirmation"]
    state = conf["state"] if conf else view["status"]
    detail = ""
    if conf and conf["state"] == "awaiting":
        detail = f", objections until {conf['deadline']}"
    elif conf and conf["state"] == "deemed":
        detail = f" on {conf['deemed_on']}"
    elif conf and conf["state"] == "objected":
        detail = f" on {conf['objected_on']}: {conf['objection']}"
    color = {"confirmed": "green", "deemed": "green", "objected": "red"}.get(state, "yellow")
    con.print(
        f"[bold]{escape(view['id'])}[/bold] v{view['version']} {escape(view['date'])} "
        f"{escape(view['title'])} ({escape(view['phase'])}): {style(state + detail, color)}"
    )
    files = view["document"]["files"]
    con.print(f"  {escape(files['pdf'] or '')}")
    for item in view["action_items"]:
        con.print(
            f"  {escape(item['id'])} {escape(item['party'])}/{escape(item['owner'])} "
            f"due {item['due']}: {escape(item['task'])} ({item['status']})"
        )
    if view["closes"]:
        con.print(f"  closes {escape(', '.join(view['closes']))}")


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
        view = env.project(worker).record_meeting(minutes, date=day(date)).to_dict()
    emit(view, as_json, lambda con: show_meeting(con, view))


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
    emit(view, as_json, lambda con: show_meeting(con, view))


@meeting.command("list")
@json_option
@click.pass_obj
def list_(env: Env, as_json: bool) -> None:
    """List the meetings recorded, with their minutes' confirmation and action items."""
    views = [m.to_dict() for m in env.project().meetings()]

    def human(con: Any) -> None:
        if not views:
            con.print("No meetings recorded.")
        for v in views:
            show_meeting(con, v)

    emit(views, as_json, human)
