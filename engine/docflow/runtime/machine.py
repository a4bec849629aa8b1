"""The state machine of a running project, built on ``transitions`` (its only importer).

The machine is built from a validated :class:`WorkflowSpec` with ``auto_transitions=False`` so
no ``to_<state>()`` shortcut skips the guards, on a bare carrier object so no method can
shadow a trigger. docflow evaluates guards itself (transitions' conditions stop at the first
False and give no reason), so the machine only answers "is this trigger possible here" and
"where does it lead".
"""

from __future__ import annotations

from typing import Any

from docflow.errors import Conflict
from docflow.spec.workflow import WorkflowSpec

__all__ = ["StateMachine"]


class _Carrier:
    """The model object transitions decorates; deliberately empty."""

    state: str


class StateMachine:
    """A project's position in its workflow."""

    def __init__(self, spec: WorkflowSpec, state: str) -> None:
        from transitions import Machine

        self.spec = spec
        self._model = _Carrier()
        transitions: list[dict[str, Any]] = [
            {"trigger": t.trigger, "source": t.source, "dest": t.dest} for t in spec.transitions
        ]
        self._machine = Machine(
            model=self._model,
            states=list(spec.states),
            transitions=transitions,
            initial=state,
            auto_transitions=False,
            ignore_invalid_triggers=False,
            send_event=False,
        )

    @property
    def state(self) -> str:
        """The current state id."""
        return str(self._model.state)

    def triggers(self) -> list[str]:
        """Triggers possible from the current state, in definition order."""
        possible = set(self._machine.get_triggers(self.state))
        return [t.trigger for t in self.spec.transitions_from(self.state) if t.trigger in possible]

    def fire(self, trigger: str) -> str:
        """Take the step and return the new state."""
        from transitions import MachineError

        try:
            self._machine.events[trigger].trigger(self._model)
        except (MachineError, KeyError) as exc:
            raise Conflict(f"{trigger!r} is not possible from state {self.state}") from exc
        return self.state
