"""Everything ``status`` shows: state and phase, each next step with its blockers, the
documents, and the change summary with its ratio and drift.

Its JSON keys are a contract (``state``, ``phase``, ``transitions[].trigger/dest/ready/
blockers``, ``documents[]``, ``changes.ratio``); a test pins them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docflow.guards import Blocker
from docflow.runtime.plan import Step
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.views.documents import DocumentChecks, DocumentView, document_view
from docflow.views.portal import DeclineView, declines

if TYPE_CHECKING:
    from docflow.records.views import RecordsSummary

__all__ = ["ChangeSummary", "DriftView", "StatusView", "StepView", "status_view", "step_view"]


@dataclass(frozen=True)
class StepView(Result):
    """One possible next step and everything that blocks it."""

    trigger: str
    title: str
    dest: str
    emits: tuple[str, ...]
    ready: bool
    blockers: tuple[Blocker, ...]


@dataclass(frozen=True)
class DriftView(Result):
    """A requirement that project.yaml changed without an effective change request."""

    kind: str
    id: str
    fields: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class ChangeSummary(Result):
    """Change control at a glance: the ratio and its level, open and effective requests."""

    ratio: float
    level: str
    warn_ratio: float
    alarm_ratio: float
    baseline: int | None
    open: tuple[str, ...]
    effective: tuple[str, ...]
    allowed: bool
    drift: tuple[DriftView, ...]
    alert: str = ""  # the warning or alarm sentence, in the project's locale; "" when ok


@dataclass(frozen=True)
class StatusView(Result):
    """A project's status."""

    project_code: str
    project_name: str
    workflow: str
    locale: str
    state: str
    state_title: str
    phase: str
    final: bool
    version: int
    transitions: tuple[StepView, ...]
    documents: tuple[DocumentView, ...]
    changes: ChangeSummary
    chain_seq: int
    chain_head: str
    declines: tuple[DeclineView, ...] = ()

    # Deemed-confirmation deadlines, overdue action items, the satisfaction survey.
    records: RecordsSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``status --json``."""
        data = super().to_dict()
        head = {"project": {"code": data.pop("project_code"), "name": data.pop("project_name")}}
        data["chain"] = {"seq": data.pop("chain_seq"), "head": data.pop("chain_head")}
        return head | data


def step_view(step: Step) -> StepView:
    """One possible next step."""
    return StepView(
        trigger=step.trigger,
        title=step.title,
        dest=step.transition.dest,
        emits=tuple(step.transition.emits),
        ready=step.ready,
        blockers=step.blockers,
    )


def _changes(session: Session) -> ChangeSummary:
    cc = session.spec.change_control
    ledger = session.ledger
    base = ledger.baseline()
    ratio = ledger.ratio()
    level, alert = "ok", ""
    if base is not None:
        from docflow.changes.rules import ratio_level, ratio_sentence

        level = ratio_level(ratio, cc.warn_ratio, cc.alarm_ratio)
        alert = ratio_sentence(level, ratio, cc.warn_ratio, cc.alarm_ratio, session.locale)
    return ChangeSummary(
        ratio=ratio,
        level=level,
        warn_ratio=cc.warn_ratio,
        alarm_ratio=cc.alarm_ratio,
        baseline=len(base) if base is not None else None,
        open=ledger.undecided(),
        effective=tuple(c.cr_id for c in ledger.effective()),
        allowed=session.row.state in cc.allowed_in,
        drift=tuple(
            DriftView(d.kind, d.id, d.fields, d.describe(session.locale)) for d in ledger.drift()
        ),
        alert=alert,
    )


def _documents(session: Session) -> tuple[DocumentView, ...]:
    checks = DocumentChecks(session)
    return tuple(document_view(session, d, checks) for d in session.documents)


def status_view(session: Session, steps: list[Step]) -> StatusView:
    """Everything ``status`` shows."""
    from docflow.records.views import records_summary

    spec = session.spec
    state = spec.states[session.row.state]
    return StatusView(
        project_code=session.code,
        project_name=session.data.project.name,
        workflow=spec.name,
        locale=session.locale,
        state=state.id,
        state_title=state.title.get(session.locale, state.id),
        phase=state.phase,
        final=state.final,
        version=session.row.version,
        transitions=tuple(step_view(s) for s in steps),
        documents=_documents(session),
        changes=_changes(session),
        chain_seq=session.row.head_seq,
        chain_head=session.row.head_hash,
        declines=declines(session),
        records=records_summary(session),
    )
