"""A change takes effect: the hook signing calls when a document is fully signed.

When every required party has signed the annex of an approved change request, the change is
effective: the store records it in the same transaction as the last signature, and afterwards
the change is written into the PM's ``project.yaml`` (a copy of the record the PM edits; if it
cannot follow, the change stays effective and the caller gets a warning).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docflow.errors import Conflict, DocflowError

if TYPE_CHECKING:
    from docflow.runtime.session import Session
    from docflow.runtime.workspace import Workspace
    from docflow.spec.change import ChangeRequestSpec
    from docflow.store.base import DocumentRow, WriteTx

__all__ = ["EffectiveChange", "on_document_signed"]


@dataclass(frozen=True)
class EffectiveChange:
    """A change request that became effective with the signature just recorded."""

    cr_id: str
    spec: ChangeRequestSpec

    def write_back(self, workspace: Workspace | None) -> str | None:
        """Write the change into project.yaml; the warning to show when that failed."""
        if workspace is None:
            return (
                f"{self.cr_id} is effective; project.yaml was not updated (the project was "
                "opened without its workspace folder): edit its requirements to match"
            )
        from docflow.changes.yamledit import apply_change_to_project_yaml

        try:
            apply_change_to_project_yaml(workspace.project_file, self.spec)
        except DocflowError as exc:
            # The change is effective in the store; the PM's file is only a copy to update.
            return (
                f"{self.cr_id} is effective, but project.yaml could not be updated "
                f"({exc.message}); edit its requirements to match (status lists the differences)"
            )
        return None


def on_document_signed(tx: WriteTx, session: Session, doc: DocumentRow) -> EffectiveChange | None:
    """Record the change that ``doc``, now signed by every party, makes effective (if any).

    Called inside the signing transaction: a change that no longer applies to the current
    requirements raises Conflict, and the signature is not recorded either.
    """
    ledger = session.ledger
    change = ledger.for_document(doc.doc_id)
    if change is None or change.status != "approved":
        return None
    from docflow.changes.rules import validate_change

    spec = ledger.spec_of(change)
    clash = [p for p in validate_change(spec, ledger.current()) if p.kind == "invalid"]
    if clash:
        raise Conflict(
            f"{change.cr_id} can no longer take effect ({clash[0].message}); "
            f"withdraw {change.cr_id} and file it again"
        )
    tx.update_change(change.cr_id, status="effective")
    tx.append_event(
        "change.effective", session.actor, {"change": change.cr_id, "document": doc.doc_id}
    )
    return EffectiveChange(change.cr_id, spec)
