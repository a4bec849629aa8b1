"""``docflow workflow list|show|validate|upgrade``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit, style
from docflow.cli.suggest import SuggestingGroup


@click.group(cls=SuggestingGroup)
def workflow() -> None:
    """Inspect, check and upgrade workflow definitions."""


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


def _project(env: Env) -> Any:
    """The workspace's project, or None outside one (or when it cannot be opened)."""
    from docflow.errors import DocflowError

    try:
        return env.project()
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
@click.option(
    "--locale",
    default=None,
    help="Titles and guard descriptions in this locale (default: the project's in a "
    "workspace, else the workflow's first).",
)
@click.pass_obj
def show(env: Env, name: str, fmt: str, locale: str | None) -> None:
    """Show a workflow, what each step's guards require, and (in a workspace) where the
    project stands."""
    from docflow import api

    spec = api.load_workflow(name, Path.cwd())
    project = _project(env)
    current = None
    if project is not None and project.workflow.name == spec.name:
        current = project.state
    if locale is None:
        locale = env.lang or (project.status().locale if project is not None else None)
    drawing = api.draw_workflow(spec, fmt, locale, current)
    if isinstance(drawing, bytes):
        sys.stdout.buffer.write(drawing)
    else:
        click.echo(drawing)


@workflow.command("validate")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_obj
def validate(env: Env, path: Path, as_json: bool) -> None:
    """Check a workflow file; every problem is named with file, line and path."""
    from docflow import api

    result = api.validate_workflow(path, Path.cwd()).to_dict()
    lang = env.here()

    def human(con: Any) -> None:
        from docflow.api.frontend import tr

        line = tr(
            lang,
            "workflow.valid",
            path=path,
            states=result["states"],
            transitions=result["transitions"],
            documents=tr(lang, "list_sep").join(result["documents"]),
        )
        con.print(line, markup=False)

    emit(result, as_json, human)


@workflow.command("upgrade")
@click.option(
    "--to",
    "to",
    metavar="PATH|NAME",
    help="The workflow to move to (default: the project's own, as it reads now).",
)
@click.option("--dry-run", is_flag=True, help="Say whether the move is possible; change nothing.")
@json_option
@click.pass_obj
def upgrade(env: Env, to: str | None, dry_run: bool, as_json: bool) -> None:
    """Move the running project to a newer version of its workflow when compatible."""
    project = env.project()
    result = project.upgrade_workflow(to, dry_run=dry_run).to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        if result["upgraded"]:
            line = tr(
                lang,
                "workflow.upgraded",
                project=result["project"],
                src=result["from_workflow"],
                dst=result["to_workflow"],
                state=result["state"],
            )
            con.print(escape(line))
        elif result["reasons"]:
            head = style(tr(lang, "workflow.incompatible"), "red")
            con.print(f"{head}{tr(lang, 'colon')}{escape(result['to_workflow'])}")
            for reason in result["reasons"]:
                con.print(f"  - {escape(reason)}")
        else:
            con.print(escape(tr(lang, "workflow.compatible", dst=result["to_workflow"])))

    emit(result, as_json, human)
    if dry_run and result["reasons"]:
        sys.exit(5)
