"""What can happen next: every step from the current state with all of its blockers."""

from __future__ import annotations

from dataclasses import dataclass

from docflow.guards import Blocker, evaluate
from docflow.runtime.session import Session
from docflow.spec.workflow import TransitionSpec

__all__ = ["Step", "drift_blockers", "plan", "plan_step"]


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


def drift_blockers(session: Session) -> list[Blocker]:
    """Requirements changed in project.yaml after the baseline without an effective change."""
    out = []
    for diff in session.drift():
        out.append(
            Blocker(
                "requirements_unchanged",
                diff.describe(session.locale)
                + (
                    "；请提交变更申请（docflow change new）或恢复原值。"
                    if session.locale.startswith("zh")
                    else "; file a change request (docflow change new) or restore it."
                ),
                path=diff.path,
            )
        )
    return out


def plan_step(session: Session, transition: TransitionSpec) -> Step:
    """Evaluate every guard of one transition (not only the first that fails)."""
    snap = session.snapshot()
    blockers: list[Blocker] = []
    for guard in transition.guards:
        blockers.extend(evaluate(guard.type, guard.params, snap))
    if transition.emits:
        blockers.extend(drift_blockers(session))
    title = transition.title.get(session.locale) or transition.trigger
    return Step(transition, title, tuple(blockers))


def plan(session: Session) -> list[Step]:
    """Every step possible from the project's current state, in definition order."""
    return [plan_step(session, t) for t in session.spec.transitions_from(session.row.state)]
