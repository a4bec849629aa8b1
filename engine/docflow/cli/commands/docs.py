"""``docflow docs`` and ``docflow render``."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import date_option, day, json_option
from docflow.cli.output import emit, progress_bar


@click.command()
@click.option("--all", "all_versions", is_flag=True, help="Every version, superseded too.")
@json_option
@click.pass_obj
def docs(env: Env, all_versions: bool, as_json: bool) -> None:
    """List the project's documents."""
    from docflow.cli.commands.status import show_documents

    project = env.project()
    views = [d.to_dict() for d in project.documents(all_versions=all_versions)]
    lang = env.speaks(project.locale)
    emit(views, as_json, lambda con: show_documents(con, views, lang=lang))


@click.command()
@click.argument("doc_ids", nargs=-1)
@click.option("--all", "all_docs", is_flag=True, help="Every document (the default).")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Parallel rendering processes (default: the number of cores).",
)
@date_option("new versions carry")
@click.option(
    "--locale",
    help="Make a convenience translation of DOC_ID into this locale instead "
    "(documents/translations/; never binding, never signable).",
)
@json_option
@click.pass_obj
def render(
    env: Env,
    doc_ids: tuple[str, ...],
    all_docs: bool,
    jobs: int | None,
    date: dt.datetime | None,
    locale: str | None,
    as_json: bool,
) -> None:
    """Re-render unsigned documents from current data; restore missing files.

    Every document is considered (--all, the default) unless DOC_IDS names some; a void
    document named is issued again as its next version. With --locale, DOC_ID is translated.
    """
    if all_docs and doc_ids:
        raise click.UsageError("give DOC_IDS or --all, not both")
    if locale is not None:
        _translate(env, doc_ids, all_docs or jobs is not None or date is not None, locale, as_json)
        return
    project = env.project()
    started = time.perf_counter()
    with progress_bar("rendering") as bar:
        report = project.render(
            list(doc_ids) or None,
            jobs=jobs or os.cpu_count() or 1,
            date=day(date),
            progress=bar.advance if bar else None,
        )
    seconds = time.perf_counter() - started
    data = report.to_dict()

    def human(con: Any) -> None:
        from rich.markup import escape

        for r in data["rerendered"]:
            con.print(f"  re-rendered {r['id']} v{r['version']}")
        for f in data["restored"]:
            con.print(f"  restored {escape(f)}")
        # Why a document was not re-rendered is the part a PM acts on: say it in full.
        for f in data["failed"]:
            con.print(f"  [red]failed[/red] {f['id']}: {escape(f['message'])}")
        for h in data["held"]:
            con.print(f"  [yellow]held[/yellow] {h['id']}: {escape(h['message'])}")
        held = f", {len(data['held'])} held" if data["held"] else ""
        con.print(
            f"{len(data['rerendered'])} re-rendered, {len(data['restored'])} file(s) "
            f"restored, {len(data['unchanged'])} unchanged, {len(data['failed'])} failed"
            f"{held} in {seconds:.1f} s"
        )

    emit(data, as_json, human)
    if data["failed"]:
        sys.exit(report.exit_code)


def _translate(env: Env, doc_ids: tuple[str, ...], other: bool, locale: str, as_json: bool) -> None:
    """``render DOC_ID --locale L``: a convenience translation."""
    if len(doc_ids) != 1 or other:
        raise click.UsageError("--locale translates one document: render DOC_ID --locale L")
    data = env.project().translate(doc_ids[0], locale).to_dict()

    def human(con: Any) -> None:
        con.print(
            f"{data['id']} v{data['version']}: convenience translation ({data['locale']}, "
            f"not binding; the {data['source_locale']} version is)"
        )
        for path in data["files"].values():
            con.print(f"  {path}")

    emit(data, as_json, human)
