"""A change request as the subject of the documents issued about it (the change annex).

Change requests are items docflow keeps itself: a document kind declared ``per: change`` is
about one of them, and its template reads the data built here under ``subject`` and
``change``. Edited and removed requirements carry their title before the change; an edit
lists the new values (``fields``) and the old ones (``before``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from docflow.documents.subjects import Subject
from docflow.errors import Problem, SpecError
from docflow.spec.change import ChangeRequestSpec
from docflow.spec.project import Requirement

if TYPE_CHECKING:
    from docflow.changes.ledger import ChangeLedger
    from docflow.store.base import ChangeRow

__all__ = ["CHANGE", "change_context", "change_subject"]

#: The item kind of change requests, as a workflow names it in ``per: change``.
CHANGE = "change"


def change_context(
    cr_id: str,
    spec: ChangeRequestSpec,
    current: Sequence[Requirement],
    annex: int | None,
    requested_on: dt.date,
    decided_on: dt.date | None,
) -> dict[str, Any]:
    """The template data of change request ``cr_id``; ``current`` is the set it applies to."""
    by_id = {r.id: r for r in current}
    missing = [rid for rid in [m.id for m in spec.modifies] + spec.removes if rid not in by_id]
    if missing:
        raise SpecError(
            [Problem(f"{cr_id} names requirement {rid}, which does not exist") for rid in missing]
        )
    modifies = []
    for edit in spec.modifies:
        old = by_id[edit.id]
        new = edit.changes()
        modifies.append(
            {
                "id": edit.id,
                "title": old.title,
                "fields": new,
                "before": {f: getattr(old, f) for f in new},
            }
        )
    return {
        "id": cr_id,
        "title": spec.title,
        "reason": spec.reason,
        "adds": [r.model_dump(mode="python") for r in spec.adds],
        "modifies": modifies,
        "removes": [{"id": rid, "title": by_id[rid].title} for rid in spec.removes],
        "days": spec.days,
        "cost": spec.cost,
        "payment": spec.payment,
        "risks": list(spec.risks),
        "requested_on": requested_on,
        "decided_on": decided_on,
        "annex": annex,
    }


def change_subject(
    ledger: ChangeLedger,
    change: ChangeRow,
    annex: int | None = None,
    decided_on: dt.date | None = None,
) -> Subject:
    """The subject of a document about ``change``: its data against the requirements it amends.

    ``annex`` and ``decided_on`` default to what the store recorded (for re-rendering); an
    approval passes the annex number and date it is about to record.
    """
    if decided_on is None and change.decided_at:
        decided_on = dt.date.fromisoformat(change.decided_at[:10])
    annex = annex if annex is not None else change.annex
    data = change_context(
        change.cr_id,
        ledger.spec_of(change),
        # What the change amends: the requirements before its annex (once it is effective,
        # the current set holds its own edits).
        ledger.current(annex),
        annex,
        dt.date.fromisoformat(change.requested_at[:10]),
        decided_on,
    )
    return Subject(CHANGE, change.cr_id, data)
