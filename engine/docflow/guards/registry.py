"""The guard registry: built-in guard types plus those installed under ``docflow.guards``.

A third-party package adds a guard type by declaring an entry point in the group
``docflow.guards`` that names a class with ``name``, ``params`` (a pydantic model) and
``evaluate(params, snapshot) -> list[Blocker]``. Installed packages are only scanned for
entry points when a workflow names a guard that is not built in (or all are listed).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from pydantic import ValidationError

from docflow.errors import InvalidInput
from docflow.guards.base import Blocker, GuardType, Snapshot
from docflow.guards.builtin import BUILTIN

__all__ = ["ENTRY_POINT_GROUP", "check_guard", "evaluate", "guard_types"]

ENTRY_POINT_GROUP = "docflow.guards"


@cache
def _builtin() -> Mapping[str, GuardType]:
    return {cls.name: cls() for cls in BUILTIN}


@cache
def guard_types() -> Mapping[str, GuardType]:
    """Every known guard type by name; entry points may not replace a built-in."""
    from importlib.metadata import entry_points

    types: dict[str, GuardType] = dict(_builtin())
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = ep.load()
        except (ImportError, AttributeError) as exc:
            raise InvalidInput(
                f"guard plugin {ep.name!r} ({ep.value}) could not be loaded: {exc}"
            ) from exc
        if ep.name in types:
            continue
        types[ep.name] = cls()
    return types


def _format_error(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        out.append(f"{loc}: {err['msg']}" if loc else err["msg"])
    return out


def check_guard(type_name: str, params: Mapping[str, Any]) -> list[str]:
    """Messages for an unknown guard type or parameters that do not fit it."""
    types = _builtin()
    if type_name not in types:
        types = guard_types()
    if type_name not in types:
        return [f"unknown guard type {type_name!r} (known: {', '.join(sorted(types))})"]
    try:
        types[type_name].params.model_validate(dict(params))
    except ValidationError as exc:
        return [f"guard {type_name}: {m}" for m in _format_error(exc)]
    return []


def evaluate(type_name: str, params: Mapping[str, Any], snap: Snapshot) -> list[Blocker]:
    """Run one guard; its params were checked when the workflow was loaded."""
    guard = _builtin().get(type_name) or guard_types()[type_name]
    return guard.evaluate(guard.params.model_validate(dict(params)), snap)
