"""Taking a step: plan, render the step's documents, then record everything in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docflow.app.completeness import EmptyField, empty_fields
from docflow.documents.files import check_writable
from docflow.documents.identity import version_files
from docflow.documents.issuing import Issue, issue_documents, plan_documents
from docflow.errors import Blocked, Conflict, ProjectChanged, UsageError
from docflow.runtime.clock import today
from docflow.runtime.lang import say
from docflow.runtime.plan import Step, plan
from docflow.runtime.result import Result, key
from docflow.runtime.session import Session
from docflow.store.chain import canonical_json
from docflow.views.documents import DocumentView, PlannedDocument, document_view

if TYPE_CHECKING:
    from docflow.documents.worker import RenderWorker
    from docflow.store.base import DocumentRow, WriteTx

__all__ = ["AdvanceResult", "advance", "choose_step"]


@dataclass(frozen=True)
class AdvanceResult(Result):
    """What a step did (or, with dry_run, would do)."""

    trigger: str
    from_state: str = field(metadata=key("from"))
    to_state: str = field(metadata=key("to"))
    dry_run: bool
    documents: tuple[DocumentView | PlannedDocument, ...] = ()
    # Fields the issued documents print as TBD / None because project.yaml leaves them empty.
    warnings: tuple[EmptyField, ...] = ()


def choose_step(session: Session, steps: list[Step], trigger: str | None) -> Step:
    """The step named by ``trigger``, or the only one possible; a clear error otherwise."""
    state = session.row.state
    if trigger is None:
        if len(steps) == 1:
            return steps[0]
        if not steps:
            raise Conflict(
                session.tell(
                    f"项目 {session.code} 已处于最终状态 {state}，没有剩余步骤",
                    f"project {session.code} is in the final state {state}; no step left",
                )
            )
        names = ", ".join(s.trigger for s in steps)
        raise UsageError(
            session.tell(
                f"状态 {state} 下可执行多个步骤（{names}），请指定一个",
                f"several steps are possible from {state} ({names}); name one",
            )
        )
    for step in steps:
        if step.trigger == trigger:
            return step
    known = {t.trigger for t in session.spec.transitions}
    if trigger not in known:
        import difflib

        close = difflib.get_close_matches(trigger, [s.trigger for s in steps] or known, n=1)
        hint = close[0] if close else None
        names = ", ".join(sorted(known))
        raise UsageError(
            session.tell(
                f"工作流 {session.spec.name} 中没有步骤 {trigger!r}"
                + (f"（是否想输入 {hint!r}？）" if hint else "")
                + f"（已有步骤：{names}）",
                f"unknown trigger {trigger!r} in workflow {session.spec.name}"
                + (f" (did you mean {hint!r}?)" if hint else "")
                + f" (known: {names})",
            )
        )
    possible = ", ".join(s.trigger for s in steps) or session.tell("无", "none")
    raise Conflict(
        session.tell(
            f"当前状态 {state} 下不能执行 {trigger}（此处可执行：{possible}）",
            f"{trigger} is not possible from state {state} (possible here: {possible})",
        )
    )


def issues_of(session: Session, emits: Sequence[str]) -> list[Issue]:
    """The documents a step emits: one of each kind, or one per pending item of a kind that
    is issued per item (an item no live document of that kind is about yet)."""
    from docflow.documents.items import pending

    issues: list[Issue] = []
    for code in emits:
        if session.spec.documents[code].per is None:
            issues.append(Issue(code))
        else:
            issues.extend(Issue(code, subject) for subject in pending(session, code))
    return issues


def _blocked_message(session: Session, step: Step) -> str:
    from docflow.runtime.lang import message_locale, say

    n = len(step.blockers)
    return say(
        message_locale(session.locale),
        f"{step.trigger}（{step.title}）被 {n} 项条件阻止",
        f"{step.trigger} ({step.title}) is blocked by {n} condition(s)",
    )


def _data_json(session: Session) -> bytes:
    """The project data the step was taken on, as the bytes its event's hash is made from."""
    return canonical_json(session.data.model_dump(mode="json")).encode("utf-8")


#: How often a step that lost its race only to an unrelated write is planned and tried again.
ATTEMPTS = 6


def _reopened(session: Session) -> Session:
    """The project as it reads now: its store row and, in a workspace, project.yaml."""
    from docflow.runtime.session import Session as Fresh

    fresh = session.refreshed()
    data = fresh.data
    if session.workspace is not None:
        from docflow.spec.loader import load_project

        data = load_project(session.workspace.project_file)
    return Fresh(fresh.workspace, fresh.store, fresh.row, fresh.spec, data, fresh.actor)


def _pause(attempt: int) -> None:
    """Wait a little, more after each lost race, with jitter so that racers spread out."""
    import random
    import time

    time.sleep(random.uniform(0.05, 0.25) * (attempt + 1))


def advance(
    session: Session,
    trigger: str | None = None,
    *,
    dry_run: bool = False,
    date: dt.date | None = None,
    worker: RenderWorker | None = None,
) -> AdvanceResult:
    """Take the next step of the project, emitting its documents dated ``date`` (default
    today); their PDFs are laid out by ``worker`` when one is given.

    A step that lost its race to a write that left the state as it was (a change request
    filed, a signature recorded) is planned again on what the store and project.yaml say now
    and tried again, up to :data:`ATTEMPTS` times with a jittered pause: it is still the step
    the user asked for, its guards are evaluated afresh. A step whose state moved meanwhile
    is a Conflict.
    """
    step = choose_step(session, plan(session), trigger)
    for attempt in range(ATTEMPTS):
        if not step.ready:
            raise Blocked(_blocked_message(session, step), step.blockers)
        try:
            return _take(session, step, dry_run, date, worker)
        except ProjectChanged as exc:
            if attempt == ATTEMPTS - 1:
                raise
            _pause(attempt)
            fresh = _reopened(session)
            if fresh.row.state != session.row.state:
                raise Conflict(
                    say(
                        session.locale,
                        f"项目 {session.code} 已在此期间进入 {fresh.row.state}；"
                        f"{step.trigger} 未执行",
                        f"project {session.code} moved to {fresh.row.state} meanwhile; "
                        f"{step.trigger} was not taken",
                    )
                ) from exc
            session = fresh
            step = choose_step(session, plan(session), step.trigger)
    raise AssertionError("unreachable")  # the loop returns or raises


def _take(
    session: Session,
    step: Step,
    dry_run: bool,
    date: dt.date | None,
    worker: RenderWorker | None,
) -> AdvanceResult:
    """Render and record one planned, ready step."""
    transition = step.transition
    dest = transition.dest
    on = date or today()
    jobs = plan_documents(session, issues_of(session, transition.emits), on)
    warnings = tuple(empty_fields(session, [(j.meta.id, j.meta.code) for j in jobs]))
    source = session.row.state
    if dry_run:
        planned = tuple(
            PlannedDocument(
                id=j.meta.id,
                kind=j.meta.template,
                version=1,
                status="would be issued",
                annex=j.meta.annex,
                files=version_files(j.meta.id, 1),
                awaiting=tuple(j.meta.signers),
            )
            for j in jobs
        )
        return AdvanceResult(transition.trigger, source, dest, True, planned, warnings)
    data_json = _data_json(session)

    def record(tx: WriteTx, rows: list[DocumentRow]) -> None:
        tx.set_state(dest)
        if transition.freezes_baseline:
            tx.set_baseline([r.model_dump(mode="json") for r in session.data.requirements])
        # The data is stored too, so that the project can be read from the store alone.
        data_sha = tx.put_blob(data_json)
        tx.append_event(
            "step",
            session.actor,
            {
                "trigger": transition.trigger,
                "from": source,
                "to": dest,
                "documents": [
                    {
                        "id": r.doc_id,
                        "version": r.version,
                        "pdf": r.pdf_sha256,
                        "docx": r.docx_sha256,
                        "data": r.data_sha256,
                    }
                    | ({"subject": job.meta.subject} if job.meta.subject else {})
                    for r, job in zip(rows, jobs, strict=True)
                ],
                "baseline_frozen": transition.freezes_baseline,
                "data_sha256": data_sha,
                # The step's date, as its documents carry it (reports count it on this day).
                "on": on.isoformat(),
            },
        )

    if jobs:
        rows = issue_documents(session, jobs, record, worker=worker)
    else:
        # Steps are taken on the workspace's project.yaml, never on data recorded earlier.
        check_writable(session.folder("taking a step"))
        with session.store.write(session.code, session.row.version) as tx:
            record(tx, [])
        rows = []
    fresh = session.refreshed()
    return AdvanceResult(
        transition.trigger,
        source,
        dest,
        False,
        tuple(document_view(fresh, r) for r in rows),
        warnings,
    )
