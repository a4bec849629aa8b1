"""``docflow docs`` and ``docflow render``."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit, progress_bar


@click.command()
@click.option("--all", "all_versions", is_flag=True, help="Every version, superseded too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def docs(env: Env, all_versions: bool, as_json: bool) -> None:
    """List the project's documents."""
    from docflow.cli.commands.status import show_documents
    from docflow.runtime.views import document_view

    session = env.session()
    rows = session.all_documents if all_versions else session.documents
    views = [document_view(session, d) for d in rows]
    emit(views, as_json, lambda con: show_documents(con, views))


@click.command()
@click.argument("doc_ids", nargs=-1)
@click.option("--all", "all_docs", is_flag=True, help="Every document (the default).")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Parallel rendering processes (default: the number of cores).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def render(
    env: Env, doc_ids: tuple[str, ...], all_docs: bool, jobs: int | None, as_json: bool
) -> None:
    """Re-render unsigned documents from current data; restore missing files."""
    from docflow.runtime.rendering import render_documents

    session = env.session()
    started = time.perf_counter()
    with progress_bar("rendering") as bar:
        report = render_documents(
            session,
            list(doc_ids) or None,
            jobs=jobs or os.cpu_count() or 1,
            progress=bar.advance if bar else None,
        )
    seconds = time.perf_counter() - started
    data = report.to_dict()

    def human(con: Any) -> None:
        for r in data["rerendered"]:
            con.print(f"  re-rendered {r['id']} v{r['version']}")
        for f in data["restored"]:
            con.print(f"  restored {f}")
        for f in data["failed"]:
            con.print(f"  [red]failed[/red] {f['id']}: {f['message']}")
        con.print(
            f"{len(data['rerendered'])} re-rendered, {len(data['restored'])} file(s) "
            f"restored, {len(data['unchanged'])} unchanged, {len(data['failed'])} failed "
            f"in {seconds:.1f} s"
        )

    emit(data, as_json, human)
    if data["failed"]:
        sys.exit(report.exit_code)
