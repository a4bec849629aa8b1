"""Checks against targets, the printed table, results.json and the Markdown record."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Check", "markdown", "ratio", "table"]


@dataclass(frozen=True)
class Check:
    """One figure compared with its target; ``ok`` is None when it could not be measured."""

    section: str
    name: str
    value: float | None
    unit: str
    target: str
    ok: bool | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


def ratio(a: float, b: float) -> float:
    """a / b, guarded against a zero denominator."""
    return a / b if b > 0 else float("inf")


def _value(check: Check) -> str:
    if check.value is None:
        return "n/a"
    if check.unit == "x":
        return f"{check.value:.2f}x"
    if check.unit == "s":
        return f"{check.value:.3f} s"
    return f"{check.value:.2f} {check.unit}"


def _verdict(check: Check) -> str:
    return {True: "ok", False: "MISSED", None: "-"}[check.ok]


def table(checks: list[Check]) -> str:
    """A plain-text table of every check."""
    rows = [("section", "measure", "value", "target", "verdict")]
    rows += [(c.section, c.name, _value(c), c.target, _verdict(c)) for c in checks]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(checks: list[Check]) -> str:
    """The same table in Markdown."""
    lines = ["| section | measure | value | target | verdict |", "|---|---|---|---|---|"]
    lines += [
        f"| {c.section} | {c.name} | {_value(c)} | {c.target} | {_verdict(c)} |" for c in checks
    ]
    return "\n".join(lines)
