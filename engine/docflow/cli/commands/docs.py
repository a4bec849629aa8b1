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
from docflow.cli.output import emit, progress_bar, style


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
        raise click.UsageError(env.tr("cli.ids_or_all"))
    if locale is not None:
        _translate(env, doc_ids, all_docs or jobs is not None or date is not None, locale, as_json)
        return
    project = env.project()
    started = time.perf_counter()
    with progress_bar(env.tr("bar.rendering")) as bar:
        report = project.render(
            list(doc_ids) or None,
            jobs=jobs or os.cpu_count() or 1,
            date=day(date),
            progress=bar.advance if bar else None,
        )
    seconds = time.perf_counter() - started
    data = report.to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        colon = tr(lang, "colon")
        for r in data["rerendered"]:
            con.print(escape(tr(lang, "render.rerendered", id=r["id"], version=r["version"])))
        for f in data["restored"]:
            con.print(escape(tr(lang, "render.restored", path=f)))
        # Why a document was not re-rendered is the part a PM acts on: say it in full.
        failed, held = style(tr(lang, "render.failed"), "red"), tr(lang, "render.held")
        for f in data["failed"]:
            con.print(f"  {failed} {escape(f['id'] + colon + f['message'])}")
        for h in data["held"]:
            con.print(f"  {style(held, 'yellow')} {escape(h['id'] + colon + h['message'])}")
        summary = tr(
            lang,
            "render.summary",
            rerendered=len(data["rerendered"]),
            restored=len(data["restored"]),
            unchanged=len(data["unchanged"]),
            failed=len(data["failed"]),
            held=tr(lang, "render.held_count", n=len(data["held"])) if data["held"] else "",
            seconds=f"{seconds:.1f}",
        )
        con.print(escape(summary))

    emit(data, as_json, human)
    if data["failed"]:
        sys.exit(report.exit_code)


def _translate(env: Env, doc_ids: tuple[str, ...], other: bool, locale: str, as_json: bool) -> None:
    """``render DOC_ID --locale L``: a convenience translation."""
    if len(doc_ids) != 1 or other:
        raise click.UsageError(env.tr("cli.one_translation"))
    project = env.project()
    data = project.translate(doc_ids[0], locale).to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        line = tr(
            lang,
            "render.translation",
            id=data["id"],
            version=data["version"],
            locale=data["locale"],
            source=data["source_locale"],
        )
        con.print(escape(line))
        for path in data["files"].values():
            con.print(f"  {escape(path)}")

    emit(data, as_json, human)
