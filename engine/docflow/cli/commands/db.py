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
    from docflow.runtime.workspace import Workspace
    from docflow.store import open_store

    root = None if env.store else Workspace.find(env.directory).root
    store = open_store(env.store, root)
    revision = store.upgrade()
    result = {"store": store.url, "revision": revision}
    emit(result, as_json, lambda con: con.print(f"{store.url}: schema at revision {revision}"))
