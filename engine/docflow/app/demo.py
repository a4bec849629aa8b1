"""The demo: the example project through its whole lifecycle, signing as each party, with
the meetings, progress report and satisfaction survey of ``examples/<workflow>.demo.yaml``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docflow.app.init import init_workspace
from docflow.app.signing import SignRequest, sign
from docflow.app.steps import AdvanceResult, advance
from docflow.errors import Blocked
from docflow.records.observe import observe
from docflow.runtime.clock import on_day
from docflow.runtime.plan import plan
from docflow.runtime.result import Result
from docflow.runtime.session import Session, open_session
from docflow.runtime.workspace import Workspace

__all__ = ["DemoResult", "run_demo", "walk"]

Say = Callable[[str], None]
OnState = Callable[[Session], None]
DayOf = Callable[[str], "dt.date | None"]

# Blockers that signing the documents awaited removes: a document not signed, minutes of the
# phase not confirmed.
_SIGNING = frozenset({"document_signed", "confirmed_in_phase"})


@dataclass(frozen=True)
class DemoResult(Result):
    """Where the demo ended: its workspace, final state, the steps taken, the documents."""

    workspace: str
    state: str
    steps: tuple[AdvanceResult, ...]
    documents: tuple[str, ...]


def _signer(session: Session, party: str) -> str:
    parties = session.data.parties
    if party == "client":
        person = parties.client.representative or (
            parties.client.accountable_person.name if parties.client.accountable_person else ""
        )
    else:
        person = parties.vendor.representative or (
            parties.vendor.project_manager.name if parties.vendor.project_manager else ""
        )
    return person or party


def _sign_awaited(session: Session, say: Say) -> int:
    """Sign every live document still awaiting a party; return how many signatures."""
    count = 0
    for doc in session.documents:
        if doc.status != "issued":
            continue
        kind = session.kind_of(doc)
        for party in kind.signers if kind else ():
            if party in session.signed_by(doc):
                continue
            sign(session, SignRequest(doc.doc_id, party, _signer(session, party)))
            say(f"  signed {doc.doc_id} as {party} ({_signer(session, party)})")
            session = session.refreshed()
            count += 1
    return count


def _open(ws: Workspace, store_url: str | None, actor: str) -> Session:
    """The project, whose writes record the deemed confirmations that came due first, as
    every operation of the application API does."""
    return observe(open_session(ws, store_url, actor))


def walk(
    ws: Workspace,
    *,
    store_url: str | None = None,
    actor: str = "demo",
    say: Say = print,
    until: str | None = None,
    on_state: OnState | None = None,
    day_of: DayOf | None = None,
) -> list[AdvanceResult]:
    """Follow the main path, signing as each party, until ``until`` or the last state before
    a final one; return the steps taken. ``on_state`` is called in each state reached, before
    its step is chosen (the demo records its meetings there); ``day_of(trigger)`` is the day
    a step is taken on, and the signatures it awaits made (None: today)."""
    taken = []
    while True:
        session = _open(ws, store_url, actor)
        if session.row.state == until:
            break
        if on_state is not None:
            on_state(session)
            session = _open(ws, store_url, actor)
        steps = plan(session)
        # The main path: the first step that only awaits signatures and does not end the project.
        candidates = [
            s
            for s in steps
            if not session.spec.states[s.transition.dest].final
            and all(b.guard in _SIGNING for b in s.blockers)
        ]
        if not candidates:
            break
        step = candidates[0]
        with on_day(day_of(step.trigger) if day_of is not None else None):
            if not step.ready:
                _sign_awaited(session, say)
                session = _open(ws, store_url, actor)
            try:
                result = advance(session, step.trigger)
            except Blocked as exc:
                message = f"stopped at {session.row.state}: {exc.message}"
                raise Blocked(message, exc.blockers) from exc
        docs = ", ".join(d.id for d in result.documents)
        say(
            f"{result.from_state} -> {result.to_state} ({step.trigger})"
            + (f": issued {docs}" if docs else "")
        )
        taken.append(result)
    return taken


def session_workflow(ws: Workspace, store_url: str | None) -> str:
    """The name of the workflow the workspace's project runs."""
    return open_session(ws, store_url, "demo").spec.name


def run_demo(
    folder: Path,
    *,
    locale: str = "zh-CN",
    store_url: str | None = None,
    say: Say = print,
) -> DemoResult:
    """Create the example workspace in ``folder`` and run it up to the last non-final state."""
    info = init_workspace(folder, locale=locale, example=True, store_url=store_url, actor="demo")
    say(f"created {info.workspace} ({info.project}, {info.state})")
    ws = Workspace(Path(info.workspace))
    from docflow.app.demo_records import DemoRecords

    records = DemoRecords.load(ws, session_workflow(ws, store_url), locale, say)
    taken = walk(ws, store_url=store_url, say=say, on_state=records.play, day_of=records.day_of)
    with on_day(records.last_day):
        _sign_awaited(_open(ws, store_url, "demo"), say)
    final = _open(ws, store_url, "demo")
    say(f"done: {final.row.state}; documents in {ws.documents_dir}")
    return DemoResult(
        workspace=str(ws.root),
        state=final.row.state,
        steps=tuple(taken),
        documents=tuple(d.doc_id for d in final.documents),
    )
