"""What a signer does through a link: open it, read the document, get a one-time code, sign
in the browser, upload a signed file or a scan, or decline.

Every action starts from the token alone: the link names its project, which is opened from
the store (:func:`stored_session`; the server has no folder of its own). A link that is not
open raises LinkGone (the page says 410), an unknown token LinkUnknown (404). A portal
signature is sealed and verified before the lock, then recorded in one transaction that also
claims the link, so of two requests on one link exactly one signs. Uploads go through
``docflow sign --file``'s own checks (:func:`docflow.app.signing.sign`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docflow.app.links import link_state, resolve
from docflow.app.wording import code_mail, consent_text, seal_words
from docflow.errors import Conflict, InvalidInput, LinkGone, ProjectChanged
from docflow.runtime.clock import now, today
from docflow.runtime.workspace import Workspace
from docflow.store.portal import PortalStore
from docflow.store.portal_rows import DeclineRow, LinkRow

if TYPE_CHECKING:
    from docflow.app.sealing import SealKey
    from docflow.app.signing import SignResult, Upload
    from docflow.runtime.session import Session
    from docflow.spec.workflow import WorkflowSpec
    from docflow.store.base import DocumentRow, Store

__all__ = [
    "CODE_MINUTES",
    "PortalForm",
    "Visitor",
    "code_required",
    "decline",
    "link_document",
    "party_email",
    "reachable_workspace",
    "send_code",
    "sign_on_link",
    "stored_session",
    "upload_on_link",
]

CODE_MINUTES = 10
MAX_CODE_ATTEMPTS = 5
_RETRIES = 3
_MAX_NAME = 100
_MAX_REASON = 2000


@dataclass(frozen=True)
class Visitor:
    """Who is on the other end of a request, as far as the server can tell."""

    ip: str | None
    user_agent: str | None


@dataclass(frozen=True)
class PortalForm:
    """What the signer filled in: name, drawing (strokes JSON), consent, one-time code."""

    signer: str
    drawing: str
    consent: bool
    code: str = ""


@functools.lru_cache(maxsize=32)
def _spec(workflow: str) -> WorkflowSpec:
    # Built-in workflows do not change while a server runs; checking one costs a file read
    # and a validation on every request otherwise.
    from docflow.runtime.session import load_spec
    from docflow.runtime.workspace import template_dirs

    return load_spec(workflow, template_dirs(None))


def stored_session(store: Store, code: str, actor: str) -> Session:
    """Project ``code`` from the already open ``store``, with the data its last step recorded."""
    from docflow.runtime.session import Session, recorded_data

    row = store.get_project(code)
    if row is None:
        raise LinkGone(f"project {code} is no longer in the store")
    data = recorded_data(store, row)
    if data is None:
        raise LinkGone(f"project {code} has no recorded project data")
    return Session(None, store, row, _spec(row.workflow), data, actor)


def reachable_workspace(session: Session) -> Workspace | None:
    """The project's workspace folder when this machine reaches it, else None."""
    folder = Path(session.row.workspace) if session.row.workspace else None
    if folder is None or not (folder / "project.yaml").is_file():
        return None
    return Workspace(folder)


def link_document(session: Session, link: LinkRow) -> DocumentRow:
    """The document version the link is for, if the link is open (LinkGone otherwise)."""
    newest = next((d for d in session.documents if d.doc_id == link.doc_id), None)
    signed = frozenset(
        s.party for s in session.signatures if (s.doc_id, s.version) == (link.doc_id, link.version)
    )
    state, _why = link_state(link, newest, signed, dt.datetime.now(dt.UTC))
    if state != "open" or newest is None:
        raise LinkGone(f"this signing link is {state}")
    return newest


def party_email(session: Session, party: str) -> str:
    """The party's address in the project data (the client's accountable person, else its
    contact; the vendor's contact, else its project manager), or ''."""
    side = getattr(session.data.parties, party, None)
    if side is None:
        return ""
    people = (
        [side.accountable_person, side.contact]
        if party == "client"
        else [side.contact, side.project_manager]
    )
    return next((p.email.strip() for p in people if p is not None and p.email.strip()), "")


def code_required(session: Session, party: str) -> bool:
    """Whether signing needs a one-time code: a mail server is set and the party has an address."""
    from docflow.app.mail import smtp_configured

    return smtp_configured() and bool(party_email(session, party))


def _code_sha(link_id: str, code: str) -> str:
    return hashlib.sha256(f"{link_id}:{code}".encode()).hexdigest()


def send_code(store: Store, token: str) -> str:
    """Mail a new one-time code to the link's party; the address, partly hidden."""
    from docflow.app.mail import send_mail

    link = resolve(store, token)
    session = stored_session(store, link.project, f"portal:{link.link_id}")
    link_document(session, link)
    if not code_required(session, link.party):
        raise InvalidInput("this portal sends no codes (no mail server or no address)")
    address = party_email(session, link.party)
    code = f"{secrets.randbelow(10**6):06d}"
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=CODE_MINUTES)
    PortalStore(store).set_code(
        link.link_id, _code_sha(link.link_id, code), expires.isoformat(timespec="milliseconds")
    )
    subject, body = code_mail(session.locale, link.doc_id, code)
    send_mail(address, subject, body)
    local, _, domain = address.partition("@")
    return f"{local[:2]}…@{domain}"


def _check_code(store: Store, session: Session, link: LinkRow, code: str) -> bool:
    """Whether a code was required and verified; InvalidInput when it is required and wrong."""
    if not code_required(session, link.party):
        return False
    code = code.strip()
    if not link.code_sha256 or not link.code_expires_at:
        raise InvalidInput("ask for a code first: it is sent to your e-mail address")
    attempts = PortalStore(store).count_code_attempt(link.link_id)
    expired = dt.datetime.now(dt.UTC) >= dt.datetime.fromisoformat(link.code_expires_at)
    if attempts > MAX_CODE_ATTEMPTS or expired:
        raise InvalidInput("the code has expired or was tried too often: ask for a new one")
    if not hmac.compare_digest(_code_sha(link.link_id, code), link.code_sha256):
        raise InvalidInput("the code is not right")
    return True


def _clean(text: str, what: str, most: int) -> str:
    text = " ".join(text.split())
    if not text:
        raise InvalidInput(f"{what} is required")
    if len(text) > most or any(ord(c) < 32 or 0x202A <= ord(c) <= 0x202E for c in text):
        raise InvalidInput(f"{what} must be at most {most} plain characters")
    return text


def sign_on_link(
    store: Store, token: str, form: PortalForm, visitor: Visitor, key: SealKey
) -> SignResult:
    """Sign the link's document as its party: drawing and name sealed into the party's field."""
    from docflow.app.sealing import parse_drawing

    name = _clean(form.signer, "your name", _MAX_NAME)
    drawing = parse_drawing(form.drawing)
    link = resolve(store, token)
    session = stored_session(store, link.project, f"portal:{link.link_id}")
    link_document(session, link)
    if not form.consent:
        raise InvalidInput("tick the statement to sign")
    verified = _check_code(store, session, link, form.code)
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

    name = _clean(signer, "your name", _MAX_NAME)
    link = resolve(store, token)
    session = stored_session(store, link.project, f"portal:{link.link_id}")
    doc = link_document(session, link)
    verified = _check_code(store, session, link, code)
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
    """Record that the link's party declines to sign, and why; the link is then used."""
    name = _clean(signer, "your name", _MAX_NAME)
    why = " ".join(reason.split())
    if not why or len(why) > _MAX_REASON:
        raise InvalidInput(f"say why you decline (at most {_MAX_REASON} characters)")
    link = resolve(store, token)
    session = stored_session(store, link.project, f"portal:{link.link_id}")
    doc = link_document(session, link)
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
    with store.write(session.code, None) as tx:
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
    return row
