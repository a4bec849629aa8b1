"""Withdrawing a recorded signature: the PM takes back a signature recorded by mistake.

A signature can be withdrawn, with a reason that the log keeps beside the actor, as long as
nothing has been built on it:

- no step has been taken that needed it (each step taken since the signature is evaluated
  again without it; a guard that would block names the step, exit 5);
- no change request became effective through it (its annex rewrote ``project.yaml``; only a
  new change request undoes that);
- no other party signed digitally on top of it: a digital signature is made on the signed
  file as it stood, so the file after the vendor's countersignature holds the client's
  signature too. Signatures come off in the reverse order they went on, each restoring the
  signed file that was current before it.

The document then awaits that party again (a fully signed one is issued again), and the party
may sign anew.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docflow.documents.identity import files_of
from docflow.errors import Conflict, InvalidInput
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.runtime.workspace import atomic_write
from docflow.sign.types import IN_FILE
from docflow.views.documents import DocumentView, SignatureView, document_view

if TYPE_CHECKING:
    from docflow.store.base import DocumentRow, SignatureRow

__all__ = ["Withdrawal", "steps_taken_on", "withdraw_signature"]


@dataclass(frozen=True)
class Withdrawal(Result):
    """The document after the withdrawal, the signature withdrawn and why."""

    document: DocumentView
    withdrawn: SignatureView
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The document's JSON with ``withdrawn`` (the signature) and ``reason``."""
        return {
            **self.document.to_dict(),
            "withdrawn": self.withdrawn.to_dict(),
            "reason": self.reason,
        }


def _signature(session: Session, doc: DocumentRow, party: str) -> SignatureRow:
    if doc.status in ("superseded", "void"):
        raise Conflict(
            session.tell(
                f"{doc.doc_id} v{doc.version} {session.status_word(doc.status)}，"
                "其签署记录保持不变",
                f"{doc.doc_id} v{doc.version} is {doc.status}; its signatures stay as they are",
            )
        )
    for sig in session.signatures_on(doc):
        if sig.party == party:
            return sig
    signed = ", ".join(sorted(session.signed_by(doc))) or "nobody"
    raise Conflict(
        f"{party} has not signed {doc.doc_id} v{doc.version} (signed by: {signed}); "
        "there is no signature to withdraw"
    )


def _refuse_effective_change(session: Session, doc: DocumentRow) -> None:
    change = session.ledger.for_document(doc.doc_id)
    if change is not None and change.status == "effective" and doc.status == "signed":
        raise Conflict(
            f"the signatures on {doc.doc_id} made {change.cr_id} effective and project.yaml "
            f"follows it; a signature on it cannot be withdrawn: file a change request that "
            f"undoes {change.cr_id}"
        )


def _refuse_signed_on_top(session: Session, doc: DocumentRow, sig: SignatureRow) -> None:
    if sig.method not in IN_FILE:
        return
    sigs = session.signatures_on(doc)
    later = [s for s in sigs[sigs.index(sig) + 1 :] if s.method in IN_FILE]
    if later:
        parties = ", ".join(s.party for s in later)
        raise Conflict(
            f"the {parties}'s digital signature on {doc.doc_id} v{doc.version} was made on "
            f"the file the {sig.party} signed, so it holds the {sig.party}'s signature too: "
            f"withdraw the {parties}'s signature first"
        )


def steps_taken_on(session: Session, doc: DocumentRow, party: str | None) -> list[str]:
    """The steps taken since ``party``'s signature on ``doc`` (since ``doc`` was issued when
    ``party`` is None) whose guards would block without that signature (without the document,
    when None): each as ``trigger (from -> to)``."""
    from docflow.guards import evaluate

    events = session.store.events(session.code)
    since = doc.event_seq
    if party is not None:
        since = max(
            (
                e.seq
                for e in events
                if e.type == "signature"
                and e.data.get("document") == doc.doc_id
                and e.data.get("version") == doc.version
                and e.data.get("party") == party
            ),
            default=0,
        )
    snap = session.snapshot()
    facts = snap.documents.get(doc.code)
    if facts is None or facts.id != doc.doc_id:
        return []  # a newer document of the kind is the one guards read
    documents = dict(snap.documents)
    if party is None:
        del documents[doc.code]
    else:
        documents[doc.code] = dataclasses.replace(
            facts, status="issued", signed_by=facts.signed_by - {party}
        )
    without = dataclasses.replace(snap, documents=documents)
    taken = []
    for event in events:
        if event.seq <= since or event.type != "step":
            continue
        source = str(event.data.get("from"))
        transition = session.spec.transition(source, str(event.data.get("trigger")))
        if transition is None:
            continue
        for guard in transition.guards:
            before = set(evaluate(guard.type, guard.params, snap))
            if set(evaluate(guard.type, guard.params, without)) - before:
                taken.append(f"{transition.trigger} ({source} -> {event.data.get('to')})")
                break
    return taken


def withdraw_signature(session: Session, doc_id: str, party: str, reason: str) -> Withdrawal:
    """Withdraw ``party``'s signature on the newest version of ``doc_id``, for ``reason``.

    Conflict (exit 5) when there is none, when a step taken since needed it, when it made a
    change effective, or when another party signed digitally on top of it; nothing is
    recorded then.
    """
    if not reason.strip():
        raise InvalidInput("a withdrawal needs a reason: say why the signature is withdrawn")
    doc = session.find_document(doc_id)
    sig = _signature(session, doc, party)
    _refuse_effective_change(session, doc)
    _refuse_signed_on_top(session, doc, sig)
    taken = steps_taken_on(session, doc, sig.party)
    if taken:
        raise Conflict(
            f"step {taken[0]} was taken on the {sig.party}'s signature on {doc.doc_id} "
            f"v{doc.version}; it cannot be withdrawn now"
        )
    earlier = [s for s in session.signatures_on(doc) if s.method in IN_FILE and s is not sig]
    restored = earlier[-1].file_sha256 if sig.method in IN_FILE and earlier else None
    with session.store.write(session.code, session.row.version) as tx:
        tx.remove_signature(doc.doc_id, doc.version, party)
        if sig.method in IN_FILE:
            tx.set_signed_file(doc.doc_id, doc.version, restored)
        if doc.status == "signed":
            tx.set_document_status(doc.doc_id, doc.version, "issued")
        tx.append_event(
            "signature.withdrawn",
            session.actor,
            {
                "document": doc.doc_id,
                "version": doc.version,
                "party": party,
                "signer": sig.signer,
                "method": sig.method,
                "signed_on": sig.signed_on,
                "file_sha256": sig.file_sha256,
                "reason": reason.strip(),
                "signed_file": restored if sig.method in IN_FILE else doc.signed_pdf_sha256,
            },
        )
    if sig.method in IN_FILE and session.workspace is not None:
        _write_back(session, doc, restored)
    fresh = session.refreshed()
    return Withdrawal(
        document=document_view(fresh, fresh.find_document(doc.doc_id)),
        withdrawn=SignatureView.of(sig),
        reason=reason.strip(),
    )


def _write_back(session: Session, doc: DocumentRow, restored: str | None) -> None:
    """Put the signed file as it stood before the withdrawn signature (or none) on disk."""
    workspace = session.folder("withdrawing a signature")
    rel = files_of(doc).get("signed_pdf")
    if rel is None:
        return
    path = workspace.root / rel
    data = session.store.blob(restored) if restored else None
    if data is None:
        path.unlink(missing_ok=True)
    else:
        atomic_write(path, data)
