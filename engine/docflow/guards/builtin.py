"""The built-in guard types of docflow.

Each explains itself in the project's locale and names the ``project.yaml`` path (or the
document) to fix. Workflow definitions choose and parameterise them; nothing here knows a
phase, state or document by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from docflow.guards.base import Blocker, Params, Snapshot, is_empty, resolve
from docflow.guards.delivery import AcceptanceConclusion, RequirementsDelivered
from docflow.guards.records import ConfirmedInPhase, NoOverdueActions, SatisfactionRecorded

__all__ = [
    "AcceptanceConclusion",
    "AllItems",
    "ConfirmedInPhase",
    "DocumentSigned",
    "FactTrue",
    "FieldsPresent",
    "MinItems",
    "NoOpenChanges",
    "NoOverdueActions",
    "RequirementsDelivered",
    "SatisfactionRecorded",
]


def _matches(item: Any, where: Mapping[str, Any]) -> bool:
    return all(resolve(item, key) == value for key, value in where.items())


def _where_text(where: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in where.items())


def _empty(guard: str, snap: Snapshot, path: str) -> Blocker:
    """The blocker for a project.yaml path that must be filled in."""
    return Blocker(
        guard,
        snap.say(
            f"project.yaml 中的 {path} 尚未填写，请补充。",
            f"project.yaml: {path} is empty; fill it in.",
        ),
        path=path,
    )


class FieldsPresentParams(Params):
    paths: list[str]
    if_positive: str | None = None  # only when the number at this path is above zero


def _positive(snap: Snapshot, path: str | None) -> bool:
    """True without a path, else whether the number at ``path`` is above zero."""
    if path is None:
        return True
    number = resolve(snap.data, path)
    if isinstance(number, bool) or not isinstance(number, int | float | Decimal):
        return False
    return number > 0


class FieldsPresent:
    """Each named path of project.yaml is filled in (when the ``if_positive`` number is)."""

    name: ClassVar[str] = "fields_present"
    params: ClassVar[type[Params]] = FieldsPresentParams

    def evaluate(self, params: FieldsPresentParams, snap: Snapshot) -> list[Blocker]:
        """One blocker per empty path."""
        if not _positive(snap, params.if_positive):
            return []
        return [
            _empty(self.name, snap, path)
            for path in params.paths
            if is_empty(resolve(snap.data, path))
        ]


class CountCondition(Params):
    path: str
    min: int


class MinItemsParams(Params):
    path: str
    min: int = 1
    where: dict[str, Any] = {}
    require: list[str] = []
    if_count_at_least: CountCondition | None = None
    if_positive: str | None = None  # only when the number at this path is above zero


class MinItems:
    """A list holds at least ``min`` items (matching ``where``), each with ``require`` filled;
    only when ``if_count_at_least`` holds and the number at ``if_positive`` is above zero."""

    name: ClassVar[str] = "min_items"
    params: ClassVar[type[Params]] = MinItemsParams

    def evaluate(self, params: MinItemsParams, snap: Snapshot) -> list[Blocker]:
        """Blockers for too few items and for each matching item missing a required field."""
        cond = params.if_count_at_least
        if cond is not None:
            counted = resolve(snap.data, cond.path) or []
            if len(counted) < cond.min:
                return []
        if not _positive(snap, params.if_positive):
            return []
        items = resolve(snap.data, params.path) or []
        indexed = [(i, it) for i, it in enumerate(items) if _matches(it, params.where)]
        blockers: list[Blocker] = []
        if len(indexed) < params.min:
            which = f" ({_where_text(params.where)})" if params.where else ""
            blockers.append(
                Blocker(
                    self.name,
                    snap.say(
                        f"project.yaml 中的 {params.path}{which} 至少需要 {params.min} 项，"
                        f"目前有 {len(indexed)} 项。",
                        f"project.yaml: {params.path}{which} needs at least {params.min} "
                        f"item(s); it has {len(indexed)}.",
                    ),
                    path=params.path,
                )
            )
        for i, item in indexed:
            for field in params.require:
                if is_empty(resolve(item, field)):
                    blockers.append(_empty(self.name, snap, f"{params.path}[{i}].{field}"))
        return blockers


class AllItemsParams(Params):
    path: str
    field: str
    where: dict[str, Any] = {}


class AllItems:
    """Every item of a list (matching ``where``) has ``field`` true."""

    name: ClassVar[str] = "all_items"
    params: ClassVar[type[Params]] = AllItemsParams

    def evaluate(self, params: AllItemsParams, snap: Snapshot) -> list[Blocker]:
        """One blocker per item whose field is not true."""
        items = resolve(snap.data, params.path) or []
        blockers = []
        for i, item in enumerate(items):
            if not _matches(item, params.where) or resolve(item, params.field) is True:
                continue
            path = f"{params.path}[{i}].{params.field}"
            label = resolve(item, "id") or resolve(item, "topic") or resolve(item, "title") or ""
            named = f"（{label}）" if label else ""
            named_en = f" ({label})" if label else ""
            blockers.append(
                Blocker(
                    self.name,
                    snap.say(
                        f"project.yaml 中的 {path}{named} 不是 true。",
                        f"project.yaml: {path}{named_en} is not true.",
                    ),
                    path=path,
                )
            )
        return blockers


class FactTrueParams(Params):
    path: str


class FactTrue:
    """A boolean fact of project.yaml is true."""

    name: ClassVar[str] = "fact_true"
    params: ClassVar[type[Params]] = FactTrueParams

    def evaluate(self, params: FactTrueParams, snap: Snapshot) -> list[Blocker]:
        """A blocker unless the path holds ``true``."""
        if resolve(snap.data, params.path) is True:
            return []
        return [
            Blocker(
                self.name,
                snap.say(
                    f"project.yaml 中的 {params.path} 需要为 true。",
                    f"project.yaml: {params.path} must be true.",
                ),
                path=params.path,
            )
        ]


class DocumentSignedParams(Params):
    document: str
    parties: list[str]


_PARTY = {"client": ("甲方", "the client"), "vendor": ("乙方", "the vendor")}


class DocumentSigned:
    """The newest live version of a document is signed by the given parties."""

    name: ClassVar[str] = "document_signed"
    params: ClassVar[type[Params]] = DocumentSignedParams

    def evaluate(self, params: DocumentSignedParams, snap: Snapshot) -> list[Blocker]:
        """A blocker if the document is missing, or one per party that has not signed."""
        code = params.document
        title = snap.document_titles.get(code, code)
        facts = snap.documents.get(code)
        if facts is None:
            return [
                Blocker(
                    self.name,
                    snap.say(
                        f"{title}（{code}）尚未出具。", f"{title} ({code}) has not been issued."
                    ),
                    document=code,
                )
            ]
        return [
            Blocker(
                self.name,
                snap.say(
                    f"{facts.id}（{title}）等待{_PARTY.get(p, (p, p))[0]}签署："
                    f"docflow sign {facts.id} --party {p} --signer 姓名",
                    f"{facts.id} ({title}) awaits {_PARTY.get(p, (p, p))[1]}'s signature: "
                    f"docflow sign {facts.id} --party {p} --signer NAME",
                ),
                document=facts.id,
            )
            for p in params.parties
            if p not in facts.signed_by
        ]


class NoParams(Params):
    pass


class NoOpenChanges:
    """No change request is waiting for a decision or for its annex to be signed."""

    name: ClassVar[str] = "no_open_changes"
    params: ClassVar[type[Params]] = NoParams

    def evaluate(self, params: NoParams, snap: Snapshot) -> list[Blocker]:
        """One blocker per undecided change request."""
        return [
            Blocker(
                self.name,
                snap.say(
                    f"变更申请 {cr} 尚未决定或其变更附件尚未签署完毕。",
                    f"change request {cr} is undecided or its change annex is not fully signed.",
                ),
                document=cr,
            )
            for cr in snap.open_changes
        ]


BUILTIN = (
    FieldsPresent,
    MinItems,
    AllItems,
    FactTrue,
    DocumentSigned,
    NoOpenChanges,
    RequirementsDelivered,
    AcceptanceConclusion,
    ConfirmedInPhase,
    NoOverdueActions,
    SatisfactionRecorded,
)
