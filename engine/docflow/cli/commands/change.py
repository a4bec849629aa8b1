"""``docflow change new|list|approve|reject|withdraw``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit
from docflow.errors import InvalidInput

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


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


def _ids(values: tuple[str, ...]) -> list[str]:
    return [i.strip() for v in values for i in v.split(",") if i.strip()]


@change.command("new")
@click.option("--title", help="What changes, in a line.")
@click.option("--reason", help="Why the change is requested.")
@click.option("--adds", multiple=True, help="Add a functional requirement with this title.")
@click.option("--modifies", multiple=True, help="Requirement ids modified (comma-separated).")
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
    from docflow.runtime.changes import build_change, file_change

    session = env.session()
    try:
        amount = Decimal(cost) if cost is not None else None
    except InvalidOperation as exc:
        raise InvalidInput(f"--cost {cost!r} is not an amount") from exc
    spec = build_change(
        session,
        file=file,
        title=title,
        reason=reason,
        adds=list(adds),
        modifies=_ids(modifies),
        removes=_ids(removes),
        days=days,
        cost=amount,
    )
    view = file_change(session, spec)
    emit(view, as_json, _show(view))


@change.command("list")
@json_option
@click.pass_obj
def list_(env: Env, as_json: bool) -> None:
    """List change requests."""
    from docflow.runtime.changes import list_changes

    views = list_changes(env.session())

    def human(con: Any) -> None:
        if not views:
            con.print("No change requests.")
        for v in views:
            _show(v)(con)

    emit(views, as_json, human)


@change.command("approve")
@click.argument("cr_id")
@click.option("--reason", help="Why it is approved.")
@json_option
@click.pass_obj
def approve(env: Env, cr_id: str, reason: str | None, as_json: bool) -> None:
    """Approve CR_ID: issue its change annex for both signatures."""
    from docflow.runtime.changes import approve as run

    view = run(env.session(), cr_id, reason)
    emit(view, as_json, _show(view))


def _decision(name: str) -> click.Command:
    @click.command(name, help=f"{name.capitalize()} CR_ID (a reason is required).")
    @click.argument("cr_id")
    @click.option("--reason", required=True, help="Why.")
    @json_option
    @click.pass_obj
    def command(env: Env, cr_id: str, reason: str, as_json: bool) -> None:
        from docflow.runtime.changes import decide

        view = decide(env.session(), cr_id, name, reason)
        emit(view, as_json, _show(view))

    return command


change.add_command(_decision("reject"))
change.add_command(_decision("withdraw"))
