"""The change-request flags of ``docflow change new`` and ``change edit``: id lists, the
``--modifies`` mini-language ``ID:field=value;field=value``, the details of added requirements
and amounts as people write them, turned into a structured request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from docflow.api.frontend import say
from docflow.errors import InvalidInput

if TYPE_CHECKING:
    from docflow.api import ChangeRequest, NewRequirement, RequirementChange

__all__ = ["AddFlags", "adds_from_flags", "amount", "change_from_flags", "ids", "parse_edit"]

#: The ``--help`` text of ``--modifies``.
MODIFIES_HELP = (
    "Edit a requirement: ID:field=value;field=value, e.g. "
    "FR-003:priority=must or 'FR-003:title=Night shift report;verification=demo'. "
    "Fields: title, description, type, priority, source, delivered, verification. Repeatable."
)


def ids(values: Sequence[str]) -> list[str]:
    """Requirement ids given as repeated and/or comma-separated values."""
    return [i.strip() for v in values for i in v.split(",") if i.strip()]


def parse_edit(text: str) -> RequirementChange:
    """``FR-003:priority=must;title=New title`` -> the edit of FR-003."""
    from docflow.api import RequirementChange

    ident, _, assignments = text.partition(":")
    if not assignments.strip():
        raise InvalidInput(
            f"--modifies {text!r} names no new value; write ID:field=value (e.g. "
            f"{ident.strip() or 'FR-003'}:priority=must) or give full entries with --file"
        )
    fields: dict[str, str] = {}
    for part in assignments.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise InvalidInput(f"--modifies {text!r}: {part!r} is not field=value")
        fields[name.strip()] = value.strip()
    return RequirementChange(ident.strip(), fields)


def amount(text: str | None, flag: str = "--cost") -> Decimal | None:
    """An amount as people write it (``48,000``, ``¥48,000``, ``4.8万``), or None."""
    from docflow.api.frontend import parse_amount

    return None if text is None else parse_amount(text, flag)


@dataclass(frozen=True)
class AddFlags:
    """``--adds`` titles and the details given for them, each once or once per title."""

    titles: Sequence[str] = ()
    descriptions: Sequence[str] = ()
    types: Sequence[str] = ()
    priorities: Sequence[str] = ()
    verifications: Sequence[str] = ()
    sources: Sequence[str] = ()


def _per_add(values: Sequence[str], count: int, flag: str) -> list[str | None]:
    """One value per added requirement: given once for all, or once each in --adds order."""
    if not values:
        return [None] * count
    if len(values) == 1:
        return [values[0]] * count
    if len(values) != count:
        raise InvalidInput(
            say(
                None,
                f"{flag} 给出了 {len(values)} 次，而 --adds 有 {count} 项：每项给一次（按 --adds "
                "的顺序），或只给一次用于全部，或用 --file",
                f"{flag} is given {len(values)} times for {count} --adds: give it once per "
                "requirement (in --adds order), once for all, or use --file",
            )
        )
    return list(values)


def adds_from_flags(flags: AddFlags) -> tuple[NewRequirement, ...]:
    """The requirements ``--adds`` states, each with its details."""
    from docflow.api import NewRequirement

    count = len(flags.titles)
    details = {
        "--description": flags.descriptions,
        "--type": flags.types,
        "--priority": flags.priorities,
        "--verification": flags.verifications,
        "--source": flags.sources,
    }
    if not count:
        given = [flag for flag, values in details.items() if values]
        if given:
            raise InvalidInput(
                say(
                    None,
                    f"{', '.join(given)} 描述的是 --adds 新增的需求，但没有给出 --adds",
                    f"{', '.join(given)} describe(s) a requirement added with --adds; "
                    "no --adds was given",
                )
            )
        return ()
    columns = {flag: _per_add(values, count, flag) for flag, values in details.items()}
    added = []
    for i, title in enumerate(flags.titles):
        description = columns["--description"][i] or ""
        added.append(
            NewRequirement(
                title=title,
                description=description,
                type=columns["--type"][i] or "functional",
                priority=columns["--priority"][i] or "should",
                source=columns["--source"][i],
                verification=columns["--verification"][i],
            )
        )
    return tuple(added)


def change_from_flags(
    title: str | None,
    reason: str | None,
    adds: AddFlags,
    modifies: Sequence[str],
    removes: Sequence[str],
    days: int | None,
    cost: str | None,
    payment: str | None = None,
    risks: Sequence[str] = (),
) -> ChangeRequest:
    """The change request the flags state; clear errors name the flag at fault."""
    from docflow.api import ChangeRequest

    if not title or not reason:
        raise InvalidInput("a change request needs --title and --reason (or --file)")
    return ChangeRequest(
        title=title,
        reason=reason,
        adds=adds_from_flags(adds),
        modifies=tuple(parse_edit(m) for m in modifies),
        removes=tuple(ids(removes)),
        days=days,
        cost=amount(cost),
        risks=tuple(risks),
        payment=payment,
    )
