"""``docflow share``, ``docflow links`` and ``docflow user add``: links and accounts."""

from __future__ import annotations

import sys
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit
from docflow.errors import UsageError


@click.command()
@click.argument("doc_id", required=False)
@click.option("--party", type=click.Choice(["client", "vendor"]), help="Who signs through it.")
@click.option(
    "--expires-days", type=int, default=14, show_default=True, help="Days the link works."
)
@click.option("--email", metavar="ADDR", help="Send the link there (SMTP from DOCFLOW_SMTP_URL).")
@click.option(
    "--base-url",
    envvar="DOCFLOW_BASE_URL",
    metavar="URL",
    help="The portal's public address (default DOCFLOW_BASE_URL, else http://127.0.0.1:8000).",
)
@click.option("--revoke", "revoke", metavar="LINK_ID", help="Revoke this link instead.")
@json_option
@click.pass_obj
def share(
    env: Env,
    doc_id: str | None,
    party: str | None,
    expires_days: int,
    email: str | None,
    base_url: str | None,
    revoke: str | None,
    as_json: bool,
) -> None:
    """Make a signing link for PARTY on DOC_ID (its URL is shown only now), or --revoke one."""
    if revoke is not None:
        if doc_id or party or email:
            raise UsageError(env.tr("cli.revoke_alone"))
        project = env.project()
        view = project.revoke_link(revoke).to_dict()
    else:
        if not doc_id or not party:
            raise UsageError(env.tr("cli.share_what"))
        project = env.project()
        view = project.share(
            doc_id, party, expires_days=expires_days, email=email, base_url=base_url
        ).to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from docflow.api.frontend import tr, word

        who = word(lang, "party", view["party"])
        if revoke is not None:
            line = tr(lang, "share.revoked", link=view["link_id"], doc=view["document"], party=who)
            con.print(line, markup=False)
            return
        line = tr(
            lang,
            "share.made",
            doc=view["document"],
            version=view["version"],
            party=who,
            expires=view["expires"][:16].replace("T", " "),
            link=view["link_id"],
        )
        con.print(line, markup=False)
        click.echo(view["url"])
        if view["email"]:
            sent = tr(lang, "share.sent", email=view["email"]) if view["sent"] else None
            con.print(sent or tr(lang, "share.unsent"), markup=False)
        con.print(tr(lang, "share.once"), style="dim", markup=False)

    emit(view, as_json, human)


@click.command()
@json_option
@click.pass_obj
def links(env: Env, as_json: bool) -> None:
    """List the project's signing links and their state (open, used, expired, revoked)."""
    project = env.project()
    rows = [link.to_dict() for link in project.links()]
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        from docflow.api.frontend import tr, word

        if not rows:
            con.print(tr(lang, "links.none"))
            return
        table = Table(show_edge=False)
        for col in ("link", "document", "party", "state", "expires", "opened", "email"):
            table.add_column(tr(lang, f"links.col.{col}"))
        for r in rows:
            state = word(lang, "link", r["state"]) + (f" ({r['detail']})" if r["detail"] else "")
            table.add_row(
                r["link_id"],
                f"{r['document']} v{r['version']}",
                word(lang, "party", r["party"]),
                escape(state),
                r["expires"][:16],
                (r["viewed_at"] or "")[:16],
                r["email"] or "",
            )
        con.print(table)

    emit(rows, as_json, human)


@click.group()
def user() -> None:
    """Accounts of the PM dashboard."""


@user.command("add")
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
@json_option
@click.pass_obj
def user_add(env: Env, name: str, password_stdin: bool, as_json: bool) -> None:
    """Create the dashboard account NAME; the password is asked twice (stored as argon2)."""
    from docflow.api import Portal

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(env.tr("user.password"), hide_input=True, confirmation_prompt=True)
    portal = Portal.open(_store_url(env))
    try:
        portal.add_user(name, password, env.actor or _os_user())
    finally:
        portal.close()
    line = env.tr("user.created", name=name)
    emit({"user": name, "created": True}, as_json, lambda con: con.print(line, markup=False))


def _store_url(env: Env) -> str:
    """The store named by --store / DOCFLOW_DATABASE_URL, else the workspace's own."""
    if env.store:
        return env.store
    from docflow.api.frontend import default_url

    return default_url(env.workspace().root)


def _os_user() -> str:
    from docflow.api.frontend import default_actor

    return default_actor()
