"""The base of every typed result and view: a frozen dataclass whose ``to_dict()`` is JSON.

Results are what the application API returns and what ``--json`` prints. A field's JSON key is
its name unless its metadata says ``key`` (``from`` and ``to`` are Python keywords); nested
results, tuples, mappings and objects with their own ``to_dict`` (blockers, problems) become
plain JSON data, in field order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

__all__ = ["Result", "json_data", "key"]


def key(name: str) -> Any:
    """Field metadata naming the JSON key of a field: ``field(metadata=key("from"))``."""
    return {"key": name}


def json_data(value: Any) -> Any:
    """``value`` as plain JSON data: results and ``to_dict`` objects as dicts, tuples as lists."""
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {k: json_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_data(v) for v in value]
    return value


class Result:
    """Mixin of the frozen dataclasses the API returns: ``to_dict()`` gives their JSON form."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: one key per field, in field order."""
        assert dataclasses.is_dataclass(self)
        return {
            f.metadata.get("key", f.name): json_data(getattr(self, f.name))
            for f in dataclasses.fields(self)
        }
