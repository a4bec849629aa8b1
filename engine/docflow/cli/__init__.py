"""The ``docflow`` command: a root group whose subcommands load lazily.

This is the only place that turns :class:`docflow.errors.DocflowError` into an exit code, a
sentence on stderr and, with ``--json``, a JSON document on stdout.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docflow import __version__
from docflow.cli.suggest import SuggestingGroup
from docflow.errors import DocflowError, UsageError

if TYPE_CHECKING:
    from docflow.api import Project, RenderWorker, Workspace

__all__ = ["Env", "cli", "main", "run"]

# name -> (module under docflow.cli.commands, attribute, one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("init", "init", "Create a workspace and register its project."),
    "status": ("status", "status", "Show state, next steps with blockers, documents, changes."),
    "advance": ("advance", "advance", "Take the next step and emit its documents."),
    "sign": ("sign", "sign", "Record a party's signature on a document."),
    "change": ("change", "change", "File, edit, price, send and decide change requests."),
    "docs": ("docs", "docs", "List the project's documents."),
    "render": ("docs", "render", "Re-render unsigned documents; restore files from the store."),
    "void": ("void", "void", "Void an issued or signed document; render issues it again."),
    "log": ("log", "log", "Show the audit trail."),
    "verify": ("log", "verify", "Check the event chain, stored documents and files on disk."),
    "export": ("export", "export", "Export bundles (legal: every contract annex)."),
    "workflow": ("workflow", "workflow", "List, show, validate and upgrade workflows."),
    "templates": ("templates", "templates", "List built-in templates; copy one to customise."),
    "projects": (
        "projects",
        "projects",
        "Your portfolio: every project, what blocks it, what awaits.",
    ),
    "doctor": ("doctor", "doctor", "Check fonts, Pango, HarfBuzz, store and templates."),
    "demo": ("demo", "demo", "Run the example project through its whole lifecycle."),
    "db": ("db", "db", "Manage the store's schema."),
    "share": ("portal", "share", "Make (or --revoke) a signing link for the portal."),
    "links": ("portal", "links", "List the project's signing links and their state."),
    "serve": ("serve", "serve", "Serve the signing portal and the PM dashboard."),
    "user": ("portal", "user", "Manage the PM dashboard's accounts."),
    "worker": ("worker", "worker", "Run queued jobs from a shared PostgreSQL store."),
    "jobs": ("jobs", "jobs", "Show the job queue: queued, running, done, failed."),
    "meeting": ("meeting", "meeting", "Record meetings with the client and issue their minutes."),
    "object": ("object", "object_", "Record a party's objection to a document."),
    "actions": ("actions", "actions", "List action items of every meeting: open, done, overdue."),
    "report": ("report", "report", "Issue the progress report of a week or a period."),
    "satisfaction": ("satisfaction", "satisfaction", "Record the satisfaction survey's answers."),
}


class LazyGroup(SuggestingGroup):
    """A group that imports a subcommand's module only when that subcommand runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(f"docflow.cli.commands.{entry[0]}")
        command = getattr(module, entry[1])
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Help lists every command without importing any of them.
        rows = [(name, entry[2]) for name, entry in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@dataclass
class Env:
    """Global options, passed to every subcommand."""

    directory: Path | None
    store: str | None
    actor: str | None
    # The language chosen for what is printed for people (--lang, else LANG); None: the
    # project's own.
    lang: str | None = None

    def speaks(self, project_locale: str | None) -> str:
        """The language of what is printed about a project whose locale is given."""
        return self.lang or project_locale or "en"

    def here(self) -> str:
        """The language of what a command prints before (or without) opening a project: the
        one chosen, else the locale of the workspace here (read from its project.yaml's
        ``locale:`` line, without opening it), else English."""
        from docflow.cli.usage import nearest_locale

        return self.lang or nearest_locale(self.directory) or "en"

    def tr(self, key: str, /, **fields: object) -> str:
        """The sentence ``key`` in the language of :meth:`here`."""
        from docflow.api.frontend import tr

        return tr(self.here(), key, **fields)

    def workspace(self) -> Workspace:
        """The workspace named by -C or found from the current folder."""
        from docflow.api import Workspace

        try:
            return Workspace.find(self.directory)
        except UsageError as exc:
            raise UsageError(self.tr("cli.no_workspace", detail=exc.message)) from exc

    def project(self, worker: RenderWorker | None = None) -> Project:
        """Open the workspace's project (PDFs laid out by ``worker`` when one is given)."""
        from docflow.api import Project

        return Project.open(self.workspace().root, self.store, self.actor, worker=worker)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Run as if started in DIR.",
)
@click.option(
    "--store",
    envvar="DOCFLOW_DATABASE_URL",
    metavar="URL",
    help="Database URL (default: SQLite in the workspace's .docflow/).",
)
@click.option("--actor", envvar="DOCFLOW_ACTOR", help="Who is acting (default: the OS user).")
@click.option(
    "--lang",
    metavar="zh-CN|en",
    help="Language of what is printed (default: LANG when it names zh or en, else the "
    "project's locale). JSON output is the same in every language.",
)
@click.version_option(__version__, prog_name="docflow")
@click.pass_context
def cli(
    ctx: click.Context,
    directory: Path | None,
    store: str | None,
    actor: str | None,
    lang: str | None,
) -> None:
    """docflow: workflows and documents for software delivery projects.

    Exit codes: 0 done; 1 internal error; 2 usage; 3 blocked by a guard; 4 invalid input;
    5 conflict; 6 integrity failure.
    """
    from docflow.api.frontend import chosen_locale, set_message_locale

    chosen = chosen_locale(lang)
    if lang is not None and chosen is None:
        raise click.BadParameter(f"{lang!r} is not zh-CN or en", param_hint="'--lang'")
    # JSON stays what it is in every language: only people's output follows the choice.
    as_json = isinstance(ctx.obj, dict) and bool(ctx.obj.get("json"))
    set_message_locale(None if as_json else chosen, machine=as_json)
    ctx.obj = Env(directory, store or None, actor or None, chosen)


def _wants_json(argv: list[str]) -> bool:
    return "--json" in argv


def _report(exc: DocflowError, as_json: bool, args: list[str]) -> None:
    from docflow.cli.output import print_error

    here = None
    if getattr(exc, "problems", None):
        from docflow.cli.usage import usage_locale

        here = usage_locale(args)
    print_error(exc, as_json, here)


def main(argv: list[str] | None = None) -> None:
    """Run the command line and exit with the documented code."""
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = _wants_json(args)
    # docflow's models use no pydantic plugin; looking them up reads the metadata of every
    # installed distribution on each start (about 2 % of `docflow status`). A user's own
    # setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        _run(args, as_json)
    finally:
        # The language chosen for this command is not the next one's (tests and front ends
        # call main more than once in one process).
        from docflow.api.frontend import set_message_locale

        set_message_locale(None)


def run() -> None:
    """The ``docflow`` program: :func:`main` on the process's arguments, in a process paced
    and ended as :mod:`docflow.cli.process` says (tests and front ends call ``main``)."""
    from docflow.cli.process import run as run_program

    run_program(main)


def _run(args: list[str], as_json: bool) -> None:
    try:
        cli.main(args=args, prog_name="docflow", standalone_mode=False, obj={"json": as_json})
    except DocflowError as exc:
        _report(exc, as_json, args)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        from docflow.cli.usage import show_usage_error, usage_locale

        if as_json:
            import json

            click.echo(json.dumps({"error": "usage", "message": exc.format_message()}))
        show_usage_error(exc, usage_locale(args), args)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        from docflow.api.frontend import tr
        from docflow.cli.usage import usage_locale

        click.echo(tr(usage_locale(args), "usage.aborted"), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing was recorded unless a step had finished", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("DOCFLOW_DEBUG"):
            raise
        msg = f"internal error: {type(exc).__name__}: {exc} (set DOCFLOW_DEBUG=1 for details)"
        if as_json:
            import json

            click.echo(json.dumps({"error": "internal", "message": msg}, ensure_ascii=False))
        click.echo(f"docflow: {msg}", err=True)
        sys.exit(1)
    sys.exit(0)
