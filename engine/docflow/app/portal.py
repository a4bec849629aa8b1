"""A link's project and document as the portal sees them: the project opened from the store
alone, whether the link is open, the party's address and one-time codes.

Every action starts from the token alone: the link names its project, which is opened from
the store (:func:`stored_session`; the server has no folder of its own). A link that is not
open raises LinkGone (the page says 410), an unknown token LinkUnknown (404). Signing,
uploading and declining are :mod:`docflow.app.portal_sign`.
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
from docflow.app.wording import code_mail
from docflow.errors import InvalidInput, LinkGone
from docflow.runtime.workspace import Workspace
from docflow.store.portal import PortalStore
from docflow.store.portal_rows import LinkRow

if TYPE_CHECKING:
    from docflow.runtime.session import Session
    from docflow.spec.workflow import WorkflowSpec
    from docflow.store.base import DocumentRow, Store

__all__ = [
    "CODE_MINUTES",
    "PortalForm",
    "Visitor",
    "check_code",
    "clean_name",
    "code_required",
    "link_document",
    "party_email",
    "reachable_workspace",
    "send_code",
    "stored_session",
]

CODE_MINUTES = 10
MAX_CODE_ATTEMPTS = 5


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
        raise InvalidInput(
            session.tell(
                "本签署页不发送验证码（未配置邮件服务器或没有邮箱地址）",
                "this portal sends no codes (no mail server or no address)",
            )
        )
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


def check_code(store: Store, session: Session, link: LinkRow, code: str) -> bool:
    """Whether a code was required and verified; InvalidInput when it is required and wrong
    (each try counts, and a code stops working after five)."""
    if not code_required(session, link.party):
        return False
    code = code.strip()
    tell = session.tell
    if not link.code_sha256 or not link.code_expires_at:
        raise InvalidInput(
            tell(
                "请先获取验证码：验证码会发送到您的邮箱",
                "ask for a code first: it is sent to your e-mail address",
            )
        )
    attempts = PortalStore(store).count_code_attempt(link.link_id)
    expired = dt.datetime.now(dt.UTC) >= dt.datetime.fromisoformat(link.code_expires_at)
    if attempts > MAX_CODE_ATTEMPTS or expired:
        raise InvalidInput(
            tell(
                "验证码已过期或尝试次数过多：请重新获取",
                "the code has expired or was tried too often: ask for a new one",
            )
        )
    if not hmac.compare_digest(_code_sha(link.link_id, code), link.code_sha256):
        raise InvalidInput(tell("验证码不正确", "the code is not right"))
    return True


def clean_name(session: Session, text: str, most: int) -> str:
    """A signer's name with its white space collapsed; InvalidInput, in the project's
    language, when empty, too long or holding control or bidirectional characters."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput(session.tell("请填写您的姓名", "your name is required"))
    if len(text) > most or any(ord(c) < 32 or 0x202A <= ord(c) <= 0x202E for c in text):
        raise InvalidInput(
            session.tell(
                f"姓名最多 {most} 个字符，且不能含控制字符",
                f"your name must be at most {most} plain characters",
            )
        )
    return text
