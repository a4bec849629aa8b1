"""Workflow definitions: the built-in ones, checking a file, and drawing one."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docflow.errors import EnvironmentProblem
from docflow.runtime.result import Result
from docflow.runtime.session import load_spec
from docflow.runtime.workspace import template_dirs
from docflow.spec.workflow import WorkflowSpec

__all__ = ["WorkflowCheck", "draw", "list_workflows", "load", "validate"]

FORMATS = ("text", "mermaid", "dot", "svg")


@dataclass(frozen=True)
class WorkflowCheck(Result):
    """A workflow file that passed every check, in numbers."""

    ok: bool
    workflow: str
    states: int
    transitions: int
    documents: tuple[str, ...]


def list_workflows() -> list[str]:
    """The names of the built-in workflows."""
    from docflow.spec.loader import list_workflows as names

    return names()


def load(name_or_path: str, folder: Path | None = None) -> WorkflowSpec:
    """A workflow by name or file, checked against the templates seen from ``folder``."""
    return load_spec(name_or_path, template_dirs(folder))


def validate(path: Path, folder: Path | None = None) -> WorkflowCheck:
    """Check a workflow file; a SpecError names every problem with file, line and path."""
    spec = load(str(path), folder)
    return WorkflowCheck(
        True, spec.name, len(spec.states), len(spec.transitions), tuple(sorted(spec.documents))
    )


def draw(spec: WorkflowSpec, fmt: str, locale: str | None, current: str | None) -> str | bytes:
    """The workflow as text, Mermaid, Graphviz DOT, or SVG bytes (current state marked)."""
    from docflow.views.diagram import to_dot, to_mermaid, to_text

    loc = locale or spec.locales[0]
    if fmt == "text":
        from docflow.app.guardtext import describe_guard

        return to_text(spec, current, loc, describe_guard)
    if fmt == "mermaid":
        return to_mermaid(spec, current, loc)
    dot_source = to_dot(spec, current, loc)
    if fmt == "dot":
        return dot_source
    dot = shutil.which("dot")
    if dot is None:
        raise EnvironmentProblem("SVG needs Graphviz: install the Debian package graphviz")
    proc = subprocess.run(
        [dot, "-Tsvg"], input=dot_source.encode(), capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise EnvironmentProblem(f"Graphviz failed: {proc.stderr.decode(errors='replace')}")
    return proc.stdout
