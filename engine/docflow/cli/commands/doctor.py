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
    report = api.doctor(env.store, root).to_dict()

    def human(con: Any) -> None:
        for c in report["checks"]:
            mark = (
                style("ok", "green")
                if c["ok"]
                else (style("MISSING", "red") if c["required"] else style("optional", "yellow"))
            )
            con.print(f"{mark:>8}  {c['check']:<16} {c['detail']}")
            if c["fix"]:
                con.print(f"          fix: {c['fix']}")

    emit(report, as_json, human)
    if not report["ok"]:
        sys.exit(1)
