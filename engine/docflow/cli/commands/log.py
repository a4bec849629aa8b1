"""``docflow log`` and ``docflow verify``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit, style
from docflow.errors import IntegrityFailure


def local_time(at: str) -> str:
    """An event's time (ISO 8601 with its offset) in the local time zone (``TZ``), to the
    second; a time without an offset is shown as it is."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(at)
    except ValueError:
        return at[:19].replace("T", " ")
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@click.command()
@click.option("--doc", "document", metavar="DOC_ID", help="Only events about this document.")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Only events on or after this date (YYYY-MM-DD, local time).",
)
@click.option(
    "--type",
    "type_",
    metavar="TYPE",
    help="Only events whose type starts with TYPE (change matches change.*).",
)
@click.option("--limit", type=click.IntRange(0), help="Only the last N events.")
@json_option
@click.pass_obj
def log(
    env: Env,
    document: str | None,
    since: Any,
    type_: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """Show the audit trail, oldest first: who did what, to which document, how."""
    from docflow.api.frontend import memo

    whole = document is None and since is None and type_ is None and limit is None
    workspace = env.workspace()
    events = memo.recall("log", workspace, env.store) if whole else None  # the whole trail only
    if events is None:
        from docflow.api import LogQuery

        query = LogQuery(document, since.date() if since else None, type_, limit)
        project = env.project()
        events = [e.to_dict() for e in project.log(query)]
        if whole:
            memo.remember(
                "log", workspace, env.store, memo.Facts(project.code, project.workflow), events
            )

    def human(con: Any) -> None:
        from rich.markup import escape

        if not events:
            from docflow.api.frontend import tr

            con.print(tr(env.speaks(env.lang or env.project().locale), "no_events"))
        for e in events:
            con.print(
                f"{e['seq']:>4} {local_time(e['at'])}  {escape(e['actor']):<12} "
                f"[bold]{escape(e['type'])}[/bold] {escape(e['summary'])}"
            )

    emit(events, as_json, human)


@click.command()
@json_option
@click.option(
    "--anchor",
    "anchor_texts",
    multiple=True,
    metavar="SEQ:HASH",
    help="A chain head recorded elsewhere that the chain must still hold (repeatable).",
)
@click.option(
    "--anchors",
    "anchor_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Anchors kept in FILE: a legal bundle, its manifest.json, or SEQ:HASH lines.",
)
@click.pass_obj
def verify(
    env: Env, as_json: bool, anchor_texts: tuple[str, ...], anchor_files: tuple[Path, ...]
) -> None:
    """Check the event chain, the rows, stored documents and files on disk (exit 6 on damage)."""
    project = env.project()
    result = project.verify(anchor_texts, anchor_files)
    report = result.to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        if report["ok"]:
            counts = tr(
                lang,
                "verify.counts",
                events=report["events"],
                documents=report["documents"],
                files=report["files_checked"],
            )
            con.print(style(tr(lang, "verify.ok"), "green") + escape(counts))

    if not report["ok"]:
        from docflow.api.frontend import tr

        if as_json:
            emit(report, True)
        problems = list(result.problems)
        # JSON carries the sentence as it always has; people read it in their language.
        told = tr(
            "en" if as_json else lang, "verify.failed", n=len(problems), project=report["project"]
        )
        exc = IntegrityFailure(told, problems)
        lines = [f"docflow: {exc.message}"] + [f"  - {p.kind}: {p}" for p in problems]
        sys.stderr.write("\n".join(lines) + "\n")
        sys.exit(exc.exit_code)
    emit(report, as_json, human)
