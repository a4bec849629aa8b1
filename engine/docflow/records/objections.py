"""Objections: a party that is asked to sign a document says why it will not, instead.

An objection is recorded against the document's current version (``document.objected``); it
stops that version's deemed-confirmation clock, when its kind has one, provided it is dated
on or before the deadline. The document stays issued: the answer is a new version (for
minutes ``docflow meeting edit``, for any other document corrected data and ``docflow
render``), which the party is asked to sign again.

An objection must be recorded by the deadline: once the deadline has passed, the version
counts as confirmed for every reader (``status`` says so), and an objection dated earlier
but recorded later would turn that back; it is refused, whatever date it carries.

What this does not catch: who the objecting person really is (the command line trusts its
actor, as it does for recorded signatures; the portal authenticates its links), and an
objection the party made in time by letter that reaches the PM only after the deadline
(record objections when they arrive; corrected minutes can still be issued as a new version).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docflow.errors import Conflict, InvalidInput
from docflow.records.confirm import DEEMED, Confirmation, confirmation_of
from docflow.records.observe import raw_store, record_deemed, unrecorded
from docflow.runtime.clock import today
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.views.documents import DocumentView, document_view

if TYPE_CHECKING:
    from docflow.store.base import DocumentRow

__all__ = ["ObjectionResult", "check_objection", "object_document", "objection_event"]

_MAX_REASON = 2000


@dataclass(frozen=True)
class ObjectionResult(Result):
    """The objection recorded, and the document as it stands now."""

    document: DocumentView
    version: int
    party: str
    reason: str
    on: str
    confirmation: Confirmation | None


def check_objection(
    session: Session, doc_id: str, party: str, reason: str, on: dt.date
) -> tuple[DocumentRow, str]:
    """The live version ``party`` may object to on ``on``, and the reason as recorded.

    Refused (InvalidInput / Conflict) when the reason is empty or too long, the party does not
    sign the document or signed it already, the version is not live, the date is before the
    issue or in the future, the party objected already, or the deemed-confirmation deadline
    has passed (as of today, whatever date the objection carries)."""
    tell = session.tell
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            tell(
                "提出异议须写明理由：请说明文件哪里有误",
                "an objection needs a reason: say what is wrong with the document",
            )
        )
    if len(reason) > _MAX_REASON:
        raise InvalidInput(
            tell(
                f"理由超过 {_MAX_REASON} 个字符，请精简",
                f"the reason is over {_MAX_REASON} characters; shorten it",
            )
        )
    doc = session.find_document(doc_id)
    kind = session.kind_of(doc)
    signers = tuple(kind.signers) if kind is not None else ()
    name = f"{doc_id} v{doc.version}"
    if doc.status != "issued":
        raise Conflict(
            tell(
                f"{name} {session.status_word(doc.status)}，无可异议",
                f"{name} is {doc.status}; there is nothing to object to",
            )
        )
    if party not in signers:
        who = "、".join(session.party_word(p) for p in signers) or "无"
        raise Conflict(
            tell(
                f"{doc_id} 不需要{session.party_word(party)}签署（需签署方：{who}）；"
                "只有被请求签署的一方可以提出异议",
                f"{doc_id} is not for the {party} to sign (signers: "
                f"{', '.join(signers) or 'none'}); only a party asked to sign can object",
            )
        )
    if on < dt.date.fromisoformat(doc.issued_on):
        raise InvalidInput(
            tell(
                f"异议日期 {on.isoformat()} 早于 {name} 的签发日期（{doc.issued_on}）",
                f"objection date {on.isoformat()} is before {name} was issued ({doc.issued_on})",
            )
        )
    if on > today():
        raise InvalidInput(
            tell(
                f"异议日期 {on.isoformat()} 晚于今天",
                f"objection date {on.isoformat()} is in the future",
            )
        )
    if any(s.party == party for s in session.signatures_on(doc)):
        raise Conflict(
            tell(
                f"{session.party_word(party)}已签署 {name}",
                f"the {party} has signed {name} already",
            )
        )
    if any(o.party == party for o in session.records.objections_on(doc_id, doc.version)):
        raise Conflict(
            tell(
                f"{session.party_word(party)}已对 {name} 提出过异议",
                f"the {party} has objected to {name} already",
            )
        )
    # As of today, not as of the objection's date: what readers were shown stays true.
    state = confirmation_of(session, doc)
    if state is not None and state.party == party and state.state == DEEMED:
        raise Conflict(
            tell(
                f"{name} 自 {state.deadline} 起已视为{session.party_word(party)}确认"
                f"（签发日 {state.issued_on} 后第 {state.working_days} 个工作日为异议期最后一天）；"
                f"{today().isoformat()} 记录的异议（异议日期 {on.isoformat()}）已逾期",
                f"{name} counts as confirmed by the {party} since "
                f"{state.deadline}, the last day to object ({state.working_days} working days "
                f"after {state.issued_on}); an objection recorded on {today().isoformat()} "
                f"(dated {on.isoformat()}) is too late",
            )
        )
    return doc, reason


def objection_event(doc: DocumentRow, party: str, reason: str, on: dt.date) -> dict[str, Any]:
    """The data of the ``document.objected`` event recording this objection."""
    return {
        "document": doc.doc_id,
        "version": doc.version,
        "party": party,
        "reason": reason,
        "on": on.isoformat(),
    }


def object_document(
    session: Session, doc_id: str, party: str, reason: str, date: dt.date | None = None
) -> ObjectionResult:
    """Record ``party``'s objection to the current version of ``doc_id`` dated ``date``
    (default today); refused as :func:`check_objection` says."""
    on = date or today()
    doc, reason = check_objection(session, doc_id, party, reason, on)
    # Other documents that came due are recorded first, as any write does.
    due = unrecorded(session, skip=(doc_id,))
    with raw_store(session.store).write(session.code, session.row.version) as tx:
        if due:
            record_deemed(tx, session, due)
        tx.append_event("document.objected", session.actor, objection_event(doc, party, reason, on))
    fresh = session.refreshed()
    current = fresh.find_document(doc_id)
    return ObjectionResult(
        document=document_view(fresh, current),
        version=doc.version,
        party=party,
        reason=reason,
        on=on.isoformat(),
        confirmation=confirmation_of(fresh, current),
    )
