"""What each guard of a workflow requires, in words: ``docflow workflow show``.

A guard type may explain itself with ``describe(params, locale) -> str``; the built-in ones
are described here from their parameters. An unknown type is shown as its name and
parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docflow.runtime.lang import say

__all__ = ["describe_guard"]


def _paths(params: Mapping[str, Any], key: str = "paths") -> str:
    return ", ".join(str(p) for p in params.get(key) or ())


def _when(params: Mapping[str, Any], loc: str) -> str:
    parts = []
    if params.get("if_positive"):
        parts.append(
            say(
                loc,
                f"（当 {params['if_positive']} 大于 0 时）",
                f" (when {params['if_positive']} is above 0)",
            )
        )
    cond = params.get("if_count_at_least")
    if isinstance(cond, Mapping):
        parts.append(
            say(
                loc,
                f"（当 {cond.get('path')} 至少有 {cond.get('min')} 项时）",
                f" (when {cond.get('path')} has at least {cond.get('min')} items)",
            )
        )
    return "".join(parts)


def describe_guard(type_: str, params: Mapping[str, Any], locale: str) -> str:
    """One sentence saying what a guard requires, in ``locale``."""
    from docflow.guards.registry import guard_types

    loc, p = locale, params
    if type_ == "fields_present":
        return say(loc, f"已填写：{_paths(p)}", f"filled in: {_paths(p)}") + _when(p, loc)
    if type_ == "min_items":
        where = ", ".join(f"{k}={v}" for k, v in (p.get("where") or {}).items())
        where = f" ({where})" if where else ""
        need = _paths(p, "require")
        zh_need = f"，每项填写 {need}" if need else ""
        en_need = f", each with {need}" if need else ""
        return say(
            loc,
            f"{p.get('path')}{where} 至少 {p.get('min', 1)} 项{zh_need}",
            f"{p.get('path')}{where}: at least {p.get('min', 1)} item(s){en_need}",
        ) + _when(p, loc)
    if type_ == "all_items":
        return say(
            loc,
            f"{p.get('path')} 的每一项 {p.get('field')} 为 true",
            f"every item of {p.get('path')} has {p.get('field')} true",
        )
    if type_ == "fact_true":
        return say(loc, f"{p.get('path')} 为 true", f"{p.get('path')} is true")
    if type_ == "document_signed":
        names = {"client": say(loc, "甲方", "the client"), "vendor": say(loc, "乙方", "the vendor")}
        who = say(loc, "、", " and ").join(names.get(x, x) for x in p.get("parties") or ())
        return say(
            loc, f"{p.get('document')} 已由{who}签署", f"{p.get('document')} signed by {who}"
        )
    if type_ == "no_open_changes":
        return say(
            loc,
            "没有待决定或附件未签署完的变更申请",
            "no change request undecided or with its annex unsigned",
        )
    if type_ == "requirements_delivered":
        prios = ", ".join(p.get("block_priorities") or ["must"])
        follow = p.get("require_followup", True)
        return say(
            loc,
            f"优先级为 {prios} 的需求已交付" + ("；其余未交付需求有责任人和期限" if follow else ""),
            f"requirements of priority {prios} delivered"
            + ("; every other undelivered one has an owner and a deadline" if follow else ""),
        )
    if type_ == "acceptance_conclusion":
        path = p.get("path", "acceptance.conclusion")
        if p.get("require_passing"):
            return say(loc, f"{path} 为通过", f"{path} is a pass")
        return say(
            loc,
            f"已给出验收结论 {path}（必须需求未交付时不得为通过）",
            f"{path} is given (not a pass while a must requirement is undelivered)",
        )
    guard = guard_types().get(type_)
    own = getattr(guard, "describe", None)
    if callable(own):
        return str(own(params, locale))
    shown = ", ".join(f"{k}={v}" for k, v in params.items())
    return f"{type_}({shown})"
