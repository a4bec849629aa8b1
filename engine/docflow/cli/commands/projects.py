"""``docflow projects`` (the store's register) and ``docflow projects render``."""

from __future__ import annotations

import sys
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit, progress_bar, style
from docflow.errors import UsageError


def _store_hint(env: Env, exc: UsageError) -> UsageError:
    return UsageError(env.tr("cli.no_store", detail=exc.message))


@click.group(invoke_without_command=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@json_option
@click.pass_context
def projects(ctx: click.Context, limit: int, page: int, as_json: bool) -> None:
    """Your portfolio: every project in the store with its state, what blocks its next step,
    the signatures it awaits and for how long, documents out of date, its change ratio."""
    if ctx.invoked_subcommand is not None:
        return
    from docflow import api

    env: Env = ctx.obj
    try:
        page_ = api.projects(env.store, env.directory, limit=limit, offset=(page - 1) * limit)
    except UsageError as exc:
        raise _store_hint(env, exc) from exc
    result = page_.to_dict()
    lang = env.here()

    def human(con: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        from docflow.api.frontend import tr, word

        title = tr(lang, "projects.title", n=result["total"])
        table = Table(show_edge=False, title=title, title_justify="left")
        for col in ("code", "name", "state", "next", "awaiting", "stale", "changes"):
            table.add_column(tr(lang, f"projects.col.{col}"))
        colors = {"ok": "green", "warn": "yellow", "alarm": "red"}
        for p in result["projects"]:
            ratio = ""
            if p["change_ratio"] is not None:
                color = colors.get(p.get("ratio_level") or "ok", "green")
                ratio = f"[{color}]{p['change_ratio']:.0%}[/{color}]"
            step = p["next"]
            if step is None:
                nxt = f"[dim]{tr(lang, 'projects.elsewhere')}[/dim]"
            elif step["error"]:
                nxt = f"[red]{escape(step['error'][:70])}[/red]"
            elif step["trigger"] is None:
                nxt = tr(lang, "projects.done")
            elif step["ready"]:
                nxt = style(tr(lang, "projects.ready", trigger=step["trigger"]), "green")
            else:
                blockers = tr(
                    lang, "projects.blockers", trigger=step["trigger"], n=step["blockers"]
                )
                nxt = f"{style(blockers, 'red')}\n{escape((step['first'] or '')[:80])}"
            waits = p["awaiting"]
            awaiting = ""
            if waits:
                oldest = max(waits, key=lambda w: w["days"])
                awaiting = escape(
                    tr(
                        lang,
                        "projects.awaits",
                        n=len(waits),
                        doc=oldest["document"],
                        party=word(lang, "party", oldest["party"]),
                        days=oldest["days"],
                    )
                )
            stale = "" if p["out_of_date"] is None else str(p["out_of_date"])
            table.add_row(
                escape(p["code"]),
                escape(p["name"]),
                escape(p["state_title"] or p["state"]),
                nxt,
                awaiting,
                stale,
                ratio,
            )
        con.print(table)
        if result["total"] > result["offset"] + len(result["projects"]):
            con.print(escape(tr(lang, "projects.page", page=page, next=page + 1)))

    emit(result, as_json, human)


@projects.command("render")
@click.option(
    "--filter", "text", metavar="TEXT", help="Only projects whose code, name or state contain TEXT."
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Parallel rendering processes (default: the number of cores).",
)
@click.option(
    "--queue",
    "queue",
    is_flag=True,
    help="Queue one job per project for `docflow worker` processes (PostgreSQL store).",
)
@json_option
@click.pass_obj
def render_all(env: Env, text: str | None, jobs: int | None, queue: bool, as_json: bool) -> None:
    """Re-render every unsigned document of every project in the store (signed ones never)."""
    from docflow import api

    if queue:
        if jobs is not None:
            raise UsageError(env.tr("cli.jobs_queue"))
        _queue(env, text, as_json)
        return

    with progress_bar(env.tr("bar.projects")) as bar:
        try:
            report = api.render_projects(
                env.store,
                env.directory,
                text=text,
                jobs=jobs,
                actor=env.actor,
                progress=(lambda o: bar.advance(o.code)) if bar else None,
                on_start=bar.start if bar else None,
            )
        except UsageError as exc:
            raise _store_hint(env, exc) from exc
    result = report.to_dict()
    summary = result["summary"]
    lang = env.here()

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        failed = style(tr(lang, "projects.failed"), "red")
        for p in result["projects"]:
            code = escape(p["code"])
            if p["error"]:
                con.print(f"  {failed} {code}: {escape(p['error'])}")
                continue
            for d in p["rerendered"]:
                line = tr(
                    lang, "projects.rerendered", code=p["code"], id=d["id"], version=d["version"]
                )
                con.print(escape(line))
            for f in p["failed"]:
                con.print(f"  {failed} {code} {escape(f['id'])}: {escape(f['message'])}")
        con.print(tr(lang, "projects.summary", **summary))

    emit(result, as_json, human)
    if summary["failed"] or summary["errors"]:
        sys.exit(summary["exit_code"])


def _queue(env: Env, text: str | None, as_json: bool) -> None:
    """Queue one re-rendering job per matching project."""
    from docflow.api.frontend import enqueue_renders

    result = enqueue_renders(env.store, env.directory, text=text, actor=env.actor).to_dict()
    lang = env.here()

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        line = tr(lang, "projects.queued", n=len(result["queued"]), store=result["store"])
        if result["already_queued"]:
            codes = tr(lang, "list_sep").join(result["already_queued"])
            line += tr(lang, "projects.already", codes=codes)
        con.print(escape(line))
        con.print(escape(tr(lang, "projects.workers")))

    emit(result, as_json, human)
