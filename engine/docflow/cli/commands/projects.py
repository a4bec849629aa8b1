"""``docflow projects``."""

from __future__ import annotations

from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit


@click.command()
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def projects(env: Env, limit: int, page: int, as_json: bool) -> None:
    """Every project in the store: phase, state, change ratio, signatures awaited."""
    from docflow.runtime.register import list_register

    result = list_register(env.store, env.directory, limit=limit, offset=(page - 1) * limit)

    def human(con: Any) -> None:
        from rich.table import Table

        table = Table(show_edge=False, title=f"{result['total']} project(s)", title_justify="left")
        for col in ("code", "name", "phase", "state", "change ratio", "awaiting"):
            table.add_column(col)
        for p in result["projects"]:
            ratio = "" if p["change_ratio"] is None else f"{p['change_ratio']:.1%}"
            table.add_row(
                p["code"],
                p["name"],
                p["phase"] or "",
                p["state"],
                ratio,
                str(p["signatures_awaited"]),
            )
        con.print(table)

    emit(result, as_json, human)
