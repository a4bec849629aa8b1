"""Signing order: which parties of a document must sign before another may.

A document kind's ``signing_order`` (else the workflow's ``signatures.order``) lists parties
that sign one after another; parties it does not list sign whenever they like. Every way of
signing (``docflow sign``, the portal's links, uploads) asks :func:`check_turn` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docflow.errors import Conflict

if TYPE_CHECKING:
    from docflow.runtime.session import Session
    from docflow.store.base import DocumentRow

__all__ = ["check_turn", "signing_order", "waiting_for"]


def signing_order(session: Session, doc: DocumentRow) -> tuple[str, ...]:
    """The parties of ``doc`` that sign in turn, in their order (empty: any order)."""
    kind = session.kind_of(doc)
    if kind is None:
        return ()
    order = kind.signing_order if kind.signing_order is not None else session.spec.signatures.order
    return tuple(party for party in order if party in kind.signers)


def waiting_for(session: Session, doc: DocumentRow, party: str) -> tuple[str, ...]:
    """The parties that must sign ``doc`` before ``party`` and have not yet."""
    order = signing_order(session, doc)
    if party not in order:
        return ()
    signed = session.signed_by(doc)
    return tuple(p for p in order[: order.index(party)] if p not in signed)


def check_turn(session: Session, doc: DocumentRow, party: str) -> None:
    """Conflict unless it is ``party``'s turn to sign ``doc``."""
    waiting = waiting_for(session, doc, party)
    if waiting:
        order = signing_order(session, doc)
        word = session.party_word
        raise Conflict(
            session.tell(
                f"{doc.doc_id} v{doc.version} 按{'、'.join(word(p) for p in order)}的顺序签署："
                f"{'和'.join(word(p) for p in waiting)}须先于{word(party)}签署",
                f"{doc.doc_id} v{doc.version} is signed in the order {' then '.join(order)}: "
                f"the {' and the '.join(waiting)} must sign before the {party}",
            )
        )
