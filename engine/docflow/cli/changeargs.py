"""The change-request flags of ``docflow change new``: ids lists and the ``--modifies``
mini-language ``ID:field=value;field=value``, turned into a structured change request."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from docflow.errors import InvalidInput

if TYPE_CHECKING:
    from docflow.api import ChangeRequest, RequirementChange

__all__ = ["change_from_flags", "ids", "parse_edit"]


def ids(values: Sequence[str]) -> list[str]:
    """Requirement ids given as repeated and/or comma-separated values."""
    return [i.strip() for v in values for i in v.split(",") if i.strip()]


def parse_edit(text: str) -> RequirementChange:
    """``FR-003:priority=must;title=New title`` -> the edit of FR-003."""
    from docflow.api import RequirementChange

    ident, _, assignments = text.partition(":")
    if not assignments:
        raise InvalidInput(
            f"--modifies {text!r} names no new value; write ID:field=value (e.g. "
            f"{ident}:priority=must) or give full entries with --file"
        )
    fields: dict[str, str] = {}
    for part in assignments.split(";"):
        name, sep, value = part.partition("=")
        if not sep:
            raise InvalidInput(f"--modifies {text!r}: {part!r} is not field=value")
        fields[name.strip()] = value.strip()
    return RequirementChange(ident.strip(), fields)


def change_from_flags(
    title: str | None,
    reason: str | None,
    adds: Sequence[str],
    modifies: Sequence[str],
    removes: Sequence[str],
    days: int | None,
    cost: str | None,
) -> ChangeRequest:
    """The change request the flags state; clear errors name the flag at fault."""
    from docflow.api import ChangeRequest, NewRequirement

    if not title or not reason:
        raise InvalidInput("a change request needs --title and --reason (or --file)")
    try:
        amount = Decimal(cost) if cost is not None else None
    except InvalidOperation as exc:
        raise InvalidInput(f"--cost {cost!r} is not an amount") from exc
    return ChangeRequest(
        title=title,
        reason=reason,
        adds=tuple(NewRequirement(t) for t in adds),
        modifies=tuple(parse_edit(m) for m in ids(modifies)),
        removes=tuple(ids(removes)),
        days=days,
        cost=amount,
    )
