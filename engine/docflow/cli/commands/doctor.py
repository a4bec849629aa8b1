"""``docflow doctor``."""

from __future__ import annotations

import sys
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit, style
from docflow.errors import UsageError


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def doctor(env: Env, as_json: bool) -> None:
    """Check fonts, Pango, HarfBuzz, store and templates; say how to fix what is missing."""
    from docflow import api

    try:
        root = api.Workspace.find(env.directory).root
    except UsageError:
        root = None
    lang = env.here()
    # JSON carries the English sentences it always has.
    report = api.doctor(env.store, root, "en" if as_json else lang).to_dict()

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        for c in report["checks"]:
            if c["ok"]:
                mark = style(tr(lang, "doctor.ok"), "green")
            elif c["required"]:
                mark = style(tr(lang, "doctor.missing"), "red")
            else:
                mark = style(tr(lang, "doctor.optional"), "yellow")
            con.print(f"{mark:>8}  {escape(c['check']):<16} {escape(c['detail'])}")
            if c["fix"]:
                con.print(escape(tr(lang, "doctor.fix", fix=c["fix"])))

    emit(report, as_json, human)
    if not report["ok"]:
        sys.exit(1)
