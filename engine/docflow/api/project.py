"""The :class:`Project` handle: one project, opened from its workspace folder or the store.

Each operation reads the project afresh (project.yaml and the store as they are now), does
one thing, and returns a typed, frozen result whose ``to_dict()`` is the JSON the command
line prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docflow.app.audit import LogEvent
    from docflow.app.export import LegalExport
    from docflow.app.links import SigningLink
    from docflow.app.rendering import RenderReport
    from docflow.app.signing import SignRequest, SignResult
    from docflow.app.steps import AdvanceResult
    from docflow.app.verify import VerifyReport
    from docflow.changes.requests import ChangeRequest
    from docflow.changes.views import ChangeView
    from docflow.documents.worker import RenderWorker
    from docflow.runtime.session import Session
    from docflow.runtime.workspace import Workspace
    from docflow.spec.change import ChangeRequestSpec
    from docflow.spec.workflow import WorkflowSpec
    from docflow.views.documents import DocumentView
    from docflow.views.status import StatusView

__all__ = ["Project"]


class Project:
    """One project and the operations on it.

    Open it with :meth:`open` (a workspace folder) or :meth:`from_store` (the store alone, as a
    server would: reading works; taking steps, issuing and rendering need the folder).
    """

    def __init__(
        self,
        opener: Callable[[], Session],
        workspace: Workspace | None,
        worker: RenderWorker | None = None,
    ) -> None:
        self._opener = opener
        self._workspace = workspace
        self._worker = worker
        self._session: Session | None = opener()

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        store: str | None = None,
        actor: str | None = None,
        *,
        worker: RenderWorker | None = None,
    ) -> Project:
        """The project of the workspace at ``path`` (default: the current folder) or the
        nearest parent folder holding project.yaml; ``store`` names a shared store, ``actor``
        who acts (default DOCFLOW_ACTOR, else the OS user). ``worker`` (see
        :func:`docflow.api.render_worker`) lays out PDFs in a second process."""
        from docflow.runtime.session import open_session
        from docflow.runtime.workspace import Workspace

        workspace = Workspace.find(Path(path) if path is not None else None)
        return cls(lambda: open_session(workspace, store, actor), workspace, worker)

    @classmethod
    def from_store(cls, code: str, store_url: str, actor: str | None = None) -> Project:
        """Project ``code`` in the store at ``store_url``, without its workspace folder; its
        project data is what its last step recorded."""
        from docflow.runtime.session import open_stored_session

        return cls(lambda: open_stored_session(code, store_url, actor), None)

    def _take(self) -> Session:
        """The session opened last if no operation used it yet, else a fresh one."""
        session, self._session = self._session, None
        return session if session is not None else self._opener()

    def _peek(self) -> Session:
        if self._session is None:
            self._session = self._opener()
        return self._session

    # what the project is --------------------------------------------------------------
    @property
    def code(self) -> str:
        """The project code."""
        return self._peek().code

    @property
    def state(self) -> str:
        """The current state id."""
        return self._peek().row.state

    @property
    def workflow(self) -> WorkflowSpec:
        """The workflow definition the project runs on."""
        return self._peek().spec

    @property
    def workspace(self) -> Workspace | None:
        """The workspace folder, or None when opened from the store."""
        return self._workspace

    # reading ----------------------------------------------------------------------------
    def status(self) -> StatusView:
        """State, phase, each next step with all its blockers, documents, change summary."""
        from docflow.runtime.plan import plan
        from docflow.views.status import status_view

        session = self._take()
        return status_view(session, plan(session))

    def documents(self, *, all_versions: bool = False) -> tuple[DocumentView, ...]:
        """The newest version of each document (every version with ``all_versions``)."""
        from docflow.views.documents import document_view

        session = self._take()
        rows = session.all_documents if all_versions else session.documents
        return tuple(document_view(session, d) for d in rows)

    def changes(self) -> tuple[ChangeView, ...]:
        """Every change request, by number."""
        from docflow.changes.views import list_changes

        return list_changes(self._take())

    def change(self, cr_id: str) -> ChangeView:
        """One change request."""
        from docflow.changes.views import change_view

        return change_view(self._take(), cr_id)

    def log(self) -> tuple[LogEvent, ...]:
        """The audit trail, oldest first."""
        from docflow.app.audit import events

        return events(self._take())

    def verify(self) -> VerifyReport:
        """Check the event chain, the stored documents and (with a folder) the files on disk."""
        from docflow.app.verify import verify

        return verify(self._take())

    def export_legal(self, out: str | Path) -> LegalExport:
        """Write every contract annex in annex order, a register and a manifest to ``out``."""
        from docflow.app.export import export_legal

        return export_legal(self._take(), Path(out))

    # acting -----------------------------------------------------------------------------
    def advance(
        self, trigger: str | None = None, *, dry_run: bool = False, date: dt.date | None = None
    ) -> AdvanceResult:
        """Take the next step (``trigger`` may be omitted when only one is possible) and issue
        its documents dated ``date`` (default today); Blocked lists every blocker."""
        from docflow.app.steps import advance

        return advance(self._take(), trigger, dry_run=dry_run, date=date, worker=self._worker)

    def sign(self, request: SignRequest) -> SignResult:
        """Record one party's signature (recorded, scanned, digital, or with a PKCS#12)."""
        from docflow.app.signing import sign

        return sign(self._take(), request)

    def file_change(self, request: ChangeRequest | ChangeRequestSpec) -> ChangeView:
        """Open change request CR-n from a stated request or a change file's content."""
        from docflow.changes.requests import ChangeRequest, build_change, file_change

        session = self._take()
        spec = build_change(session, request) if isinstance(request, ChangeRequest) else request
        return file_change(session, spec)

    def approve_change(
        self, cr_id: str, reason: str | None = None, *, date: dt.date | None = None
    ) -> ChangeView:
        """Approve a change request: issue its change annex, dated ``date`` (default today)."""
        from docflow.changes.requests import approve

        return approve(self._take(), cr_id, reason, date, worker=self._worker)

    def reject_change(self, cr_id: str, reason: str) -> ChangeView:
        """Reject an open change request."""
        from docflow.changes.requests import decide

        return decide(self._take(), cr_id, "reject", reason)

    def withdraw_change(self, cr_id: str, reason: str) -> ChangeView:
        """Withdraw a change request; an approved one's annex becomes void."""
        from docflow.changes.requests import decide

        return decide(self._take(), cr_id, "withdraw", reason)

    def render(
        self,
        doc_ids: Sequence[str] | None = None,
        *,
        jobs: int = 1,
        date: dt.date | None = None,
        progress: Callable[[], Any] | None = None,
    ) -> RenderReport:
        """Re-render unsigned documents whose data or templates changed (new versions dated
        ``date``, default today) and restore every missing or altered file."""
        from docflow.app.rendering import render_documents

        return render_documents(
            self._take(),
            list(doc_ids) if doc_ids else None,
            jobs=jobs,
            date=date,
            progress=progress,
        )

    # signing links --------------------------------------------------------------------------
    def share(
        self,
        doc_id: str,
        party: str,
        *,
        expires_days: int = 14,
        email: str | None = None,
        base_url: str | None = None,
    ) -> SigningLink:
        """Make a signing link for ``party`` on the newest version of ``doc_id`` (its ``url``
        is shown only now); with ``email`` it is mailed when DOCFLOW_SMTP_URL names a server."""
        from docflow.app.links import share

        return share(
            self._take(), doc_id, party, expires_days=expires_days, email=email, url=base_url
        )

    def revoke_link(self, link_id: str) -> SigningLink:
        """Revoke a signing link of this project."""
        from docflow.app.links import revoke_link

        return revoke_link(self._take(), link_id)

    def links(self) -> tuple[SigningLink, ...]:
        """Every signing link of the project with its state (open, used, expired, revoked)."""
        from docflow.app.links import list_links

        return list_links(self._take())
