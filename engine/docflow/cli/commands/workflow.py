"""``docflow workflow list|show|validate``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit
from docflow.errors import EnvironmentProblem


@click.group()
def workflow() -> None:
    """Inspect and check workflow definitions."""


@workflow.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool) -> None:
    """List the built-in workflows."""
    from docflow.spec.loader import list_workflows

    names = list_workflows()

    def human(con: Any) -> None:
        for name in names:
            con.print(name)

    emit(names, as_json, human)


def _current_state(env: Env, name: str) -> str | None:
    from docflow.errors import DocflowError

    try:
        session = env.session()
    except DocflowError:
        return None
    return session.row.state if session.spec.name == name else None


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
    from docflow.runtime.diagram import to_dot, to_mermaid, to_text
    from docflow.runtime.session import load_spec
    from docflow.runtime.workspace import Workspace

    dirs = Workspace(Path.cwd()).template_dirs()
    spec = load_spec(name, dirs)
    current = _current_state(env, spec.name)
    loc = locale or spec.locales[0]
    if fmt == "text":
        click.echo(to_text(spec, current, loc))
    elif fmt == "mermaid":
        click.echo(to_mermaid(spec, current, loc))
    else:
        dot = shutil.which("dot")
        if dot is None:
            raise EnvironmentProblem("SVG needs Graphviz: install the Debian package graphviz")
        proc = subprocess.run(
            [dot, "-Tsvg"],
            input=to_dot(spec, current, loc).encode(),
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            raise EnvironmentProblem(f"Graphviz failed: {proc.stderr.decode(errors='replace')}")
        sys.stdout.buffer.write(proc.stdout)


@workflow.command("validate")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def validate(path: Path, as_json: bool) -> None:
    """Check a workflow file; every problem is named with file, line and path."""
    from docflow.runtime.session import load_spec
    from docflow.runtime.workspace import Workspace

    spec = load_spec(str(path), Workspace(Path.cwd()).template_dirs())
    documents = sorted(spec.documents)
    result = {
        "ok": True,
        "workflow": spec.name,
        "states": len(spec.states),
        "transitions": len(spec.transitions),
        "documents": documents,
    }

    def human(con: Any) -> None:
        con.print(
            f"{path}: ok ({result['states']} states, {result['transitions']} "
            f"transitions, documents {', '.join(documents)})"
        )

    emit(result, as_json, human)
