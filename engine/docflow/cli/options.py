"""Options several commands share: ``--json`` and ``--date``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["PARTY", "PartyType", "date_option", "day", "json_option"]

F = TypeVar("F", bound=Callable[..., Any])

json_option: Callable[[F], F] = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def date_option(what: str) -> Callable[[F], F]:
    """``--date YYYY-MM-DD``: the date ``what`` carries (default today, or DOCFLOW_TODAY)."""
    return click.option(
        "--date",
        "date",
        type=click.DateTime(["%Y-%m-%d"]),
        help=f"The date {what} (YYYY-MM-DD; default today, or DOCFLOW_TODAY).",
    )


def day(value: dt.datetime | None) -> dt.date | None:
    """The date of a ``--date`` value."""
    return value.date() if value is not None else None


class PartyType(click.ParamType):  # type: ignore[type-arg]
    """A signing party as people write it: client/甲方/Party A, vendor/乙方/Party B."""

    name = "client|vendor"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The canonical party name, or a usage error naming the accepted words."""
        from docflow.api.frontend import party
        from docflow.errors import UsageError

        try:
            return party(str(value))
        except UsageError as exc:
            self.fail(exc.message, param, ctx)


#: The ``--party`` type every command uses.
PARTY = PartyType()
