"""The one module that prints: rich tables on a terminal, plain text when piped, or JSON.

Commands return plain data (dicts and lists of JSON types); with ``--json`` exactly one JSON
document goes to stdout and nothing else does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from docflow.errors import DocflowError, SpecError

__all__ = ["Bar", "console", "emit", "print_error", "progress_bar", "style"]


def console() -> Any:
    """A rich console on stdout: colour only on a terminal."""
    from rich.console import Console

    # Piped output is read by people in files and pagers: do not cut tables at 80 columns.
    width = None if sys.stdout.isatty() else 160
    return Console(highlight=False, soft_wrap=True, width=width)


def style(text: str, color: str) -> str:
    """Wrap text in rich markup (escaped)."""
    from rich.markup import escape

    return f"[{color}]{escape(text)}[/{color}]"


def emit(data: Any, as_json: bool, human: Callable[[Any], None] | None = None) -> None:
    """Print a command's result as JSON, or for people through ``human(console)``."""
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    if human is None:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    human(console())


def print_error(exc: DocflowError, as_json: bool, here: str | None = None) -> None:
    """One clear sentence on stderr (plus the blockers/problems), JSON on stdout if asked.

    ``here`` is the language of the place the command ran in (the chosen one, else the
    workspace's): problems of a file that sets no language of its own are told in it."""
    if as_json:
        click.echo(json.dumps(exc.to_dict(), ensure_ascii=False, indent=2, default=str))
    lang = _language(exc, here)
    lines = [f"docflow: {_sentence(exc, lang)}"]
    for blocker in getattr(exc, "blockers", []):
        lines.append(f"  - {blocker.message}")
    problems = getattr(exc, "problems", [])
    if len(problems) > 1:
        lines.extend(f"  - {_told(p, lang)}" for p in problems)
    sys.stderr.write("\n".join(lines) + "\n")


def _language(exc: DocflowError, here: str | None) -> str | None:
    """The language an error's problems are framed in: the file's own (a project.yaml's
    ``locale:`` line), else the place's; None when neither is known."""
    if not isinstance(exc, SpecError):
        return None  # an integrity failure's problems are rows, not places in a file
    locale = getattr(exc, "locale", None) or here
    if locale is None or not exc.problems:
        return None
    from docflow.api.frontend import message_locale

    return message_locale(locale)


def _told(problem: Any, lang: str | None) -> str:
    told = getattr(problem, "told", None)
    return str(told(lang)) if told is not None and lang is not None else str(problem)


def _sentence(exc: DocflowError, lang: str | None) -> str:
    """The error's sentence; one with problems in a file is framed in ``lang``: the place
    and the problem, and how many more."""
    problems = getattr(exc, "problems", [])
    if lang is None or not lang.startswith("zh"):
        return exc.message
    from docflow.api.frontend import tr

    first = problems[0]
    where = str(first)[: len(str(first)) - len(first.message)]
    text = str(getattr(first, "zh", None) or first.message)
    if text.startswith("invalid YAML: "):
        text = tr(lang, "invalid_yaml", detail=text[len("invalid YAML: ") :])
    unlisted = int(getattr(exc, "unlisted", 0))
    more = len(problems) - 1 + unlisted
    if unlisted:
        return where + text + tr(lang, "more_listed", n=more, listed=len(problems))
    return where + text + (tr(lang, "more_problems", n=more) if more > 0 else "")


class Bar:
    """A live progress bar: ``start(total)`` once the count is known, ``advance()`` per item."""

    def __init__(self, progress: Any, label: str) -> None:
        self._progress = progress
        self._label = label
        self._task = progress.add_task(label, total=None)

    def start(self, total: int | None) -> None:
        """Set how many items there are (None: unknown, the bar pulses)."""
        self._progress.update(self._task, total=total)

    def advance(self, item: str = "") -> None:
        """One item done; ``item`` names it next to the bar."""
        from rich.markup import escape

        label = f"{self._label} {escape(item)}" if item else self._label
        self._progress.update(self._task, advance=1, description=label)


@contextmanager
def progress_bar(label: str) -> Iterator[Bar | None]:
    """A rich progress bar on stderr when stderr is a terminal; None (no output) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield Bar(progress, label)
