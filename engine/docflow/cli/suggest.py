""" "Did you mean …?" for mistyped commands, subcommands and triggers (difflib)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import click

__all__ = ["SuggestingGroup", "did_you_mean"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choices, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=2, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


class SuggestingGroup(click.Group):
    """A click group whose unknown-command error names the closest commands."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command named first in ``args``; an unknown name gets a suggestion."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            hint = did_you_mean(name, self.list_commands(ctx))
            raise click.UsageError(f"No such command {name!r}{hint}.", ctx)
        return super().resolve_command(ctx, args)
