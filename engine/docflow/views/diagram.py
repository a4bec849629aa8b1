"""Workflow pictures: text, Mermaid and Graphviz DOT, with the current state marked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docflow.spec.workflow import WorkflowSpec

# (guard type, params, locale) -> what the guard requires, in words
GuardText = Callable[[str, Any, str], str]

__all__ = ["to_dot", "to_mermaid", "to_text"]


def _title(titles: dict[str, str], locale: str, default: str) -> str:
    return titles.get(locale) or default


def to_text(
    spec: WorkflowSpec, current: str | None, locale: str, guard_text: GuardText | None = None
) -> str:
    """A readable outline: states by phase, each with its steps (and, with ``guard_text``,
    what each step's guards require)."""
    from docflow.runtime.lang import say

    colon = say(locale, "：", ": ")
    lines = [f"{spec.name}{colon}{_title(spec.title, locale, spec.name)}"]
    phase = None
    for state in spec.states.values():
        if state.phase != phase:
            phase = state.phase
            lines.append(f"[{phase}]")
        mark = "*" if state.id == current else " "
        final = say(locale, "（终态）", " (final)") if state.final else ""
        title = _title(state.title, locale, state.id)
        lines.append(f" {mark} {state.id}{colon}{title}{final}")
        for t in spec.transitions_from(state.id):
            sep = say(locale, "、", ", ")
            emits = say(locale, f" 出具 {sep.join(t.emits)}", f" emits {sep.join(t.emits)}")
            emits = emits if t.emits else ""
            n = len(t.guards)
            guards = say(locale, f" [{n} 项条件]", f" [{n} guard(s)]") if t.guards else ""
            lines.append(f"      {t.trigger} -> {t.dest}{emits}{guards}")
            if guard_text is not None:
                lines.extend(f"        - {guard_text(g.type, g.params, locale)}" for g in t.guards)
    return "\n".join(lines)


def _mid(state: str) -> str:
    return state.replace(".", "_").replace("-", "_")


def to_mermaid(spec: WorkflowSpec, current: str | None, locale: str) -> str:
    """A Mermaid stateDiagram-v2."""
    lines = ["stateDiagram-v2", f"    [*] --> {_mid(spec.initial)}"]
    for state in spec.states.values():
        label = _title(state.title, locale, state.id).replace('"', "'")
        lines.append(f'    state "{label}" as {_mid(state.id)}')
    for t in spec.transitions:
        emits = f" / {', '.join(t.emits)}" if t.emits else ""
        lines.append(f"    {_mid(t.source)} --> {_mid(t.dest)}: {t.trigger}{emits}")
    for state in spec.states.values():
        if state.final:
            lines.append(f"    {_mid(state.id)} --> [*]")
    if current:
        lines.append("    classDef current fill:#ffd54f,stroke:#e65100,stroke-width:3px")
        lines.append(f"    class {_mid(current)} current")
    return "\n".join(lines)


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(spec: WorkflowSpec, current: str | None, locale: str) -> str:
    """Graphviz DOT, clustered by phase; the current state is filled."""
    lines = [
        "digraph workflow {",
        '  rankdir=LR; node [shape=box, style="rounded", fontname="Noto Sans CJK SC"];',
        '  edge [fontname="Noto Sans CJK SC", fontsize=10];',
    ]
    phases: dict[str, list[str]] = {}
    for state in spec.states.values():
        phases.setdefault(state.phase, []).append(state.id)
    for i, (phase, states) in enumerate(phases.items()):
        lines.append(f"  subgraph cluster_{i} {{ label={_q(phase)}; color=gray;")
        for sid in states:
            state = spec.states[sid]
            label = f"{_title(state.title, locale, sid)}\\n{sid}"
            style = (
                ', style="rounded,filled", fillcolor="#ffd54f", penwidth=3'
                if (sid == current)
                else ""
            )
            shape = ", peripheries=2" if state.final else ""
            lines.append(
                f"    {_q(sid)} [label={_q(label).replace(chr(92) * 2, chr(92))}{style}{shape}];"
            )
        lines.append("  }")
    for t in spec.transitions:
        emits = f"\\n→ {', '.join(t.emits)}" if t.emits else ""
        lines.append(
            f"  {_q(t.source)} -> {_q(t.dest)} "
            f"[label={_q(t.trigger + emits).replace(chr(92) * 2, chr(92))}];"
        )
    lines.append("}")
    return "\n".join(lines)
