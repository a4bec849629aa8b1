"""``docflow templates list|copy``."""

from __future__ import annotations

from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit


@click.group()
def templates() -> None:
    """List templates and copy one into the workspace to customise it."""


@templates.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(env: Env, as_json: bool) -> None:
    """Every template and where it is found (workspace, DOCFLOW_TEMPLATES, built-in)."""
    from docflow import api

    rows = [t.to_dict() for t in api.list_templates(env.workspace().root)]
    lang = env.here()

    def human(con: Any) -> None:
        from docflow.api.frontend import word

        for r in rows:
            source = word(lang, "source", r["source"])
            con.print(f"{r['name']:<40} {source:<10} {r['path']}", markup=False)

    emit(rows, as_json, human)


@templates.command("copy")
@click.argument("kind")
@click.option("--locale", default=None, help="Only this locale (default: every locale).")
@click.option("--force", is_flag=True, help="Overwrite a template already in the workspace.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def copy(env: Env, kind: str, locale: str | None, force: bool, as_json: bool) -> None:
    """Copy the built-in KIND (e.g. requirement_memo, style.css, frame.docx) to templates/."""
    from docflow import api
    from docflow.errors import Conflict

    try:
        written = api.copy_template(env.workspace().root, kind, locale, force=force)
    except Conflict as exc:
        raise Conflict(env.tr("cli.overwrite", detail=exc.message)) from exc

    def human(con: Any) -> None:
        for path in written:
            con.print(env.tr("templates.copied", path=path), markup=False)

    emit(written, as_json, human)
