"""``docflow projects`` (the store's register) and ``docflow projects render``."""

from __future__ import annotations

import sys
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit, progress_bar
from docflow.errors import UsageError


def _store_hint(exc: UsageError) -> UsageError:
    return UsageError(
        f"{exc.message}: name a store with --store URL or DOCFLOW_DATABASE_URL, "
        "or run inside a workspace"
    )


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
        raise _store_hint(exc) from exc
    result = page_.to_dict()

    def human(con: Any) -> None:
        from rich.markup import escape
        from rich.table import Table

        table = Table(show_edge=False, title=f"{result['total']} project(s)", title_justify="left")
        for col in ("code", "name", "state", "next step", "awaiting", "out of date", "changes"):
            table.add_column(col)
        colors = {"ok": "green", "warn": "yellow", "alarm": "red"}
        for p in result["projects"]:
            ratio = ""
            if p["change_ratio"] is not None:
                color = colors.get(p.get("ratio_level") or "ok", "green")
                ratio = f"[{color}]{p['change_ratio']:.0%}[/{color}]"
            step = p["next"]
            if step is None:
                nxt = "[dim]workspace not here[/dim]"
            elif step["error"]:
                nxt = f"[red]{escape(step['error'][:70])}[/red]"
            elif step["trigger"] is None:
                nxt = "done"
            elif step["ready"]:
                nxt = f"[green]{escape(step['trigger'])} ready[/green]"
            else:
                nxt = (
                    f"{escape(step['trigger'])}: [red]{step['blockers']} blocker(s)[/red]\n"
                    f"{escape((step['first'] or '')[:80])}"
                )
            waits = p["awaiting"]
            awaiting = ""
            if waits:
                oldest = max(waits, key=lambda w: w["days"])
                awaiting = (
                    f"{len(waits)}: {escape(oldest['document'])} {oldest['party']} "
                    f"{oldest['days']} d"
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
            con.print(f"page {page}; next: --page {page + 1}")

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
            raise UsageError("--jobs and --queue do not go together: workers render queued jobs")
        _queue(env, text, as_json)
        return

    with progress_bar("projects") as bar:
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
            raise _store_hint(exc) from exc
    result = report.to_dict()
    summary = result["summary"]

    def human(con: Any) -> None:
        from rich.markup import escape

        for p in result["projects"]:
            code = escape(p["code"])
            if p["error"]:
                con.print(f"  [red]failed[/red] {code}: {escape(p['error'])}")
                continue
            for d in p["rerendered"]:
                con.print(f"  {code}: re-rendered {escape(d['id'])} v{d['version']}")
            for f in p["failed"]:
                con.print(f"  [red]failed[/red] {code} {escape(f['id'])}: {escape(f['message'])}")
        con.print(
            f"{summary['projects']} project(s): {summary['rerendered']} re-rendered, "
            f"{summary['restored']} file(s) restored, {summary['unchanged']} unchanged, "
            f"{summary['failed']} failed, {summary['errors']} project(s) not rendered"
        )

    emit(result, as_json, human)
    if summary["failed"] or summary["errors"]:
        sys.exit(summary["exit_code"])


def _queue(env: Env, text: str | None, as_json: bool) -> None:
    """Queue one re-rendering job per matching project."""
    from docflow.api.frontend import enqueue_renders

    result = enqueue_renders(env.store, env.directory, text=text, actor=env.actor).to_dict()

    def human(con: Any) -> None:
        from rich.markup import escape

        con.print(
            f"{len(result['queued'])} project(s) queued in {escape(result['store'])}"
            + (
                f"; already waiting: {escape(', '.join(result['already_queued']))}"
                if result["already_queued"]
                else ""
            )
        )
        con.print("workers render them (`docflow worker`); `docflow jobs` shows progress")

    emit(result, as_json, human)
