"""``docflow change new|list|approve|reject|withdraw``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import date_option, day, json_option
from docflow.cli.output import emit
from docflow.errors import InvalidInput


def _show(view: dict[str, Any]) -> Any:
    def human(con: Any) -> None:
        annex = f", annex {view['annex']}" if view["annex"] else ""
        con.print(f"{view['id']} [bold]{view['status']}[/bold]{annex}: {view['title']}")
        if view["document"]:
            d = view["document"]
            con.print(
                f"  {d['id']} v{d['version']}: {d['files']['pdf']} "
                f"(awaiting {', '.join(d['awaiting']) or 'nobody'})"
            )

    return human


@click.group()
def change() -> None:
    """File and decide change requests."""


@change.command("new")
@click.option("--title", help="What changes, in a line.")
@click.option("--reason", help="Why the change is requested.")
@click.option("--adds", multiple=True, help="Add a functional requirement with this title.")
@click.option(
    "--modifies",
    multiple=True,
    help="Edit a requirement: ID:field=value;field=value (e.g. FR-003:priority=must).",
)
@click.option("--removes", multiple=True, help="Requirement ids removed (comma-separated).")
@click.option("--days", type=int, help="Schedule impact in days.")
@click.option("--cost", help="Cost impact (amount).")
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="change.yaml with full entries (see schemas/change.schema.json).",
)
@json_option
@click.pass_obj
def new(
    env: Env,
    title: str | None,
    reason: str | None,
    adds: tuple[str, ...],
    modifies: tuple[str, ...],
    removes: tuple[str, ...],
    days: int | None,
    cost: str | None,
    file: Path | None,
    as_json: bool,
) -> None:
    """Open a change request CR-n."""
    from docflow.api import read_change_file
    from docflow.cli.changeargs import change_from_flags

    flags = bool(adds or modifies or removes or days is not None or cost is not None)
    if file is not None:
        if flags or title or reason:
            raise InvalidInput("give the change either with --file or with flags, not both")
        request: Any = read_change_file(file)
    else:
        request = change_from_flags(title, reason, adds, modifies, removes, days, cost)
    view = env.project().file_change(request).to_dict()
    emit(view, as_json, _show(view))


@change.command("list")
@json_option
@click.pass_obj
def list_(env: Env, as_json: bool) -> None:
    """List change requests."""
    views = [c.to_dict() for c in env.project().changes()]

    def human(con: Any) -> None:
        if not views:
            con.print("No change requests.")
        for v in views:
            _show(v)(con)

    emit(views, as_json, human)


@change.command("approve")
@click.argument("cr_id")
@click.option("--reason", help="Why it is approved.")
@date_option("of the approval and of the change annex it issues")
@json_option
@click.pass_obj
def approve(
    env: Env, cr_id: str, reason: str | None, date: dt.datetime | None, as_json: bool
) -> None:
    """Approve CR_ID: issue its change annex for both signatures."""
    from docflow.api import render_worker

    with render_worker() as worker:
        view = env.project(worker).approve_change(cr_id, reason, date=day(date)).to_dict()
    emit(view, as_json, _show(view))


def _decision(name: str) -> click.Command:
    @click.command(name, help=f"{name.capitalize()} CR_ID (a reason is required).")
    @click.argument("cr_id")
    @click.option("--reason", required=True, help="Why.")
    @json_option
    @click.pass_obj
    def command(env: Env, cr_id: str, reason: str, as_json: bool) -> None:
        if not reason.strip():
            raise InvalidInput(f"--reason is required to {name} a change request")
        project = env.project()
        decided = project.reject_change if name == "reject" else project.withdraw_change
        view = decided(cr_id, reason).to_dict()
        emit(view, as_json, _show(view))

    return command


change.add_command(_decision("reject"))
change.add_command(_decision("withdraw"))
