"""Requirement sets under change control: validate, apply, diff and measure change requests.

Pure functions over ``Requirement`` lists, the rules of change control. The baseline frozen at
confirmation plus the effective change requests, in the order they took effect, give the
current requirement set (:mod:`docflow.changes.ledger`); anything else in ``project.yaml`` is
drift.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from docflow.errors import Problem, SpecError
from docflow.spec.change import EDITABLE_FIELDS, ChangeRequestSpec, RequirementEdit
from docflow.spec.project import Requirement

__all__ = [
    "Difference",
    "apply_change",
    "change_ratio",
    "current_requirements",
    "diff_requirements",
    "next_requirement_id",
    "outstanding_change",
    "ratio_level",
    "ratio_sentence",
    "validate_change",
    "with_delivery",
]

DifferenceKind = Literal["added", "removed", "edited"]
RatioLevel = Literal["ok", "warn", "alarm"]

_DEFAULT_PREFIX = {"functional": "FR-", "non_functional": "NFR-", "interface": "IR-"}
_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")

_FIELD_LABELS_ZH = {
    "id": "编号",
    "title": "标题",
    "description": "描述",
    "type": "类型",
    "priority": "优先级",
    "source": "来源",
    "delivered": "交付状态",
}


@dataclass(frozen=True)
class Difference:
    """One way a requirement list departs from the expected one.

    ``fields`` names the edited fields (empty unless ``kind`` is "edited"); ``index`` is the
    entry's position in the actual list, None for a removed requirement.
    """

    kind: DifferenceKind
    id: str
    fields: tuple[str, ...] = ()
    index: int | None = None

    @property
    def path(self) -> str:
        """The ``project.yaml`` path to fix: the entry itself, or the list for a removal."""
        return "requirements" if self.index is None else f"requirements[{self.index}]"

    def describe(self, locale: str = "en") -> str:
        """One sentence saying what drifted, in zh-CN or en (any other locale gets English)."""
        if locale.lower().startswith("zh"):
            if self.kind == "added":
                what = "在 project.yaml 中被新增"
            elif self.kind == "removed":
                what = "从 project.yaml 中被删除"
            else:
                labels = "、".join(_FIELD_LABELS_ZH.get(f, f) for f in self.fields)
                what = f"在 project.yaml 中被修改（{labels}）"
            return f"需求 {self.id} {what}，但没有已生效的变更申请"
        if self.kind == "added":
            what = "added in project.yaml"
        elif self.kind == "removed":
            what = "removed from project.yaml"
        else:
            what = f"edited ({', '.join(self.fields)}) in project.yaml"
        return f"requirement {self.id} {what} without an effective change request"


def validate_change(spec: ChangeRequestSpec, current: Sequence[Requirement]) -> list[Problem]:
    """Every reason ``spec`` cannot apply to ``current``; an empty list when it can.

    Each problem's ``path`` points into the change request. ``kind`` is "invalid" when the
    change cannot apply, "empty" when it changes nothing at all and "no_effect" for an edit
    that gives every field the value it has already.
    """
    existing = {r.id: r for r in current}
    problems: list[Problem] = []
    if not (spec.adds or spec.modifies or spec.removes):
        problems.append(
            Problem("the change request adds, edits and removes no requirement", kind="empty")
        )
    added: set[str] = set()
    for i, req in enumerate(spec.adds):
        if req.id in existing:
            problems.append(Problem(f"requirement {req.id} exists already", path=f"adds[{i}].id"))
        elif req.id in added:
            problems.append(Problem(f"requirement {req.id} is added twice", path=f"adds[{i}].id"))
        added.add(req.id)
    modified: set[str] = set()
    for i, edit in enumerate(spec.modifies):
        path = f"modifies[{i}].id"
        if edit.id in modified:
            problems.append(Problem(f"requirement {edit.id} is edited twice", path=path))
        elif edit.id not in existing:
            problems.append(Problem(f"requirement {edit.id} does not exist", path=path))
        elif _apply_edit(existing[edit.id], edit.changes()) == existing[edit.id]:
            problems.append(
                Problem(
                    f"the edit of {edit.id} gives every field the value it has already",
                    path=path,
                    kind="no_effect",
                )
            )
        modified.add(edit.id)
    removed: set[str] = set()
    for i, rid in enumerate(spec.removes):
        path = f"removes[{i}]"
        if rid in removed:
            problems.append(Problem(f"requirement {rid} is removed twice", path=path))
        elif rid not in existing:
            problems.append(Problem(f"requirement {rid} does not exist", path=path))
        elif rid in modified:
            problems.append(Problem(f"requirement {rid} is both edited and removed", path=path))
        removed.add(rid)
    return problems


def next_requirement_id(
    current: Sequence[Requirement], type: str = "functional", also_taken: Collection[str] = ()
) -> str:
    """The next free id for a requirement of ``type``, following the ids already used.

    The prefix and zero padding come from the last numbered id of that type (FR-022 gives
    FR-023). With none of that type, they come from the functional ids when other types are
    numbered in the same series (R-024 gives R-025), else the type's own prefix (NFR-, IR-)
    with the functional ids' padding; "FR-001" when there is nothing to follow. The number
    follows the highest of its series, so ids in ``also_taken`` (say, of requirements removed
    since the baseline) are never reused.
    """
    taken = [r.id for r in current] + list(also_taken)
    numbered = [(r.type, m) for r in current if (m := _NUMBERED.match(r.id))]
    own = [m for kind, m in numbered if kind == type]
    functional = [m for kind, m in numbered if kind == "functional"]
    if own:
        prefix, width = own[-1]["prefix"], len(own[-1]["number"])
    elif functional and any(
        kind != "functional" and m["prefix"] == functional[-1]["prefix"] for kind, m in numbered
    ):
        prefix, width = functional[-1]["prefix"], len(functional[-1]["number"])
    else:
        prefix = _DEFAULT_PREFIX.get(type, "FR-")
        width = len(functional[-1]["number"]) if functional else 3
    series = [
        int(m["number"]) for rid in taken if (m := _NUMBERED.match(rid)) and m["prefix"] == prefix
    ]
    return f"{prefix}{max(series, default=0) + 1:0{width}d}"


def apply_change(current: Sequence[Requirement], spec: ChangeRequestSpec) -> list[Requirement]:
    """The requirement set after ``spec``: edits in place, then removals, then additions.

    Raises SpecError when the change cannot apply (an unknown id, an id added that exists).
    """
    # an empty change or an edit without effect is pointless, not impossible
    blocking = [p for p in validate_change(spec, current) if p.kind == "invalid"]
    if blocking:
        raise SpecError(blocking)
    edits = {e.id: e.changes() for e in spec.modifies}
    removed = set(spec.removes)
    result = [_apply_edit(r, edits[r.id]) if r.id in edits else r for r in current]
    return [r for r in result if r.id not in removed] + list(spec.adds)


def outstanding_change(
    spec: ChangeRequestSpec, held: Sequence[Requirement]
) -> ChangeRequestSpec | None:
    """The part of ``spec`` that ``held`` does not reflect yet; None when it reflects all.

    Used to write an effective change into a project.yaml the PM may have edited already.

    An added id that the file holds with other values becomes an edit to the added values:
    the effective change is what both parties signed.
    """
    by_id = {r.id: r for r in held}
    adds: list[Requirement] = []
    edits: list[RequirementEdit] = []
    for req in spec.adds:
        if req.id not in by_id:
            adds.append(req)
        elif by_id[req.id] != req:
            held_req = by_id[req.id]
            fields = {
                f: getattr(req, f)
                for f in EDITABLE_FIELDS
                if getattr(held_req, f) != getattr(req, f)
            }
            edits.append(RequirementEdit(id=req.id, **fields))
    for edit in spec.modifies:
        old = by_id.get(edit.id)
        todo = {f: v for f, v in edit.changes().items() if old is None or getattr(old, f) != v}
        if todo:
            edits.append(RequirementEdit(id=edit.id, **todo))
    removes = [rid for rid in spec.removes if rid in by_id]
    if not (adds or edits or removes):
        return None
    return spec.model_copy(update={"adds": adds, "modifies": edits, "removes": removes})


def current_requirements(
    baseline: Sequence[Requirement], effective_changes: Sequence[ChangeRequestSpec]
) -> list[Requirement]:
    """The baseline with every effective change applied, in the order they took effect."""
    result = list(baseline)
    for spec in effective_changes:
        result = apply_change(result, spec)
    return result


def with_delivery(
    requirements: Sequence[Requirement], held: Sequence[Requirement]
) -> list[Requirement]:
    """``requirements`` with each one's ``delivered`` as ``held`` (project.yaml) records it.

    Delivery is progress, not part of what was agreed: the baseline keeps the flag it had when
    frozen, so documents and guards take the current one from project.yaml. A requirement
    project.yaml does not hold counts as not delivered.
    """
    delivered = {r.id: r.delivered for r in held}
    return [
        r
        if r.delivered == delivered.get(r.id, False)
        else r.model_copy(update={"delivered": delivered.get(r.id, False)})
        for r in requirements
    ]


def diff_requirements(
    expected: Sequence[Requirement],
    actual: Sequence[Requirement],
    ignore: Collection[str] = ("delivered",),
) -> list[Difference]:
    """How ``actual`` departs from ``expected``: edited and removed entries, then added ones.

    Order does not count. ``delivered`` is ignored by default: marking delivery is progress
    recorded during deployment, not a change of what was agreed.
    """
    fields = [f for f in Requirement.model_fields if f != "id" and f not in ignore]
    index: dict[str, int] = {}
    for i, req in enumerate(actual):
        index.setdefault(req.id, i)
    diffs: list[Difference] = []
    for req in expected:
        if req.id not in index:
            diffs.append(Difference("removed", req.id))
            continue
        other = actual[index[req.id]]
        edited = tuple(f for f in fields if getattr(req, f) != getattr(other, f))
        if edited:
            diffs.append(Difference("edited", req.id, edited, index[req.id]))
    known = {r.id for r in expected}
    for i, req in enumerate(actual):
        # a second entry with a known id is an addition too: the list grew
        if req.id not in known or index[req.id] != i:
            diffs.append(Difference("added", req.id, (), i))
    return diffs


def change_ratio(
    baseline: Sequence[Requirement], effective_changes: Sequence[ChangeRequestSpec]
) -> float:
    """Distinct requirement ids touched by effective changes / baseline size (0.0 if empty)."""
    if not baseline:
        return 0.0
    touched = {rid for spec in effective_changes for rid in spec.touched_ids()}
    return len(touched) / len(baseline)


def ratio_level(ratio: float, warn: float, alarm: float) -> RatioLevel:
    """ "alarm" from ``alarm`` on, "warn" from ``warn`` on, otherwise "ok"."""
    if ratio >= alarm:
        return "alarm"
    if ratio >= warn:
        return "warn"
    return "ok"


def ratio_sentence(level: str, ratio: float, warn: float, alarm: float, locale: str) -> str:
    """The change-ratio warning a PM reads in ``status``: empty when the level is ok."""
    zh = locale.lower().startswith("zh")
    if level == "alarm":
        return (
            f"变更比例 {ratio:.0%} 已达到警报线 {alarm:.0%}：需求变更已失控，"
            "请与甲方复核范围，必要时重新签订合同。"
            if zh
            else f"the change ratio {ratio:.0%} has reached the alarm threshold {alarm:.0%}: "
            "the scope is out of control; review it with the client, and renegotiate the "
            "contract if need be."
        )
    if level == "warn":
        return (
            f"变更比例 {ratio:.0%} 已超过提醒线 {warn:.0%}：请评估剩余变更对进度和费用的影响。"
            if zh
            else f"the change ratio {ratio:.0%} is past the warning threshold {warn:.0%}: "
            "assess what further changes do to schedule and cost."
        )
    return ""


def _apply_edit(req: Requirement, changes: dict[str, Any]) -> Requirement:
    """``req`` with ``changes`` applied, validated again as a whole."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise SpecError([Problem(f"fields {sorted(unknown)} of {req.id} cannot be edited")])
    return Requirement.model_validate({**req.model_dump(), **changes})
