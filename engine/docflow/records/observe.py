"""Recording deemed confirmations: once, by the first command that writes after a deadline.

A deemed confirmation follows from the record and the date alone, so every reader works it
out the same way and none needs to write (``status`` stays a read). It enters the record
with the next write transaction of the project, whatever the command: the transaction first
records each confirmation that has come due since the last write (the party's signature row
of method ``deemed``, dated the deadline, and a ``document.deemed_confirmed`` event), then
what the command itself writes, so that the log shows the confirmation before the step or
signature that relied on it. :class:`ObservingStore` does this around a session's store; the
application API installs it for every operation.

Limits: a transaction that does not check the project's version (filing a change request)
records nothing, since what it would record may have changed under it; the next one does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from docflow.records.confirm import DEEMED, Confirmation, confirmation_of
from docflow.runtime.clock import now, today

if TYPE_CHECKING:
    from docflow.runtime.session import Session
    from docflow.store.base import Store, WriteTx

__all__ = ["ObservingStore", "observe", "raw_store", "record_deemed", "unrecorded"]


def unrecorded(session: Session, skip: Sequence[str] = ()) -> list[Confirmation]:
    """The deemed confirmations that hold today but are not in the record yet."""
    found = []
    for doc_id, version in session.deemed:
        if doc_id in skip:
            continue
        doc = next(d for d in session.documents if (d.doc_id, d.version) == (doc_id, version))
        state = confirmation_of(session, doc)
        if state is not None and state.state == DEEMED and not state.recorded:
            found.append(state)
    return found


def record_deemed(tx: WriteTx, session: Session, due: Sequence[Confirmation]) -> None:
    """Record each confirmation as its party's signature and an event; a version whose
    signers are then complete becomes ``signed``."""
    from docflow.store.base import SignatureRow

    for state in due:
        doc = next(
            d for d in session.documents if (d.doc_id, d.version) == (state.document, state.version)
        )
        tx.add_signature(
            SignatureRow(
                doc_id=state.document,
                version=state.version,
                party=state.party,
                signer="",
                signed_on=state.deadline,
                method=DEEMED,
                file_sha256=None,
                file_name=None,
                certificate=None,
                trust=None,
                actor=session.actor,
                at=now(),
            )
        )
        tx.append_event(
            "document.deemed_confirmed",
            session.actor,
            {
                "document": state.document,
                "version": state.version,
                "party": state.party,
                "issued_on": state.issued_on,
                "working_days": state.working_days,
                "deadline": state.deadline,
                "observed_on": today().isoformat(),
            },
        )
        kind = session.kind_of(doc)
        recorded = {s.party for s in session.signatures_on(doc)} | {state.party}
        if kind is not None and set(kind.signers) <= recorded:
            tx.set_document_status(doc.doc_id, doc.version, "signed")
            tx.append_event(
                "document.signed", session.actor, {"document": doc.doc_id, "version": doc.version}
            )


class ObservingStore:
    """A session's store whose write transactions start by recording due confirmations."""

    def __init__(self, store: Store, session: Session) -> None:
        self._store = store
        self._session = session

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    @property
    def wrapped_store(self) -> Store:
        """The store beneath (code that needs the store's own class reads this)."""
        return self._store

    @contextlib.contextmanager
    def write(self, code: str, expected_version: int | None) -> Iterator[WriteTx]:
        """The store's transaction, after the deemed confirmations that came due."""
        due: list[Confirmation] = []
        fresh: Session | None = None
        if expected_version is not None and code == self._session.code:
            fresh = self._session.refreshed()
            # A version other than the expected one fails the transaction anyway.
            if fresh.row.version == expected_version:
                due = unrecorded(fresh)
        with self._store.write(code, expected_version) as tx:
            if due and fresh is not None:
                record_deemed(tx, fresh, due)
            yield tx


def raw_store(store: Store) -> Store:
    """The store beneath an :class:`ObservingStore` (or the store itself)."""
    return store.wrapped_store if isinstance(store, ObservingStore) else store


def observe(session: Session) -> Session:
    """Let every write of ``session`` (and of sessions refreshed from it) record due
    confirmations first; a workflow without deemed confirmation is left as it is."""
    deemed = any(k.deemed_confirmed is not None for k in session.spec.documents.values())
    if deemed and not isinstance(session.store, ObservingStore):
        session.store = cast("Store", ObservingStore(session.store, session))
    return session
