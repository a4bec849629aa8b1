"""Signing links: a random token for one party of one document version, single use.

The token (256 random bits, URL-safe) is shown once, in the link's URL; the store keeps only
its sha256, so a copy of the store does not let anyone sign. A link is bound to the document
version it was made for, its party and an expiry. Its state is derived each time it is read:
``revoked`` (by the PM, or the document was superseded or voided), ``used`` (its party
signed or declined, through the link or any other way), ``expired``, else ``open``.
Making and revoking a link are events of the project's chain (the token never is).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docflow.errors import Conflict, EnvironmentProblem, InvalidInput, LinkUnknown
from docflow.runtime.clock import now
from docflow.runtime.result import Result
from docflow.store.portal import PortalStore
from docflow.store.portal_rows import LinkRow

if TYPE_CHECKING:
    from docflow.runtime.session import Session
    from docflow.store.base import DocumentRow, Store

__all__ = [
    "BASE_URL_ENV",
    "DEFAULT_EXPIRES_DAYS",
    "SigningLink",
    "link_state",
    "link_view",
    "list_links",
    "resolve",
    "revoke_link",
    "share",
    "token_sha256",
]

BASE_URL_ENV = "DOCFLOW_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_EXPIRES_DAYS = 14
MAX_EXPIRES_DAYS = 365
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True)
class SigningLink(Result):
    """One signing link as the PM sees it (``url`` only when it was just made)."""

    link_id: str
    url: str | None
    document: str
    version: int
    party: str
    expires: str
    state: str
    detail: str | None
    email: str | None
    sent: bool | None
    created_by: str
    created_at: str
    viewed_at: str | None
    used_at: str | None
    revoked_at: str | None


def token_sha256(token: str) -> str:
    """The sha256 (hex) under which the store keeps a token."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def base_url(given: str | None = None) -> str:
    """The portal's public address: ``given``, else ``DOCFLOW_BASE_URL``, else localhost."""
    url = (given or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip().rstrip("/")
    if not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", url):
        raise InvalidInput(f"the portal address {url[:80]!r} is not an http(s) URL")
    return url


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def link_state(
    link: LinkRow, newest: DocumentRow | None, signed: frozenset[str], at: dt.datetime
) -> tuple[str, str | None]:
    """(state, why) of ``link``: ``newest`` is its document's newest version, ``signed`` the
    parties that signed the link's version."""
    if link.revoked_at:
        return "revoked", f"revoked by {link.revoked_by}"
    if link.used_at:
        return "used", None
    if newest is None or newest.version != link.version:
        later = f" by v{newest.version}" if newest is not None else ""
        return "revoked", f"{link.doc_id} v{link.version} was superseded{later}"
    if newest.status == "void":
        return "revoked", f"{link.doc_id} v{link.version} is void"
    if link.party in signed:
        return "used", f"the {link.party} has signed {link.doc_id} v{link.version}"
    if at >= _instant(link.expires_at):
        return "expired", None
    return "open", None


def link_view(
    link: LinkRow,
    newest: DocumentRow | None,
    signed: frozenset[str],
    *,
    url: str | None = None,
    sent: bool | None = None,
) -> SigningLink:
    """The PM's view of one link, its state as of now."""
    state, detail = link_state(link, newest, signed, dt.datetime.now(dt.UTC))
    return SigningLink(
        link_id=link.link_id,
        url=url,
        document=link.doc_id,
        version=link.version,
        party=link.party,
        expires=link.expires_at,
        state=state,
        detail=detail,
        email=link.email,
        sent=sent,
        created_by=link.created_by,
        created_at=link.created_at,
        viewed_at=link.viewed_at,
        used_at=link.used_at,
        revoked_at=link.revoked_at,
    )


def _signed(session: Session, doc_id: str, version: int) -> frozenset[str]:
    return frozenset(
        s.party for s in session.signatures if (s.doc_id, s.version) == (doc_id, version)
    )


def _newest(session: Session, doc_id: str) -> DocumentRow | None:
    return next((d for d in session.documents if d.doc_id == doc_id), None)


def _check_shareable(session: Session, doc: DocumentRow, party: str) -> None:
    from docflow.app.signing import _already_signed, _not_a_signer

    kind = session.kind_of(doc)
    signers = tuple(kind.signers) if kind else ()
    if party not in signers:
        raise Conflict(_not_a_signer(session, doc, party, signers))
    if doc.status != "issued":
        raise Conflict(
            session.tell(
                f"{doc.doc_id} v{doc.version} {session.status_word(doc.status)}，不能再发签署链接",
                f"{doc.doc_id} v{doc.version} is {doc.status}; it takes no signing link",
            )
        )
    if party in session.signed_by(doc):
        raise Conflict(_already_signed(session, doc, party))


def share(
    session: Session,
    doc_id: str,
    party: str,
    *,
    expires_days: int = DEFAULT_EXPIRES_DAYS,
    email: str | None = None,
    url: str | None = None,
) -> SigningLink:
    """Make a signing link for ``party`` on the newest version of ``doc_id``; with ``email``
    the link is sent there when a mail server is configured (``sent`` says whether)."""
    from docflow.app.mail import smtp_configured

    doc = session.find_document(doc_id)
    _check_shareable(session, doc, party)
    if not 1 <= expires_days <= MAX_EXPIRES_DAYS:
        raise InvalidInput(
            session.tell(
                f"链接有效期须为 1 至 {MAX_EXPIRES_DAYS} 天，不能是 {expires_days} 天",
                f"a link expires after 1 to {MAX_EXPIRES_DAYS} days, not {expires_days}",
            )
        )
    address = _address(email) if email else None
    public = base_url(url)
    token = secrets.token_urlsafe(32)
    created = now()
    expires = (_instant(created) + dt.timedelta(days=expires_days)).isoformat(
        timespec="milliseconds"
    )
    row = LinkRow(
        link_id=secrets.token_hex(5),
        token_sha256=token_sha256(token),
        project=session.code,
        doc_id=doc.doc_id,
        version=doc.version,
        party=party,
        email=address,
        created_by=session.actor,
        created_at=created,
        expires_at=expires,
        revoked_at=None,
        revoked_by=None,
        used_at=None,
        viewed_at=None,
        code_sha256=None,
        code_expires_at=None,
        code_attempts=0,
    )
    with session.store.write(session.code, None) as tx:
        PortalStore.insert_link(tx, row)
        tx.append_event(
            "link.created",
            session.actor,
            {
                "link": row.link_id,
                "document": doc.doc_id,
                "version": doc.version,
                "party": party,
                "expires": expires,
                "email": address,
            },
        )
    link_url = f"{public}/s/{token}"
    sent = None
    if address is not None:
        sent = smtp_configured()
        if sent:
            _send_link(session, doc, party, address, link_url, expires)
    return link_view(row, doc, frozenset(), url=link_url, sent=sent)


def _address(email: str) -> str:
    from docflow.app.mail import check_address

    return check_address(email)


def _send_link(
    session: Session, doc: DocumentRow, party: str, to: str, url: str, expires: str
) -> None:
    from docflow.app.mail import send_mail
    from docflow.app.wording import link_mail

    subject, body = link_mail(session.locale, session.data.project.name, doc, party, url, expires)
    try:
        send_mail(to, subject, body)
    except EnvironmentProblem as exc:
        raise EnvironmentProblem(
            f"link {url.rsplit('/', 1)[0]}/… was made but not sent: {exc.message}"
        ) from exc


def revoke_link(session: Session, link_id: str) -> SigningLink:
    """Revoke an open or expired link of this project; a used or revoked one is a Conflict."""
    portal = PortalStore(session.store)
    link = portal.link(link_id.strip())
    if link is None or link.project != session.code:
        raise InvalidInput(
            session.tell(
                f"项目 {session.code} 中没有签署链接 {link_id!r}",
                f"no signing link {link_id!r} in project {session.code}",
            )
        )
    with session.store.write(session.code, None) as tx:
        if not PortalStore.revoke(tx, link.link_id, session.actor, now()):
            state = "revoked" if link.revoked_at else "used"
            raise Conflict(
                session.tell(
                    f"签署链接 {link.link_id} 已{'撤销' if link.revoked_at else '使用'}",
                    f"signing link {link.link_id} is {state} already",
                )
            )
        tx.append_event(
            "link.revoked",
            session.actor,
            {"link": link.link_id, "document": link.doc_id, "version": link.version},
        )
    fresh = portal.link(link.link_id)
    assert fresh is not None
    return link_view(
        fresh, _newest(session, link.doc_id), _signed(session, link.doc_id, link.version)
    )


def list_links(session: Session) -> tuple[SigningLink, ...]:
    """Every link of the project, oldest first, each with its state now."""
    return tuple(
        link_view(link, _newest(session, link.doc_id), _signed(session, link.doc_id, link.version))
        for link in PortalStore(session.store).links(session.code)
    )


def resolve(store: Store, token: str) -> LinkRow:
    """The link a token opens; LinkUnknown for anything else (a malformed token included)."""
    if not _TOKEN.match(token):
        raise LinkUnknown("no signing link has this address")
    link = PortalStore(store).link_by_token(token_sha256(token))
    if link is None:
        raise LinkUnknown("no signing link has this address")
    return link
