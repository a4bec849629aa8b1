"""A project's change ledger: the baseline, the change requests and what follows from them.

The baseline is the requirement set frozen when the memo was confirmed; effective change
requests, applied in number order, give the current requirement set; whatever else
``project.yaml`` says about requirements is drift, which blocks every step that issues a
document. The ledger reads store rows only and never writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docflow.errors import InvalidInput
from docflow.guards import Blocker
from docflow.spec.project import Requirement

if TYPE_CHECKING:
    from docflow.changes.rules import Difference
    from docflow.spec.change import ChangeRequestSpec
    from docflow.store.base import ChangeRow

__all__ = ["UNDECIDED", "ChangeLedger", "drift_blockers"]

#: Change requests that are not settled yet: undecided, or approved with an unsigned annex.
UNDECIDED = ("open", "approved")


@dataclass(frozen=True)
class ChangeLedger:
    """The change-control facts of one project as read now."""

    project: str
    baseline_rows: Sequence[dict[str, Any]] | None
    changes: Sequence[ChangeRow]
    requirements_in_data: Sequence[Requirement]
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @staticmethod
    def spec_of(change: ChangeRow) -> ChangeRequestSpec:
        """The filed content of a change request."""
        # Loaded only once a project has change requests: status before that never needs it.
        from docflow.spec.change import ChangeRequestSpec

        return ChangeRequestSpec.model_validate(change.body)

    def find(self, cr_id: str) -> ChangeRow:
        """The change request ``cr_id`` (as typed: ``cr-3`` is CR-3), or a clear error (exit 4)
        naming the known ones."""
        from docflow.spec.names import change_id

        cr_id = change_id(cr_id)
        for change in self.changes:
            if change.cr_id == cr_id:
                return change
        known = ", ".join(c.cr_id for c in self.changes) or "none yet"
        raise InvalidInput(f"no change request {cr_id} in project {self.project} (known: {known})")

    def for_document(self, doc_id: str) -> ChangeRow | None:
        """The change request whose annex is ``doc_id``, or None."""
        return next((c for c in self.changes if c.doc_id == doc_id), None)

    def effective(self, before_annex: int | None = None) -> list[ChangeRow]:
        """Changes whose annex is signed, in number order; with ``before_annex``, only those
        whose annex comes before that one."""
        return [
            c
            for c in self.changes
            if c.status == "effective"
            and (before_annex is None or (c.annex is not None and c.annex < before_annex))
        ]

    def undecided(self) -> tuple[str, ...]:
        """Change requests undecided or approved with an unsigned annex."""
        return tuple(c.cr_id for c in self.changes if c.status in UNDECIDED)

    def baseline(self) -> list[Requirement] | None:
        """The requirement set frozen when the memo was confirmed (None before)."""
        if self.baseline_rows is None:
            return None
        return [Requirement.model_validate(r) for r in self.baseline_rows]

    def current(self, before_annex: int | None = None) -> list[Requirement]:
        """Baseline plus effective changes, delivered as project.yaml records it; project.yaml's
        list before the baseline. With ``before_annex``: plus only the effective changes whose
        annex comes before that one (the requirement set a contract annex amends)."""
        key = f"current:{before_annex}"
        if key not in self._cache:
            base = self.baseline()
            if base is None:
                self._cache[key] = list(self.requirements_in_data)
            else:
                from docflow.changes.rules import current_requirements, with_delivery

                specs = [self.spec_of(c) for c in self.effective(before_annex)]
                current = current_requirements(base, specs)
                self._cache[key] = with_delivery(current, self.requirements_in_data)
        return list(self._cache[key])

    def pending(self, statuses: Sequence[str]) -> list[Requirement]:
        """The requirement set once every change in ``statuses`` took effect, in number order.

        New ids and approvals are checked against it, so two pending changes cannot both add
        the same id or edit a requirement another one removes.
        """
        from docflow.changes.rules import apply_change
        from docflow.errors import SpecError

        requirements = self.current()
        for change in self.changes:
            if change.status in statuses:
                try:
                    requirements = apply_change(requirements, self.spec_of(change))
                except SpecError:
                    continue  # an open request that no longer applies is refused when decided
        return requirements

    def ratio(self, before_annex: int | None = None) -> float:
        """Distinct requirements touched by effective changes / baseline size; with
        ``before_annex``, by the effective changes whose annex comes before that one (what a
        change annex states as the ratio "before this annex", the same before and after it
        is signed)."""
        base = self.baseline()
        if not base:
            return 0.0
        from docflow.changes.rules import change_ratio

        return change_ratio(base, [self.spec_of(c) for c in self.effective(before_annex)])

    def drift(self) -> list[Difference]:
        """Differences between project.yaml's requirements and baseline + effective changes."""
        if "drift" not in self._cache:
            if self.baseline_rows is None:
                self._cache["drift"] = []
            else:
                from docflow.changes.rules import diff_requirements

                self._cache["drift"] = diff_requirements(
                    self.current(), list(self.requirements_in_data)
                )
        return list(self._cache["drift"])


def drift_blockers(ledger: ChangeLedger, locale: str) -> list[Blocker]:
    """Requirements changed in project.yaml after the baseline without an effective change."""
    zh = locale.startswith("zh")
    hint = (
        "；请提交变更申请（docflow change new）或恢复原值。"
        if zh
        else "; file a change request (docflow change new) or restore it."
    )
    return [
        Blocker("requirements_unchanged", diff.describe(locale) + hint, path=diff.path)
        for diff in ledger.drift()
    ]
