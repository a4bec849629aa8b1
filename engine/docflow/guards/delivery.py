"""Guards on what was delivered: undelivered requirements and the acceptance conclusion.

Both read the current requirement set the runtime hands over (baseline plus effective changes,
with delivery as project.yaml records it), so a requirement added by a change counts as much
as one of the memo, and a priority lowered in project.yaml without a change does not count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from docflow.guards.base import Blocker, Params, Snapshot, is_empty, resolve
from docflow.spec.project import Priority

__all__ = ["AcceptanceConclusion", "RequirementsDelivered", "undelivered"]


def _requirements(snap: Snapshot) -> Sequence[Mapping[str, Any]]:
    if snap.requirements is not None:
        return snap.requirements
    return resolve(snap.data, "requirements") or []


def _yaml_path(snap: Snapshot, rid: str) -> str:
    """``requirements[i].delivered`` for the project.yaml entry of ``rid``."""
    for i, item in enumerate(resolve(snap.data, "requirements") or []):
        if resolve(item, "id") == rid:
            return f"requirements[{i}].delivered"
    return "requirements"


def undelivered(snap: Snapshot, priorities: Sequence[str]) -> list[Mapping[str, Any]]:
    """The current requirements of ``priorities`` that are not delivered, in order."""
    return [
        r
        for r in _requirements(snap)
        if r.get("priority") in priorities and r.get("delivered") is not True
    ]


class RequirementsDeliveredParams(Params):
    block_priorities: list[Priority] = ["must"]
    require_followup: bool = True
    open_items_path: str = "acceptance.open_items"


class RequirementsDelivered:
    """Undelivered requirements of ``block_priorities`` block the step; every other one is
    an open item and, with ``require_followup``, needs a deadline in ``open_items_path``."""

    name: ClassVar[str] = "requirements_delivered"
    params: ClassVar[type[Params]] = RequirementsDeliveredParams

    def evaluate(self, params: RequirementsDeliveredParams, snap: Snapshot) -> list[Blocker]:
        """One blocker per blocking requirement and per open one without owner or deadline."""
        blockers = []
        for req in undelivered(snap, params.block_priorities):
            path = _yaml_path(snap, str(req.get("id")))
            blockers.append(
                Blocker(
                    self.name,
                    snap.say(
                        f"需求 {req.get('id')}（{req.get('title')}）尚未交付，"
                        f"交付前不能执行此步骤；交付后将 project.yaml 中的 {path} 设为 true。",
                        f"requirement {req.get('id')} ({req.get('title')}) is not delivered and "
                        f"blocks this step; once delivered set {path} to true in project.yaml.",
                    ),
                    path=path,
                )
            )
        if not params.require_followup:
            return blockers
        rest = [p for p in ("must", "should", "could") if p not in params.block_priorities]
        entries = {
            resolve(e, "requirement"): e for e in resolve(snap.data, params.open_items_path) or []
        }
        owner = resolve(snap.data, "parties.vendor.project_manager.name")
        for req in undelivered(snap, rest):
            entry = entries.get(req.get("id"))
            missing = [
                field
                for field, value in (
                    ("owner", (resolve(entry, "owner") if entry else None) or owner),
                    ("due", resolve(entry, "due") if entry else None),
                )
                if is_empty(value)
            ]
            if not missing:
                continue
            path = params.open_items_path
            blockers.append(
                Blocker(
                    self.name,
                    snap.say(
                        f"需求 {req.get('id')}（{req.get('title')}）尚未交付，将列为遗留事项，"
                        f"须写明责任人与完成期限：在 project.yaml 的 {path} 中加入 "
                        f"{{requirement: {req.get('id')}, owner: 姓名, due: YYYY-MM-DD}}。",
                        f"requirement {req.get('id')} ({req.get('title')}) is not delivered and "
                        f"becomes an open item, which needs an owner and a deadline: add "
                        f"{{requirement: {req.get('id')}, owner: NAME, due: YYYY-MM-DD}} to "
                        f"{path} in project.yaml.",
                    ),
                    path=path,
                )
            )
        return blockers


class AcceptanceConclusionParams(Params):
    path: str = "acceptance.conclusion"
    passing: list[str] = ["pass"]
    require_passing: bool = False
    delivered_priorities: list[Priority] = ["must"]


class AcceptanceConclusion:
    """The acceptance conclusion is given, a passing one only with every requirement of
    ``delivered_priorities`` delivered, and (with ``require_passing``) it is a passing one."""

    name: ClassVar[str] = "acceptance_conclusion"
    params: ClassVar[type[Params]] = AcceptanceConclusionParams

    def evaluate(self, params: AcceptanceConclusionParams, snap: Snapshot) -> list[Blocker]:
        """A blocker for a missing, contradicted or (when required) failing conclusion."""
        value = resolve(snap.data, params.path)
        path = params.path
        if is_empty(value):
            return [
                Blocker(
                    self.name,
                    snap.say(
                        f"project.yaml 中的 {path} 尚未填写（{' / '.join(params.passing)} 等）。",
                        f"project.yaml: {path} is empty; give the conclusion.",
                    ),
                    path=path,
                )
            ]
        passing = value in params.passing
        if params.require_passing and not passing:
            return [
                Blocker(
                    self.name,
                    snap.say(
                        f"project.yaml 中的 {path} 为 {value}，不是验收通过的结论"
                        f"（{' / '.join(params.passing)}）。",
                        f"project.yaml: {path} is {value}, not a passing conclusion "
                        f"({' / '.join(params.passing)}).",
                    ),
                    path=path,
                )
            ]
        open_ = undelivered(snap, params.delivered_priorities) if passing else []
        if not open_:
            return []
        ids = ", ".join(str(r.get("id")) for r in open_)
        return [
            Blocker(
                self.name,
                snap.say(
                    f"project.yaml 中的 {path} 为 {value}（验收通过），但需求 {ids} 尚未交付；"
                    "交付这些需求，或改为不通过的结论。",
                    f"project.yaml: {path} is {value} (passed) but requirement(s) {ids} are not "
                    "delivered; deliver them or give a conclusion that does not pass.",
                ),
                path=path,
            )
        ]
