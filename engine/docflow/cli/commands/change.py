"""``docflow change new|edit|issue|list|show|approve|reject|withdraw``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from docflow.api.frontend import AMOUNT_HELP
from docflow.cli import Env
from docflow.cli.changeargs import MODIFIES_HELP, AddFlags
from docflow.cli.options import date_option, day, json_option
from docflow.cli.output import emit
from docflow.cli.suggest import SuggestingGroup
from docflow.errors import InvalidInput

F = TypeVar("F", bound=Callable[..., Any])

_EXAMPLES = """
\b
Examples:
  docflow change new --title "Self-service kiosks" --reason "Queues at peak hours" \\
      --adds "Kiosk registration" --description "Patients register at a kiosk" \\
      --priority must --verification demo --source "Outpatient dept." \\
      --days 10 --cost "¥48,000" --payment "Final payment"
  docflow change new --title "Priorities" --reason "Review" \\
      --modifies "FR-003:priority=must;verification=test" --removes FR-007,FR-008
  docflow change new --file change.yaml     # several requirements: schemas/change.schema.json
\b
Amounts: {amounts} (万 = 10,000).
"""


def _show(view: dict[str, Any], lang: str) -> Any:
    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr, word

        annex = tr(lang, "change.annex", annex=view["annex"]) if view["annex"] else ""
        status = escape(word(lang, "change_status", view["status"]))
        head = f"{annex}{tr(lang, 'colon')}{view['title']}"
        con.print(f"{view['id']} [bold]{status}[/bold]{escape(head)}")
        body = view["body"]
        for req in body.get("adds") or ():
            priority = tr(lang, "change.priority", priority=word(lang, "priority", req["priority"]))
            con.print(f"  + {escape(req['id'])} {escape(req['title'])}{escape(priority)}")
        for edit in body.get("modifies") or ():
            fields = ", ".join(f"{k}={v}" for k, v in edit.items() if k != "id")
            con.print(f"  ~ {escape(edit['id'])} {escape(fields)}")
        for rid in body.get("removes") or ():
            con.print(f"  - {escape(rid)}")
        impact = []
        if body.get("days") is not None:
            impact.append(tr(lang, "change.days", n=body["days"]))
        if body.get("cost") is not None:
            payment = body.get("payment")
            paid = tr(lang, "change.payment", payment=payment) if payment else ""
            impact.append(tr(lang, "change.cost", cost=body["cost"]) + paid)
        sep = tr(lang, "list_sep")
        if impact:
            con.print(escape(tr(lang, "change.impact") + sep.join(impact)))
        for label, d in (("form", view.get("form")), ("annex_doc", view["document"])):
            if d:
                parties = sep.join(word(lang, "party", p) for p in d["awaiting"])
                awaiting = (
                    tr(lang, "change.awaiting", parties=parties)
                    if parties
                    else tr(lang, "change.nobody")
                )
                line = tr(
                    lang,
                    "change.file",
                    label=tr(lang, f"change.{label}"),
                    id=d["id"],
                    version=d["version"],
                    pdf=d["files"]["pdf"],
                    awaiting=awaiting,
                )
                con.print(escape(line))

    return human


def _request_options(fn: F) -> F:
    """The options that state a request's content, shared by ``new`` and ``edit``."""
    options = [
        click.option("--title", help="What changes, in a line."),
        click.option("--reason", help="Why the change is requested."),
        click.option(
            "--adds",
            multiple=True,
            help="Add a requirement with this title (repeatable); describe it with the "
            "options below, given once for all or once per --adds, in order.",
        ),
        click.option(
            "--description",
            multiple=True,
            help="What the added requirement is (required: it goes into the contract annex).",
        ),
        click.option(
            "--type",
            "types",
            multiple=True,
            type=click.Choice(["functional", "non_functional", "interface"]),
            help="Type of the added requirement (default functional).",
        ),
        click.option(
            "--priority",
            multiple=True,
            type=click.Choice(["must", "should", "could"]),
            help="Priority of the added requirement (default should).",
        ),
        click.option(
            "--verification",
            multiple=True,
            type=click.Choice(["test", "demo", "inspection", "analysis"]),
            help="How acceptance checks the added requirement.",
        ),
        click.option(
            "--source",
            multiple=True,
            help="Who asked for it: a person or department (default: the client's "
            "accountable person).",
        ),
        click.option("--modifies", multiple=True, help=MODIFIES_HELP),
        click.option("--removes", multiple=True, help="Requirement ids removed (comma-separated)."),
        click.option("--days", type=int, help="Schedule impact in days (negative saves time)."),
        click.option("--cost", help=f"Cost impact, e.g. {AMOUNT_HELP}."),
        click.option(
            "--payment",
            help="The instalment of contract.payments the cost goes to "
            "(default: contract.change_payment, else the last one).",
        ),
        click.option("--risk", "risks", multiple=True, help="A risk of the change (repeatable)."),
        click.option(
            "--file",
            "file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="change.yaml with full entries (see schemas/change.schema.json).",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@click.group(cls=SuggestingGroup)
def change() -> None:
    """File, price, send and decide change requests."""


@change.command("new", epilog=_EXAMPLES.format(amounts=AMOUNT_HELP))
@_request_options
@json_option
@click.pass_obj
def new(env: Env, /, file: Path | None, as_json: bool, **flags: Any) -> None:
    """Open a change request CR-n."""
    from docflow.api import read_change_file
    from docflow.cli.changeargs import change_from_flags

    if file is not None:
        if any(v for v in flags.values() if v not in (None, ())):
            raise InvalidInput(env.tr("cli.file_or_flags"))
        request: Any = read_change_file(file)
    else:
        request = change_from_flags(
            flags["title"],
            flags["reason"],
            _adds(flags),
            flags["modifies"],
            flags["removes"],
            flags["days"],
            flags["cost"],
            flags["payment"],
            flags["risks"],
        )
    project = env.project()
    view = project.file_change(request).to_dict()
    emit(view, as_json, _show(view, env.speaks(project.locale)))


def _adds(flags: dict[str, Any]) -> AddFlags:
    return AddFlags(
        flags["adds"],
        flags["description"],
        flags["types"],
        flags["priority"],
        flags["verification"],
        flags["source"],
    )


@change.command("edit", epilog=_EXAMPLES.format(amounts=AMOUNT_HELP).replace("new", "edit CR-1"))
@click.argument("cr_id")
@_request_options
@click.option("--drop", multiple=True, help="Take requirement ids out of the request.")
@json_option
@click.pass_obj
def edit(
    env: Env, /, cr_id: str, file: Path | None, drop: tuple[str, ...], as_json: bool, **flags: Any
) -> None:
    """Edit or price CR_ID while it is open (before it is approved or rejected)."""
    from docflow.api import ChangeEdit, read_change_file
    from docflow.cli.changeargs import adds_from_flags, amount, ids, parse_edit

    if file is not None:
        if drop or any(v for v in flags.values() if v not in (None, ())):
            raise InvalidInput(env.tr("cli.edit_file_or_flags"))
        change_edit = ChangeEdit(replace=read_change_file(file))
    else:
        change_edit = ChangeEdit(
            title=flags["title"],
            reason=flags["reason"],
            days=flags["days"],
            cost=amount(flags["cost"]),
            payment=flags["payment"],
            risks=tuple(flags["risks"]) or None,
            adds=adds_from_flags(_adds(flags)),
            modifies=tuple(parse_edit(m) for m in flags["modifies"]),
            removes=tuple(ids(flags["removes"])),
            drop=tuple(ids(drop)),
        )
    project = env.project()
    view = project.edit_change(cr_id, change_edit).to_dict()
    emit(view, as_json, _show(view, env.speaks(project.locale)))


@change.command("issue")
@click.argument("cr_id")
@date_option("of the change request form")
@json_option
@click.pass_obj
def issue(env: Env, cr_id: str, date: dt.datetime | None, as_json: bool) -> None:
    """Issue the change request form of CR_ID for the client's review (again after edits)."""
    from docflow.api import render_worker

    with render_worker() as worker:
        project = env.project(worker)
        view = project.issue_change_form(cr_id, date=day(date)).to_dict()
    emit(view, as_json, _show(view, env.speaks(project.locale)))


@change.command("list")
@json_option
@click.pass_obj
def list_(env: Env, as_json: bool) -> None:
    """List change requests."""
    project = env.project()
    views = [c.to_dict() for c in project.changes()]
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from docflow.api.frontend import tr

        if not views:
            con.print(tr(lang, "change.none"))
        for v in views:
            _show(v, lang)(con)

    emit(views, as_json, human)


@change.command("show")
@click.argument("cr_id")
@json_option
@click.pass_obj
def show(env: Env, cr_id: str, as_json: bool) -> None:
    """Show one change request."""
    project = env.project()
    view = project.change(cr_id).to_dict()
    emit(view, as_json, _show(view, env.speaks(project.locale)))


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
        project = env.project(worker)
        view = project.approve_change(cr_id, reason, date=day(date)).to_dict()
    emit(view, as_json, _show(view, env.speaks(project.locale)))


def _decision(name: str) -> click.Command:
    @click.command(name, help=f"{name.capitalize()} CR_ID (a reason is required).")
    @click.argument("cr_id")
    @click.option("--reason", required=True, help="Why.")
    @json_option
    @click.pass_obj
    def command(env: Env, cr_id: str, reason: str, as_json: bool) -> None:
        if not reason.strip():
            decision = env.tr(f"cli.decision.{name}")
            raise InvalidInput(env.tr("cli.reason_required", decision=decision))
        project = env.project()
        decided = project.reject_change if name == "reject" else project.withdraw_change
        view = decided(cr_id, reason).to_dict()
        emit(view, as_json, _show(view, env.speaks(project.locale)))

    return command


change.add_command(_decision("reject"))
change.add_command(_decision("withdraw"))
