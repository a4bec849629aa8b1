"""``docflow workflow list|show|validate``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit


@click.group()
def workflow() -> None:
    """Inspect and check workflow definitions."""


@workflow.command("list")
@json_option
def list_(as_json: bool) -> None:
    """List the built-in workflows."""
    from docflow import api

    names = api.list_workflows()

    def human(con: Any) -> None:
        for name in names:
            con.print(name)

    emit(names, as_json, human)


def _current(env: Env, name: str) -> tuple[str | None, str | None]:
    """The state and locale of the workspace's project when it runs workflow ``name``."""
    from docflow.errors import DocflowError

    try:
        project = env.project()
        if project.workflow.name != name:
            return None, None
        return project.state, project.locale
    except DocflowError:
        return None, None


@workflow.command("show")
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "mermaid", "svg"]),
    default="text",
    show_default=True,
)
@click.option(
    "--locale", default=None, help="Titles in this locale (default: the project's, if any)."
)
@click.pass_obj
def show(env: Env, name: str, fmt: str, locale: str | None) -> None:
    """Show a workflow as text, Mermaid or SVG (current state marked in a workspace)."""
    from docflow import api

    spec = api.load_workflow(name, Path.cwd())
    current, project_locale = _current(env, spec.name)
    drawing = api.draw_workflow(spec, fmt, locale or project_locale, current)
    if isinstance(drawing, bytes):
        sys.stdout.buffer.write(drawing)
    else:
        click.echo(drawing)


@workflow.command("validate")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def validate(path: Path, as_json: bool) -> None:
    """Check a workflow file; every problem is named with file, line and path."""
    from docflow import api

    result = api.validate_workflow(path, Path.cwd()).to_dict()

    def human(con: Any) -> None:
        con.print(
            f"{path}: ok ({result['states']} states, {result['transitions']} "
            f"transitions, documents {', '.join(result['documents'])})"
        )

    emit(result, as_json, human)
