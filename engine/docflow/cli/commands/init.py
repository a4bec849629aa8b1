"""``docflow init``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--workflow",
    default="implementation",
    show_default=True,
    help="Built-in workflow name or a workflow YAML file.",
)
@click.option("--locale", type=click.Choice(["zh-CN", "en"]), default="zh-CN", show_default=True)
@click.option("--example", is_flag=True, help="Write a complete, realistic example project.")
@click.option(
    "--code",
    help="Project code, used in every document number (default: the folder's name in upper "
    "case; the example has its own).",
)
@click.option("--name", help="The project's full name (default: the folder's name).")
@json_option
@click.pass_obj
def init(
    env: Env,
    directory: Path,
    workflow: str,
    locale: str,
    example: bool,
    code: str | None,
    name: str | None,
    as_json: bool,
) -> None:
    """Create a workspace in DIRECTORY and register its project."""
    from docflow import api

    base = env.directory or Path.cwd()
    result = api.init(
        base / directory,
        workflow=workflow,
        locale=locale,
        example=example,
        code=code,
        store=env.store,
        actor=env.actor,
        name=name,
    ).to_dict()

    lang = env.speaks(locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        con.print(tr(lang, "created", path=escape(str(result["workspace"]))))
        con.print(
            tr(
                lang,
                "created_code",
                code=escape(result["project"]),
                name=escape(result["name"] or "-"),
                workflow=escape(result["workflow"]),
                state=escape(result["state"]),
            )
        )
        con.print(tr(lang, "created_numbers"))
        con.print(tr(lang, "created_next"))

    emit(result, as_json, human)
