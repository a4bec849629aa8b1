"""Signing through a link: a portal signature, an upload, or a decline.

A portal signature is sealed and verified before the lock, then recorded in one transaction
that also claims the link, so of two requests on one link (on one server or several) exactly
one signs; a writer that lost to an unrelated write seals again on the newer file. Uploads go
through ``docflow sign --file``'s own checks (:func:`docflow.app.signing.sign`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from docflow.app.links import resolve
from docflow.app.portal import (
    PortalForm,
    Visitor,
    check_code,
    clean_name,
    link_document,
    reachable_workspace,
    stored_session,
)
from docflow.app.wording import consent_text, seal_words
from docflow.errors import Conflict, InvalidInput, LinkGone, ProjectChanged
from docflow.runtime.clock import now, today
from docflow.store.portal import PortalStore
from docflow.store.portal_rows import DeclineRow

if TYPE_CHECKING:
    from docflow.app.sealing import SealKey
    from docflow.app.signing import SignResult, Upload
    from docflow.records.confirm import Confirmation
    from docflow.runtime.session import Session
    from docflow.store.base import DocumentRow, Store

__all__ = ["decline", "sign_on_link", "upload_on_link"]

_RETRIES = 3
_MAX_NAME = 100
_MAX_REASON = 2000


def sign_on_link(
    store: Store, token: str, form: PortalForm, visitor: Visitor, key: SealKey
) -> SignResult:
    """Sign the link's document as its party: drawing and name sealed into the party's field."""
    from docflow.app.sealing import parse_drawing

    link = resolve(store, token)
    session = stored_session(store, link.project, f"portal:{link.link_id}")
    link_document(session, link)
    name = clean_name(session, form.signer, _MAX_NAME)
    drawing = parse_drawing(form.drawing)
    if not form.consent:
        raise InvalidInput(session.tell("请勾选上面的声明后再签署", "tick the statement to sign"))
    verified = check_code(store, session, link, form.code)
    for _attempt in range(_RETRIES):
        try:
            return _sign_once(store, token, name, drawing, verified, visitor, key)
        except ProjectChanged:
            continue  # another party signed meanwhile: seal on the newer file
    raise ProjectChanged("the document kept changing while it was being signed; try again")


def _sign_once(
    store: Store,
    token: str,
    name: str,
    drawing: object,
    verified: bool,
    visitor: Visitor,
    key: SealKey,
) -> SignResult:
    from docflow.app.sealing import Drawing, seal_pdf
    from docflow.app.signing import record_signature
    from docflow.app.signorder import check_turn
    from docflow.documents.identity import files_of, signed_pdf_path
    from docflow.sign import verify_signed_pdf
    from docflow.store.base import SignatureRow

    assert isinstance(drawing, Drawing)
    link = resolve(store, token)
    session = stored_session(store, link.project, f"portal:{link.link_id}")
    doc = link_document(session, link)
    check_turn(session, doc, link.party)
    base = store.blob(doc.signed_pdf_sha256 or doc.pdf_sha256)
    if base is None:
        raise Conflict(f"the stored PDF of {doc.doc_id} is missing; the PM must verify it")
    sealed = seal_pdf(base, link.party, name, drawing, key, seal_words(session.locale))
    check = verify_signed_pdf(base, sealed, link.party)
    kind = session.kind_of(doc)
    all_signed = set(kind.signers if kind else ()) <= session.signed_by(doc) | {link.party}
    signed_rel = signed_pdf_path(files_of(doc)["pdf"])
    at = now()
    evidence = {
        "name": name,
        "at": at,
        "ip": visitor.ip,
        "user_agent": (visitor.user_agent or "")[:400] or None,
        "drawing_sha256": hashlib.sha256(drawing.canonical).hexdigest() if drawing else None,
        "consent": consent_text(session.locale),
        "code_verified": verified,
        "seal": key.subject,
    }
    with store.write(session.code, session.row.version) as tx:
        if not PortalStore.claim(tx, link.link_id, at):
            raise LinkGone("this signing link was used meanwhile")
        sha = tx.put_blob(sealed)
        if drawing:
            tx.put_blob(drawing.canonical)
        tx.set_signed_file(doc.doc_id, doc.version, sha)
        row = SignatureRow(
            doc_id=doc.doc_id,
            version=doc.version,
            party=link.party,
            signer=name,
            signed_on=today().isoformat(),
            method="portal",
            file_sha256=sha,
            file_name=Path(signed_rel).name,
            certificate=check.signer_subject,
            trust=check.trust_note,
            actor=session.actor,
            at=at,
        )
        extra = {"link": link.link_id, "evidence": evidence}
        effect = record_signature(
            tx, session, doc, row, trusted=check.trusted, all_signed=all_signed, extra=extra
        )
    return _after_signing(session, doc, sealed, signed_rel, effect, all_signed, check, row)


def _after_signing(
    session: Session,
    doc: DocumentRow,
    signed_pdf: bytes | None,
    signed_rel: str | None,
    effect: object,
    all_signed: bool,
    check: object,
    row: object,
) -> SignResult:
    """Write the files where the workspace is reachable, make the certificate, report."""
    from docflow.app.certificates import issue_if_due
    from docflow.app.signing import SignatureOutcome, SignResult
    from docflow.changes.effective import EffectiveChange
    from docflow.runtime.workspace import atomic_write
    from docflow.sign import SignatureCheck
    from docflow.store.base import SignatureRow
    from docflow.views.documents import document_view

    assert isinstance(row, SignatureRow) and isinstance(check, SignatureCheck)
    workspace = reachable_workspace(session)
    if workspace is not None and signed_pdf is not None and signed_rel is not None:
        try:
            atomic_write(workspace.root / signed_rel, signed_pdf)
        except OSError:
            workspace = None  # the store holds it; `docflow render` writes it there
    warning = effect.write_back(workspace) if isinstance(effect, EffectiveChange) else None
    fresh = session.refreshed()
    fresh.workspace = workspace
    certificate = None
    if all_signed:
        certificate, problem = issue_if_due(fresh, doc.doc_id)
        warning = "; ".join(w for w in (warning, problem) if w) or None
    return SignResult(
        document=document_view(fresh, fresh.find_document(doc.doc_id)),
        signature=SignatureOutcome(
            party=row.party,
            method=row.method,
            signer=row.signer,
            signed_on=row.signed_on,
            certificate=check.signer_subject,
            trusted=check.trusted,
            trust=check.trust_note,
            file=row.file_name,
            file_sha256=row.file_sha256,
            signed_file=signed_rel,
        ),
        change_effective=effect.cr_id if isinstance(effect, EffectiveChange) else None,
        warning=warning,
        certificate=certificate,
    )


def upload_on_link(
    store: Store, token: str, signer: str, upload: Upload, code: str, visitor: Visitor
) -> SignResult:
    """Record the link's party's signature from an uploaded signed PDF or scan, through the
    same checks as ``docflow sign --file``; then the link is used."""
    from docflow.app.signing import SignRequest, sign

    link = resolve(store, token)
    session = stored_session(store, link.project, f"portal:{link.link_id}")
    doc = link_document(session, link)
    name = clean_name(session, signer, _MAX_NAME)
    verified = check_code(store, session, link, code)
    session.workspace = reachable_workspace(session)
    result = sign(session, SignRequest(doc.doc_id, link.party, name, upload))
    with store.write(session.code, None) as tx:
        PortalStore.claim(tx, link.link_id, now())
        tx.append_event(
            "link.used",
            session.actor,
            {
                "link": link.link_id,
                "document": doc.doc_id,
                "version": doc.version,
                "party": link.party,
                "method": result.signature.method,
                "ip": visitor.ip,
                "user_agent": (visitor.user_agent or "")[:400] or None,
                "code_verified": verified,
            },
        )
    return result


def decline(store: Store, token: str, signer: str, reason: str, visitor: Visitor) -> DeclineRow:
    """Record that the link's party declines to sign, and why; the link is then used.

    For a document the party confirms by not objecting (minutes with a deemed-confirmation
    clock), declining is objecting: the same checks as ``docflow object`` (too late after the
    deadline, once per party and version) and a ``document.objected`` event in the same
    transaction, which stops the clock; the PM answers with a revised version."""
    link = resolve(store, token)
    session = stored_session(store, link.project, f"portal:{link.link_id}")
    link_document(session, link)
    name = clean_name(session, signer, _MAX_NAME)
    why = " ".join(reason.split())
    if not why or len(why) > _MAX_REASON:
        raise InvalidInput(
            session.tell(
                f"请写明理由（最多 {_MAX_REASON} 个字符）",
                f"say why you decline (at most {_MAX_REASON} characters)",
            )
        )
    for _attempt in range(_RETRIES):
        try:
            return _decline_once(store, token, name, why, visitor)
        except ProjectChanged:
            continue  # another write landed between reading and recording: check again
    raise Conflict(
        session.tell(
            "记录您的答复时项目一直在变化，请重新提交",
            "the project kept changing while your answer was recorded; send it again",
        )
    )


def objects_on_link(session: Session, doc: DocumentRow, party: str) -> Confirmation | None:
    """The deemed-confirmation clock ``party`` runs on ``doc``, when declining is objecting."""
    from docflow.records.confirm import confirmation_of

    state = confirmation_of(session, doc)
    return state if state is not None and state.party == party else None


def _decline_once(store: Store, token: str, name: str, why: str, visitor: Visitor) -> DeclineRow:
    link = resolve(store, token)
    session = stored_session(store, link.project, f"portal:{link.link_id}")
    doc = link_document(session, link)
    objection = None
    if objects_on_link(session, doc, link.party) is not None:
        from docflow.records.objections import check_objection, objection_event

        checked, _reason = check_objection(session, doc.doc_id, link.party, why, today())
        objection = objection_event(checked, link.party, why, today())
    at = now()
    row = DeclineRow(
        project=session.code,
        doc_id=doc.doc_id,
        version=doc.version,
        party=link.party,
        signer=name,
        reason=why,
        link_id=link.link_id,
        ip=visitor.ip,
        user_agent=(visitor.user_agent or "")[:400] or None,
        at=at,
    )
    # An objection is checked against the version read above, so its write is version-checked.
    with store.write(session.code, session.row.version if objection else None) as tx:
        if not PortalStore.claim(tx, link.link_id, at):
            raise LinkGone("this signing link was used meanwhile")
        PortalStore.insert_decline(tx, row)
        tx.append_event(
            "signature.declined",
            session.actor,
            {
                "document": doc.doc_id,
                "version": doc.version,
                "party": link.party,
                "signer": name,
                "reason": why,
                "link": link.link_id,
            },
        )
        if objection is not None:
            tx.append_event("document.objected", session.actor, {**objection, "link": link.link_id})
    return row
