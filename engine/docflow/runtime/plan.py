"""What can happen next: every step from the current state with all of its blockers."""

from __future__ import annotations

from dataclasses import dataclass

from docflow.guards import Blocker, evaluate
from docflow.runtime.session import Session
from docflow.spec.workflow import TransitionSpec

__all__ = ["Step", "plan", "plan_step"]


@dataclass(frozen=True)
class Step:
    """One possible next step and why it may not happen yet."""

    transition: TransitionSpec
    title: str
    blockers: tuple[Blocker, ...]

    @property
    def trigger(self) -> str:
        """The trigger name."""
        return self.transition.trigger

    @property
    def ready(self) -> bool:
        """True when no guard blocks the step."""
        return not self.blockers


def _nothing_to_issue(session: Session, transition: TransitionSpec) -> list[Blocker]:
    """A document issued per item needs an item no live document is about yet."""
    from docflow.documents.items import pending

    out = []
    for code in transition.emits:
        kind = session.spec.documents[code]
        items = session.spec.items.get(kind.per) if kind.per else None
        if items is None or pending(session, code):
            continue
        title = session.doc_title(code)
        message = (
            f"project.yaml 的 {items.path} 中没有尚未出具{title}的条目；请先添加一条。"
            if session.locale.startswith("zh")
            else f"project.yaml: every entry of {items.path} has its {title} already; "
            "add the next one first."
        )
        out.append(Blocker("per_item", message, path=items.path, document=code))
    return out


def plan_step(session: Session, transition: TransitionSpec) -> Step:
    """Evaluate every guard of one transition (not only the first that fails)."""
    snap = session.snapshot()
    blockers: list[Blocker] = []
    for guard in transition.guards:
        blockers.extend(evaluate(guard.type, guard.params, snap))
    if transition.emits:
        from docflow.changes.ledger import drift_blockers

        blockers.extend(_nothing_to_issue(session, transition))
        blockers.extend(drift_blockers(session.ledger, session.locale))
    title = transition.title.get(session.locale) or transition.trigger
    return Step(transition, title, tuple(blockers))


def plan(session: Session) -> list[Step]:
    """Every step possible from the project's current state, in definition order."""
    return [plan_step(session, t) for t in session.spec.transitions_from(session.row.state)]
