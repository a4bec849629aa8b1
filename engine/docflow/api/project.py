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
    from docflow.app.audit import LogEvent, LogQuery
    from docflow.app.export import LegalExport
    from docflow.app.links import SigningLink
    from docflow.app.rendering import RenderReport
    from docflow.app.sending import ClientExport
    from docflow.app.signing import SignRequest, SignResult
    from docflow.app.steps import AdvanceResult
    from docflow.app.translation import Translation
    from docflow.app.upgrade import WorkflowUpgrade
    from docflow.app.verify import VerifyReport
    from docflow.app.voiding import VoidResult
    from docflow.app.withdrawal import Withdrawal
    from docflow.changes.requests import ChangeEdit, ChangeRequest
    from docflow.changes.views import ChangeView
    from docflow.documents.worker import RenderWorker
    from docflow.records.actions import ActionItem
    from docflow.records.objections import ObjectionResult
    from docflow.records.reports import ReportView
    from docflow.records.satisfaction import SatisfactionView
    from docflow.records.views import MeetingView
    from docflow.runtime.session import Session
    from docflow.runtime.workspace import Workspace
    from docflow.spec.change import ChangeRequestSpec
    from docflow.spec.minutes import MinutesSpec, RecordFile, ScoresSpec
    from docflow.spec.workflow import WorkflowSpec
    from docflow.views.documents import DocumentView
    from docflow.views.status import StatusView

__all__ = ["Project"]


def _cr(cr_id: str) -> str:
    """A change request id as people type it (``cr-3``, ``CR3``) in its canonical form."""
    from docflow.spec.names import change_id

    return change_id(cr_id)


class Project:
    """One project and the operations on it.

    Open it with :meth:`open` (a workspace folder) or :meth:`from_store` (the store alone, as a
    server would: reading works; taking steps, issuing and rendering need the folder).
    """

    def __init__(
        self,
        opener: Callable[[bool], Session],
        workspace: Workspace | None,
        worker: RenderWorker | None = None,
    ) -> None:
        # opener(check_rows): a session; with check_rows, one whose rows agree with the head
        # of its event chain (IntegrityFailure otherwise).
        self._opener = opener
        self._workspace = workspace
        self._worker = worker
        self._session: Session | None = opener(False)

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
        return cls(
            lambda check: open_session(workspace, store, actor, check_rows=check),
            workspace,
            worker,
        )

    @classmethod
    def from_store(cls, code: str, store_url: str, actor: str | None = None) -> Project:
        """Project ``code`` in the store at ``store_url``, without its workspace folder; its
        project data is what its last step recorded."""
        from docflow.runtime.session import open_stored_session

        return cls(
            lambda check: open_stored_session(code, store_url, actor, check_rows=check), None
        )

    def _take(self, *, check_rows: bool = True) -> Session:
        """The session opened last if no operation used it yet, else a fresh one; with
        `check_rows` (every operation but the ones that report on damage: log, verify,
        export_legal) its rows must agree with the head of its event chain."""
        session, self._session = self._session, None
        if session is None:
            session = self._opener(check_rows)
        elif check_rows:
            session.store.check_rows(session.code)
        return _observing(session) if check_rows else session

    def _peek(self) -> Session:
        if self._session is None:
            self._session = self._opener(False)
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
    def locale(self) -> str:
        """The locale of the project's documents and messages."""
        return self._peek().locale

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
        from docflow.views.documents import DocumentChecks, document_view

        session = self._take()
        rows = session.all_documents if all_versions else session.documents
        checks = DocumentChecks(session)
        return tuple(document_view(session, d, checks) for d in rows)

    def changes(self) -> tuple[ChangeView, ...]:
        """Every change request, by number."""
        from docflow.changes.views import list_changes

        return list_changes(self._take())

    def change(self, cr_id: str) -> ChangeView:
        """One change request."""
        from docflow.changes.views import change_view

        return change_view(self._take(), _cr(cr_id))

    def log(self, query: LogQuery | None = None) -> tuple[LogEvent, ...]:
        """The audit trail, oldest first; ``query`` filters it (document, date, type, last N)."""
        from docflow.app.audit import events

        return events(self._take(check_rows=False), query)

    def verify(
        self, anchors: Sequence[str] = (), anchor_files: Sequence[str | Path] = ()
    ) -> VerifyReport:
        """Check the event chain, the rows against it, the stored documents and (with a
        folder) the files on disk. ``anchors`` (``SEQ:HASH``) and the anchors kept in
        ``anchor_files`` (a legal bundle, its manifest.json, or ``SEQ:HASH`` lines) are chain
        heads recorded elsewhere that the chain must still hold."""
        from docflow.app.verify import verify
        from docflow.store.anchors import parse_anchor, read_anchors

        parsed = [parse_anchor(text) for text in anchors]
        parsed += [anchor for path in anchor_files for anchor in read_anchors(Path(path))]
        return verify(self._take(check_rows=False), parsed)

    def export_legal(self, out: str | Path, *, force: bool = False) -> LegalExport:
        """Write every contract annex in annex order, a register and a manifest to ``out``;
        refused (IntegrityFailure) while verify finds problems, unless ``force``, which lists
        them in the manifest."""
        from docflow.app.export import export_legal

        return export_legal(self._take(check_rows=False), Path(out), force)

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
        import dataclasses

        from docflow.app.signing import sign
        from docflow.spec.names import doc_id, party

        # The ids and parties every command accepts: sp-1 is SP-1, 甲方 is the client.
        request = dataclasses.replace(
            request, doc_id=doc_id(request.doc_id), party=party(request.party)
        )
        return sign(self._take(), request)

    def file_change(self, request: ChangeRequest | ChangeRequestSpec) -> ChangeView:
        """Open change request CR-n from a stated request or a change file's content; added
        requirements are numbered under the project's lock (unique among pending requests)."""
        from docflow.changes.requests import file_change

        return file_change(self._take(), request)

    def edit_change(self, cr_id: str, edit: ChangeEdit) -> ChangeView:
        """Edit or price an open change request; the log records what changed."""
        from docflow.changes.requests import edit_change

        return edit_change(self._take(), _cr(cr_id), edit)

    def issue_change_form(self, cr_id: str, *, date: dt.date | None = None) -> ChangeView:
        """Issue the change request form of an open request for the client's review (a new
        version after an edit)."""
        from docflow.changes.form import issue_form

        return issue_form(self._take(), _cr(cr_id), date, worker=self._worker)

    def upgrade_workflow(self, to: str | None = None, *, dry_run: bool = False) -> WorkflowUpgrade:
        """Move the running project to another (newer) workflow definition when compatible."""
        from docflow.app.upgrade import upgrade_workflow

        return upgrade_workflow(self._take(), to, dry_run=dry_run)

    def approve_change(
        self, cr_id: str, reason: str | None = None, *, date: dt.date | None = None
    ) -> ChangeView:
        """Approve a change request: issue its change annex, dated ``date`` (default today)."""
        from docflow.changes.requests import approve

        return approve(self._take(), _cr(cr_id), reason, date, worker=self._worker)

    def reject_change(self, cr_id: str, reason: str) -> ChangeView:
        """Reject an open change request."""
        from docflow.changes.requests import decide

        return decide(self._take(), _cr(cr_id), "reject", reason)

    def withdraw_change(self, cr_id: str, reason: str) -> ChangeView:
        """Withdraw a change request; an approved one's annex becomes void."""
        from docflow.changes.requests import decide

        return decide(self._take(), _cr(cr_id), "withdraw", reason)

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

    def withdraw_signature(self, doc_id: str, party: str, reason: str) -> Withdrawal:
        """Withdraw ``party``'s signature on the newest version of ``doc_id``, for ``reason``
        (kept in the log); refused once a step that needed it was taken."""
        from docflow.app.withdrawal import withdraw_signature

        return withdraw_signature(self._take(), doc_id, party, reason)

    def void(self, doc_id: str, reason: str, *, date: dt.date | None = None) -> VoidResult:
        """Void the newest version of ``doc_id`` for ``reason`` (number kept; ``render(
        [doc_id])`` issues it again as the next version); a signed contract annex is refused."""
        from docflow.app.voiding import void_document

        return void_document(self._take(), doc_id, reason, date)

    def translate(self, doc_id: str, locale: str) -> Translation:
        """Write a convenience translation of ``doc_id``'s newest version into ``locale``
        (documents/translations/): marked on every page, never binding, never signable."""
        from docflow.app.translation import translate

        return translate(self._take(), doc_id, locale)

    def export_client(
        self,
        out: str | Path,
        doc_ids: Sequence[str] = (),
        *,
        step: str | None = None,
        pending: bool = False,
        with_signed: bool = False,
        date: dt.date | None = None,
    ) -> ClientExport:
        """Write a zip for the client: the current versions of the documents named (or those
        step ``step`` issued last, or every one awaiting a signature with ``pending``), named
        for people, with a cover letter dated ``date``; ``with_signed`` adds signature scans."""
        from docflow.app.sending import export_client, select_documents

        session = self._take()
        chosen = select_documents(session, doc_ids, step=step, pending=pending)
        return export_client(session, Path(out), chosen, with_signed=with_signed, date=date)

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

    # records kept along the way ---------------------------------------------------------
    def record_meeting(
        self, minutes: RecordFile[MinutesSpec] | MinutesSpec, *, date: dt.date | None = None
    ) -> MeetingView:
        """Record a meeting and issue its minutes (MM-n), dated ``date`` (default today), for
        the client's confirmation; a minutes file read by :func:`docflow.api.read_minutes_file`
        has its problems named by line."""
        from docflow.records.meetings import record_meeting

        return record_meeting(self._take(), _located(minutes), date, worker=self._worker)

    def revise_meeting(
        self,
        doc_id: str,
        minutes: RecordFile[MinutesSpec] | MinutesSpec,
        *,
        reason: str | None = None,
        date: dt.date | None = None,
    ) -> MeetingView:
        """Record corrected minutes of meeting ``doc_id`` (after an objection, or before the
        client confirmed them) and issue them as its next version."""
        from docflow.records.meetings import revise_meeting

        return revise_meeting(
            self._take(), doc_id, _located(minutes), reason, date, worker=self._worker
        )

    def meetings(self) -> tuple[MeetingView, ...]:
        """Every recorded meeting, with its minutes' confirmation and its action items."""
        from docflow.records.meetings import meetings

        return tuple(meetings(self._take()))

    def object(
        self, doc_id: str, party: str, reason: str, date: dt.date | None = None
    ) -> ObjectionResult:
        """Record ``party``'s objection to the current version of ``doc_id`` (instead of a
        signature), dated ``date`` (default today); it stops a deemed-confirmation clock."""
        from docflow.records.objections import object_document

        return object_document(self._take(), doc_id, party, reason, date)

    def actions(
        self, *, overdue: bool = False, as_of: dt.date | None = None
    ) -> tuple[ActionItem, ...]:
        """Every action item of meetings held by ``as_of`` (default today), with its status
        on that day (only the overdue ones with ``overdue``)."""
        from docflow.records.actions import action_items

        items = action_items(self._take(), as_of)
        return tuple(a for a in items if not overdue or a.status == "overdue")

    def report(
        self,
        *,
        week: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        date: dt.date | None = None,
    ) -> ReportView:
        """Issue the progress report on ISO ``week`` (``2026-W15``) or ``start``..``end``
        (default: the current week), dated ``date`` (default today), from the record."""
        from docflow.records.reports import issue_report, parse_period

        period = parse_period(week, start, end, date)
        return issue_report(self._take(), period, date, worker=self._worker)

    def record_satisfaction(self, scores: RecordFile[ScoresSpec] | ScoresSpec) -> SatisfactionView:
        """Record the answers of one returned satisfaction survey."""
        from docflow.records.satisfaction import record_satisfaction

        return record_satisfaction(self._take(), _located(scores))


def _observing(session: Session) -> Session:
    """The session, whose writes record the deemed confirmations that came due first (see
    :mod:`docflow.records.observe`); a workflow without deemed confirmation is left alone."""
    if any(k.deemed_confirmed is not None for k in session.spec.documents.values()):
        from docflow.records.observe import observe

        observe(session)
    return session


def _located(spec: Any) -> Any:
    """A file's content with its lines, or content given in code (problems without lines)."""
    from docflow.spec.minutes import RecordFile
    from docflow.spec.yamlio import LineMap

    return spec if isinstance(spec, RecordFile) else RecordFile(spec, "<api>", LineMap())
