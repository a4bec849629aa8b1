"""Guard types over the records kept along the way: meeting minutes confirmed before the
project leaves their phase, no overdue action items, the satisfaction survey returned.

Each blocker names the document or the action item to deal with, and the command that does.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from docflow.guards.base import Blocker, Params, Snapshot
from docflow.guards.facts import ConfirmFacts

__all__ = ["ConfirmedInPhase", "NoOverdueActions", "SatisfactionRecorded"]

_PARTY = {"client": ("甲方", "the client"), "vendor": ("乙方", "the vendor")}


class ConfirmedInPhaseParams(Params):
    document: str = Field(pattern=r"^[A-Z][A-Z0-9]{0,7}$")


def _unconfirmed(guard: str, facts: ConfirmFacts, snap: Snapshot) -> Blocker:
    who_zh, who_en = _PARTY.get(facts.party, (facts.party, facts.party))
    named = f"{facts.title} {facts.id}（{facts.label}）"
    named_en = f"{facts.title} {facts.id} ({facts.label})"
    if facts.objected:
        message = snap.say(
            f"{named}：{who_zh}已提出异议，请修订后重新发出："
            f"docflow meeting edit {facts.id} --file 修订后的纪要.yaml",
            f"{named_en}: {who_en} objected; revise it and send it again: "
            f"docflow meeting edit {facts.id} --file corrected.yaml",
        )
    else:
        until = facts.deadline.isoformat() if facts.deadline is not None else None
        message = snap.say(
            f"{named}尚未经{who_zh}确认"
            + (f"，异议期至 {until} 止" if until else "")
            + f"：docflow sign {facts.id} --party {facts.party} --signer 姓名",
            f"{named_en} is not confirmed by {who_en}"
            + (f" (objections until {until})" if until else "")
            + f": docflow sign {facts.id} --party {facts.party} --signer NAME",
        )
    return Blocker(guard, message, document=facts.id)


class ConfirmedInPhase:
    """Every document of kind ``document`` recorded in the current phase (the minutes of its
    meetings) is confirmed: signed, or deemed confirmed after its deadline passed."""

    name: ClassVar[str] = "confirmed_in_phase"
    params: ClassVar[type[Params]] = ConfirmedInPhaseParams

    def evaluate(self, params: ConfirmedInPhaseParams, snap: Snapshot) -> list[Blocker]:
        """One blocker per unconfirmed document of the phase."""
        records = snap.records
        return [
            _unconfirmed(self.name, facts, snap)
            for facts in records.minutes
            if facts.code == params.document
            and facts.phase == records.phase
            and not facts.confirmed
        ]


class NoOverdueActionsParams(Params):
    party: Literal["client", "vendor"] | None = None  # None: both parties


class NoOverdueActions:
    """No action item of ``party`` (of either party by default) is open past its due date."""

    name: ClassVar[str] = "no_overdue_actions"
    params: ClassVar[type[Params]] = NoOverdueActionsParams

    def evaluate(self, params: NoOverdueActionsParams, snap: Snapshot) -> list[Blocker]:
        """One blocker per overdue action item."""
        today = snap.records.today
        if today is None:
            return []
        blockers = []
        for item in snap.records.actions:
            if not item.open or item.due >= today:
                continue
            if params.party is not None and item.party != params.party:
                continue
            source = item.id.partition("#")[0]
            who_zh, who_en = _PARTY.get(item.party, (item.party, item.party))
            blockers.append(
                Blocker(
                    self.name,
                    snap.say(
                        f"待办事项 {item.id}（{who_zh} {item.owner}：{item.task}）已于 "
                        f"{item.due.isoformat()} 到期，尚未完成；完成后在下一次会议纪要中"
                        f"列入 closes: [{item.id}]。",
                        f"action item {item.id} ({who_en}, {item.owner}: {item.task}) of "
                        f"{source} was due on {item.due.isoformat()} and is still open; once "
                        f"done, list it in the next meeting's minutes (closes: [{item.id}]).",
                    ),
                    document=item.id,
                )
            )
        return blockers


class SatisfactionRecordedParams(Params):
    min_average: float | None = Field(default=None, ge=1)


class SatisfactionRecorded:
    """The client returned the satisfaction survey (with an average score of at least
    ``min_average``, when given)."""

    name: ClassVar[str] = "satisfaction_recorded"
    params: ClassVar[type[Params]] = SatisfactionRecordedParams

    def evaluate(self, params: SatisfactionRecordedParams, snap: Snapshot) -> list[Blocker]:
        """A blocker while no answers are recorded, or while their average is too low."""
        survey = snap.records.survey
        if survey is None or survey.id is None:
            title = survey.title if survey is not None else "satisfaction survey"
            return [
                Blocker(
                    self.name,
                    snap.say(f"{title}尚未出具。", f"The {title} has not been issued."),
                )
            ]
        if survey.responses == 0:
            return [
                Blocker(
                    self.name,
                    snap.say(
                        f"{survey.title} {survey.id} 尚未收回：docflow satisfaction record "
                        "--file 答卷.yaml",
                        f"{survey.title} {survey.id} has not been returned: docflow "
                        "satisfaction record --file answers.yaml",
                    ),
                    document=survey.id,
                )
            ]
        average = survey.average or 0.0
        if params.min_average is not None and average < params.min_average:
            return [
                Blocker(
                    self.name,
                    snap.say(
                        f"{survey.title} {survey.id} 的平均分 {average:.2f} 低于要求的 "
                        f"{params.min_average:.2f}。",
                        f"{survey.title} {survey.id} averages {average:.2f}, below the "
                        f"{params.min_average:.2f} required.",
                    ),
                    document=survey.id,
                )
            ]
        return []
