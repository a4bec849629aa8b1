""" "Did you mean …?" for mistyped commands, subcommands and triggers (difflib)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import click

__all__ = ["SuggestingGroup", "close_matches"]


def close_matches(word: str, choices: Iterable[str]) -> list[str]:
    """The (at most two) choices closest to ``word``."""
    return difflib.get_close_matches(word, list(choices), n=2, cutoff=0.6)


class SuggestingGroup(click.Group):
    """A click group whose unknown-command error names the closest commands."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command named first in ``args``; an unknown name gets a suggestion."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from docflow.cli.usage import NoSuchCommand

            raise NoSuchCommand(name, close_matches(name, self.list_commands(ctx)), ctx)
        return super().resolve_command(ctx, args)
