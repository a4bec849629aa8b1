"""Usage errors (exit 2) in the language of the person typing: click's own words in English,
docflow's table in Chinese.

A usage error may come before any project is open (a mistyped option of the root command), so
its language is found cheaply: ``--lang`` among the arguments, else ``LANG`` / ``LC_*``
naming zh or en, else the ``locale:`` line of the nearest project.yaml (from ``-C DIR`` or the
current folder), else English. The Chinese sentence is chosen by what went wrong (click's
exception class and fields: the parameter, its type, the possibilities), never by rewriting
click's English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import click

__all__ = ["NoSuchCommand", "show_usage_error", "usage_locale", "usage_sentence"]


# The parties a --party value names, in the order help lists them.
_PARTIES = ("client", "vendor")


def _option_value(args: list[str], name: str) -> str | None:
    """The value of ``name`` (``--lang X``, ``--lang=X``, ``-C X``) among the root options."""
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "=") and name.startswith("--"):
            return arg.split("=", 1)[1]
    return None


def nearest_locale(directory: Path | None) -> str | None:
    """The locale set by the ``locale:`` line of the nearest project.yaml at ``directory``
    (default: the current folder) or above; None outside a workspace."""
    from docflow.api.frontend import sniff_locale

    try:
        here = (directory or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            candidate = folder / "project.yaml"
            if candidate.is_file():
                # A top-level `locale:` line comes early; a file's size bounds nothing.
                with candidate.open("r", encoding="utf-8", errors="replace") as fh:
                    return sniff_locale(fh.read(65536))
    except OSError:
        pass
    return None


def usage_locale(args: list[str]) -> str:
    """The language a usage error of the command line ``args`` is told in."""
    from docflow.api.frontend import chosen_locale

    chosen = chosen_locale(_option_value(args, "--lang"))
    if chosen is not None:
        return chosen
    folder = _option_value(args, "-C")
    return nearest_locale(Path(folder) if folder else None) or "en"


def _name(exc: click.ClickException) -> str:
    """The parameter a usage error is about, as people type it (``--party``, ``DOC_ID``)."""
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint is not None:
        return hint if isinstance(hint, str) else " / ".join(hint)
    if param is not None:
        ctx = getattr(exc, "ctx", None)
        return str(param.get_error_hint(ctx)) if ctx is not None else str(param.name)
    return ""


def _bad_parameter(exc: click.BadParameter, lang: str) -> str:
    from docflow.api.frontend import tr
    from docflow.cli.options import PartyType

    name = _name(exc)
    kind = exc.param.type if exc.param is not None else None
    if isinstance(kind, PartyType):
        parties = [f"{p}{tr(lang, 'usage.party', party=tr(lang, f'party.{p}'))}" for p in _PARTIES]
        return tr(lang, "usage.bad_choice", name=name, choices=tr(lang, "list_sep").join(parties))
    if isinstance(kind, click.Choice):
        choices = tr(lang, "list_sep").join(str(c) for c in kind.choices)
        return tr(lang, "usage.bad_choice", name=name, choices=choices)
    if isinstance(kind, click.DateTime):
        return tr(lang, "usage.bad_date", name=name)
    if isinstance(kind, click.IntRange | click.FloatRange):
        return tr(lang, "usage.bad_range", name=name, range=kind._describe_range())
    if kind is click.INT:
        return tr(lang, "usage.bad_int", name=name)
    if kind is click.FLOAT:
        return tr(lang, "usage.bad_number", name=name)
    if isinstance(kind, click.Path):
        return tr(lang, "usage.bad_path", name=name, detail=exc.message)
    return tr(lang, "usage.bad_value", name=name, detail=exc.message)


def _hint(lang: str, possibilities: list[str]) -> str:
    from docflow.api.frontend import tr

    if not possibilities:
        return ""
    choices = tr(lang, "usage.or").join(repr(p) for p in possibilities)
    return tr(lang, "usage.did_you_mean", choices=choices)


def _option_usage(exc: click.BadOptionUsage, lang: str, args: Sequence[str]) -> str:
    """An option given wrongly: a value given to a flag (``--flag=x``), else a value
    missing (click's parser raises these two without naming the command)."""
    from docflow.api.frontend import tr

    name = exc.option_name
    if any(arg.startswith(name + "=") for arg in args):
        return tr(lang, "usage.no_value", name=name)
    if name in args:
        return tr(lang, "usage.needs_value", name=name)
    return tr(lang, "usage.other", detail=exc.format_message())


def usage_sentence(exc: click.ClickException, lang: str, args: Sequence[str] = ()) -> str:
    """The one sentence saying what is wrong with the command line ``args``, in ``lang``."""
    from docflow.api.frontend import tr

    if isinstance(exc, click.NoSuchOption):
        hint = _hint(lang, sorted(exc.possibilities or ()))
        return tr(lang, "usage.no_such_option", name=exc.option_name, hint=hint)
    if isinstance(exc, click.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "")
        key = {"argument": "usage.missing_argument", "option": "usage.missing_option"}
        return tr(lang, key.get(kind, "usage.missing"), name=_name(exc))
    if isinstance(exc, click.BadParameter):
        return _bad_parameter(exc, lang)
    if isinstance(exc, click.BadOptionUsage):
        return _option_usage(exc, lang, args)
    if isinstance(exc, NoSuchCommand):
        return tr(lang, "usage.no_such_command", name=repr(exc.name), hint=_hint(lang, exc.close))
    # click 8.4 and later raise their own for groups that do not suggest.
    theirs = getattr(click.exceptions, "NoSuchCommand", None)
    if theirs is not None and isinstance(exc, theirs):
        close = list(getattr(exc, "possibilities", None) or ())
        name = repr(getattr(exc, "command_name", ""))
        return tr(lang, "usage.no_such_command", name=name, hint=_hint(lang, close))
    # click says "extra arguments" through a plain UsageError whose only field is its text.
    extra = re.fullmatch(r"Got unexpected extra arguments? \((.*)\)", exc.message)
    if extra:
        return tr(lang, "usage.extra", args=extra.group(1))
    return tr(lang, "usage.other", detail=exc.format_message())


class NoSuchCommand(click.UsageError):
    """An unknown (sub)command, with the closest known ones."""

    def __init__(self, name: str, close: list[str], ctx: click.Context | None) -> None:
        hint = (" (did you mean " + " or ".join(map(repr, close)) + "?)") if close else ""
        super().__init__(f"No such command {name!r}{hint}.", ctx)
        self.name = name
        self.close = close


def show_usage_error(exc: click.ClickException, lang: str, args: list[str]) -> None:
    """Print a usage error of the command line ``args`` as click does (usage line, help
    hint, error), in ``lang``."""
    if not lang.startswith("zh"):
        exc.show()
        return
    from docflow.api.frontend import tr

    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage()
        # The usage line is click's; its first word is the one word it adds.
        lines.append(tr(lang, "usage.usage") + usage.split(" ", 1)[1] if " " in usage else usage)
        if ctx.command.get_help_option(ctx) is not None:
            option = max(ctx.command.get_help_option_names(ctx), key=len)
            lines.append(tr(lang, "usage.help", command=ctx.command_path, option=option))
        lines.append("")
    lines.append(tr(lang, "usage.error") + usage_sentence(exc, lang, args))
    click.echo("\n".join(lines), err=True)
