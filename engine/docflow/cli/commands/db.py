"""``docflow db upgrade``."""

from __future__ import annotations

import click

from docflow.cli import Env
from docflow.cli.output import emit


@click.group()
def db() -> None:
    """Manage the store's schema."""


@db.command("upgrade")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def upgrade(env: Env, as_json: bool) -> None:
    """Apply the schema migrations to the store."""
    from docflow import api

    root = None if env.store else env.workspace().root
    done = api.upgrade_store(env.store, root)
    line = env.tr("db.upgraded", store=done.store, revision=done.revision)
    emit(done.to_dict(), as_json, lambda con: con.print(line, markup=False))
