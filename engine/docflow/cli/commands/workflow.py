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


def _current_state(env: Env, name: str) -> str | None:
    from docflow.errors import DocflowError

    try:
        project = env.project()
        return project.state if project.workflow.name == name else None
    except DocflowError:
        return None


@workflow.command("show")
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "mermaid", "svg"]),
    default="text",
    show_default=True,
)
@click.option("--locale", default=None, help="Titles in this locale.")
@click.pass_obj
def show(env: Env, name: str, fmt: str, locale: str | None) -> None:
    """Show a workflow as text, Mermaid or SVG (current state marked in a workspace)."""
    from docflow import api

    spec = api.load_workflow(name, Path.cwd())
    drawing = api.draw_workflow(spec, fmt, locale, _current_state(env, spec.name))
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
