"""docflow's YAML 1.2 scalar rules for untagged plain scalars.

A plain scalar becomes null, a bool (``true``/``false`` only), a canonical int (no leading
zero), a float, a date (``YYYY-MM-DD``) or else a string: ``0123`` stays a code, ``12:30``
stays a time and ``yes``/``no`` stay words. A float remembers how it was written
(:class:`WrittenFloat`), so that an amount is read from its digits, not from the nearest
binary fraction: ``1200500.005`` is three decimals, whatever the float prints as.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

__all__ = ["WrittenFloat", "resolve_plain"]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(
    r"^[-+]?(?:0|[1-9][0-9]*)?(?:\.[0-9]+)(?:[eE][-+]?[0-9]+)?$|^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?[eE][-+]?[0-9]+$|^[-+]?(?:0|[1-9][0-9]*)\.$"
)
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Every form above starts with one of these; anything else is a string (most scalars are
# text, and a project of 20,000 requirements holds a quarter of a million of them).
_NOT_TEXT_START = frozenset("~nNtTfF0123456789+-.")


class WrittenFloat(float):
    """A float read from YAML that keeps the text it was written as (``text``)."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, text: str) -> WrittenFloat:
        """The float of ``text`` (a YAML float literal), remembering ``text``."""
        value = super().__new__(cls, text)
        value.text = text
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        return (WrittenFloat, (self.text,))


def resolve_plain(value: str) -> Any:
    """docflow's rules for an untagged plain scalar (see the module docstring)."""
    if value and value[0] not in _NOT_TEXT_START:
        return value
    if _NULL.match(value):
        return None
    if _TRUE.match(value):
        return True
    if _FALSE.match(value):
        return False
    if _INT.match(value):
        try:
            return int(value)
        except ValueError:
            return value  # over Python's 4,300-digit limit: left for the model to refuse
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return WrittenFloat(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    if _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # e.g. 2026-02-30: left for the model to call "not a date"
    return value
