"""The signing portal over one store: what ``docflow serve`` (and any other front end) calls.

A :class:`Portal` holds an open store (its connection pool) and the server's seal key, and
nothing else: every answer is read from the store, so any number of processes on one store
serve the same links::

    from docflow import api

    portal = api.Portal.open("postgresql://…", seal_p12=p12, password=b"…")
    page = portal.link_page(token)                  # LinkUnknown (404) / LinkGone (410)
    result = portal.sign(token, api.PortalForm("王晓东", strokes, consent=True),
                         api.Visitor("203.0.113.9", "Mozilla/5.0 …"))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docflow.runtime.result import Result

if TYPE_CHECKING:
    from docflow.app.dashboard import Overview, ProjectPage
    from docflow.app.portal import PortalForm, Visitor
    from docflow.app.sealing import SealKey
    from docflow.app.signing import SignResult, Upload
    from docflow.runtime.session import Session
    from docflow.store.base import DocumentRow, Store
    from docflow.store.portal_rows import LinkRow
    from docflow.views.portal import DeclineView

__all__ = ["LinkPage", "Portal"]


@dataclass(frozen=True)
class LinkPage(Result):
    """What the signing page shows for an open link."""

    link_id: str
    project: str
    project_name: str
    locale: str
    document: str
    title: str
    version: int
    party: str
    pages: int
    expires: str
    waiting_for: tuple[str, ...]
    signed_by: tuple[str, ...]
    code_required: bool
    consent: str
    online: bool = True
    # The last day to object, when the party confirms this document by not objecting (then
    # declining is objecting), and whether objecting is still possible.
    objection_deadline: str | None = None
    objection_open: bool = False


class Portal:
    """The portal's operations on one store (see the module docstring)."""

    def __init__(self, store: Store, seal: SealKey | None = None) -> None:
        self.store = store
        self.seal = seal

    @classmethod
    def open(
        cls, store_url: str, *, seal_p12: bytes | None = None, password: bytes | None = None
    ) -> Portal:
        """Open the store at ``store_url`` (creating its schema if new) and the seal key."""
        from docflow.app.sealing import load_seal_key
        from docflow.store import open_store

        store = open_store(store_url, None)
        store.ensure_schema()
        seal = load_seal_key(seal_p12, password) if seal_p12 is not None else None
        return cls(store, seal)

    def close(self) -> None:
        """Release the store's connections."""
        self.store.close()

    # -- a link ---------------------------------------------------------------------------

    def _open(self, token: str) -> tuple[LinkRow, Session, DocumentRow, bytes]:
        from docflow.app.links import resolve
        from docflow.app.portal import link_document, stored_session

        link = resolve(self.store, token)
        session = stored_session(self.store, link.project, f"portal:{link.link_id}")
        doc = link_document(session, link)
        sha = doc.signed_pdf_sha256 or doc.pdf_sha256
        pdf = self.store.blob(sha)
        if pdf is None:
            from docflow.errors import LinkGone

            raise LinkGone(f"the stored PDF of {doc.doc_id} is missing")
        return link, session, doc, pdf

    def link_page(self, token: str) -> LinkPage:
        """The open link's page (its first opening is recorded)."""
        from docflow.app.pdfpages import page_count
        from docflow.app.portal import code_required
        from docflow.app.portal_sign import objects_on_link
        from docflow.app.signorder import waiting_for
        from docflow.app.wording import consent_text
        from docflow.runtime.clock import now
        from docflow.store.portal import PortalStore

        link, session, doc, pdf = self._open(token)
        if link.viewed_at is None:
            PortalStore(self.store).mark_viewed(link.link_id, now())
        clock = objects_on_link(session, doc, link.party)
        return LinkPage(
            link_id=link.link_id,
            project=session.code,
            project_name=session.data.project.name,
            locale=session.locale,
            document=doc.doc_id,
            title=doc.title,
            version=doc.version,
            party=link.party,
            pages=page_count(doc.signed_pdf_sha256 or doc.pdf_sha256, pdf),
            expires=link.expires_at,
            waiting_for=waiting_for(session, doc, link.party),
            signed_by=tuple(sorted(session.signed_by(doc))),
            code_required=code_required(session, link.party),
            consent=consent_text(session.locale),
            online=self.seal is not None,
            objection_deadline=clock.deadline if clock is not None else None,
            objection_open=clock is not None and clock.state == "awaiting",
        )

    def link_pdf(self, token: str) -> tuple[str, bytes]:
        """The file name and bytes of the PDF the link's party is asked to sign."""
        _link, _session, doc, pdf = self._open(token)
        suffix = ".signed.pdf" if doc.signed_pdf_sha256 else ".pdf"
        return f"{doc.doc_id}-v{doc.version}{suffix}", pdf

    def link_image(self, token: str, page: int, width: int) -> bytes:
        """Page ``page`` (from 1) of that PDF as a PNG ``width`` pixels wide."""
        import hashlib

        from docflow.app.pdfpages import page_png

        _link, _session, _doc, pdf = self._open(token)
        return page_png(hashlib.sha256(pdf).hexdigest(), pdf, page, width)

    def send_code(self, token: str) -> str:
        """Mail a one-time code to the link's party; the address, partly hidden."""
        from docflow.app.portal import send_code

        return send_code(self.store, token)

    def sign(self, token: str, form: PortalForm, visitor: Visitor) -> SignResult:
        """Sign through the link: the drawing and name sealed into the party's field."""
        from docflow.app.portal_sign import sign_on_link
        from docflow.errors import EnvironmentProblem

        if self.seal is None:
            from docflow.app.links import resolve
            from docflow.app.portal import stored_session

            link = resolve(self.store, token)
            session = stored_session(self.store, link.project, f"portal:{link.link_id}")
            raise EnvironmentProblem(
                session.tell(
                    "本签署页未配置签章证书：只能上传已签署的文件或拒绝签署",
                    "this portal has no seal certificate: it offers upload and decline only",
                )
            )
        return sign_on_link(self.store, token, form, visitor, self.seal)

    def upload(
        self, token: str, signer: str, upload: Upload, code: str, visitor: Visitor
    ) -> SignResult:
        """Sign through the link with a digitally signed PDF or a scan, checked as
        ``docflow sign --file`` checks it."""
        from docflow.app.portal_sign import upload_on_link

        return upload_on_link(self.store, token, signer, upload, code, visitor)

    def decline(self, token: str, signer: str, reason: str, visitor: Visitor) -> DeclineView:
        """Decline through the link, saying why."""
        from docflow.app.portal_sign import decline
        from docflow.views.portal import DeclineView

        row = decline(self.store, token, signer, reason, visitor)
        return DeclineView(
            row.doc_id, row.version, row.party, row.signer, row.reason, row.at, row.link_id
        )

    # -- accounts -------------------------------------------------------------------------

    def add_user(self, name: str, password: str, actor: str) -> str:
        """Create a dashboard account (argon2 password hash)."""
        from docflow.app.accounts import add_user

        return add_user(self.store, name, password, actor)

    def login(self, name: str, password: str) -> str | None:
        """A session cookie when the password is right, else None."""
        from docflow.app.accounts import login

        return login(self.store, name, password)

    def session_user(self, cookie: str) -> str | None:
        """The account a session cookie belongs to, or None."""
        from docflow.app.accounts import session_user

        return session_user(self.store, cookie)

    def logout(self, cookie: str) -> None:
        """End a session."""
        from docflow.app.accounts import logout

        logout(self.store, cookie)

    def rate_limited(self, bucket: str, limit: int, period: dt.timedelta) -> bool:
        """Count a request in ``bucket``; whether it is over ``limit`` per ``period``."""
        from docflow.app.accounts import rate_limited

        return rate_limited(self.store, bucket, limit, max(1, int(period.total_seconds())))

    # -- the dashboard ----------------------------------------------------------------------

    def overview(self, limit: int = 50, offset: int = 0) -> Overview:
        """One page of the store's projects with state, blockers, awaited signatures, links
        and declines."""
        from docflow.app.dashboard import overview

        return overview(self.store, limit, offset)

    def project_page(self, code: str) -> ProjectPage:
        """One project's status, links, certificates and log (LinkGone if it is not there)."""
        from docflow.app.dashboard import project_page

        return project_page(self.store, code)
