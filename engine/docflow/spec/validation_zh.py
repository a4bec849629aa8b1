"""Validation problems of YAML inputs in Chinese, chosen by pydantic's error ``type``.

:mod:`docflow.spec.loader` words each problem in English for JSON and English readers; this
module words the same problem for a Chinese reader from the same facts (the error's type,
context and input), so the framing ``file:line: path:`` is kept and only the sentence
changes. A type this table does not know has no Chinese sentence (None): pydantic's English
is shown, as it always was.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["zh_message"]

_DATE_ERRORS = frozenset(
    {"date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"}
)
_TYPES = {
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为字段映射",
    "model_attributes_type": "应为字段映射",
}
_BOUNDS = {
    "greater_than": ("gt", "应大于 {}"),
    "greater_than_equal": ("ge", "应不小于 {}"),
    "less_than": ("lt", "应小于 {}"),
    "less_than_equal": ("le", "应不大于 {}"),
    "string_too_short": ("min_length", "至少应有 {} 个字符"),
    "string_too_long": ("max_length", "至多可有 {} 个字符"),
    "too_short": ("min_length", "至少应有 {} 项"),
    "too_long": ("max_length", "至多可有 {} 项"),
}


# How a given value is named in a problem: (empty, a yes/no value, a mapping, a list).
_VALUE_WORDS = {
    False: ("empty", "{} (a yes/no value)", "a mapping", "a list"),
    True: ("空值", "{}（是/否值）", "映射", "列表"),
}


def describe_value(value: Any, zh: bool = False) -> str:
    """A short name for a value a file gave where another was expected, in zh or English."""
    empty, yes_no, mapping, listing = _VALUE_WORDS[zh]
    if value is None:
        return empty
    if isinstance(value, bool):
        return yes_no.format(str(value).lower())
    if isinstance(value, dict):
        return mapping
    if isinstance(value, list):
        return listing
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def zh_message(item: Any, name: str | int, hint: str | None) -> str | None:
    """The Chinese sentence for one pydantic error ``item`` about field ``name`` (``hint``:
    the closest known field for an unknown one), or None when its type has none."""
    kind: str = item["type"]
    ctx: dict[str, Any] = item.get("ctx") or {}
    given = item.get("input")
    if kind == "extra_forbidden":
        return f"未知字段 '{name}'" + (f"（是否想输入 '{hint}'？）" if hint else "")
    if kind == "missing":
        return f"缺少必填字段 '{name}'"
    if kind in {"literal_error", "enum"}:
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return "应为以下之一：" + "、".join(choices)
    if kind in _DATE_ERRORS:
        return "不是日期（YYYY-MM-DD）"
    if kind == "string_type" and not isinstance(given, dict | list | None):
        return f"应为文本，而不是 {describe_value(given, zh=True)}（请加引号）"
    if kind in _TYPES:
        return f"{_TYPES[kind]}，而不是 {describe_value(given, zh=True)}"
    if kind == "string_pattern_mismatch":
        return f"{describe_value(given, zh=True)} 不符合格式 {ctx.get('pattern')}"
    if kind in _BOUNDS:
        bound, text = _BOUNDS[kind]
        if bound in ctx:
            return text.format(ctx[bound])
    return None
