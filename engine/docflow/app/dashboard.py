"""What the PM dashboard shows: every project of the store with its state, blockers, awaited
signatures, links and declines; and one project's documents, links and log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docflow.runtime.result import Result

if TYPE_CHECKING:
    from docflow.app.audit import LogEvent
    from docflow.app.links import SigningLink
    from docflow.runtime.session import Session
    from docflow.store.base import Store
    from docflow.views.portal import DeclineView
    from docflow.views.status import StatusView

__all__ = ["Overview", "ProjectCard", "ProjectPage", "overview", "project_page"]


@dataclass(frozen=True)
class ProjectCard(Result):
    """One project on the dashboard's front page."""

    code: str
    name: str
    state: str
    state_title: str
    phase: str
    blockers: tuple[str, ...]
    awaiting: tuple[str, ...]
    open_links: int
    expired_links: int
    declines: tuple[DeclineView, ...]
    problem: str | None = None


@dataclass(frozen=True)
class Overview(Result):
    """One page of the store's projects."""

    total: int
    offset: int
    limit: int
    projects: tuple[ProjectCard, ...]


@dataclass(frozen=True)
class ProjectPage(Result):
    """One project: its status, links, declines, certificates and log (newest first)."""

    status: StatusView
    links: tuple[SigningLink, ...]
    certificates: tuple[str, ...]
    log: tuple[LogEvent, ...]


def _card(session: Session) -> ProjectCard:
    from docflow.app.links import list_links
    from docflow.runtime.plan import plan
    from docflow.views.status import status_view

    view = status_view(session, plan(session))
    blockers = tuple(
        f"{step.trigger}: {b.message}" for step in view.transitions for b in step.blockers
    )
    awaiting = tuple(
        f"{d.id} v{d.version}: {', '.join(d.awaiting)}" for d in view.documents if d.awaiting
    )
    links = list_links(session)
    return ProjectCard(
        code=view.project_code,
        name=view.project_name,
        state=view.state,
        state_title=view.state_title,
        phase=view.phase,
        blockers=blockers,
        awaiting=awaiting,
        open_links=sum(1 for link in links if link.state == "open"),
        expired_links=sum(1 for link in links if link.state == "expired"),
        declines=view.declines,
    )


def overview(store: Store, limit: int = 50, offset: int = 0) -> Overview:
    """One page of the store's projects as the dashboard shows them."""
    from docflow.app.portal import stored_session
    from docflow.errors import DocflowError

    cards = []
    for row in store.list_projects(limit=limit, offset=offset):
        try:
            cards.append(_card(stored_session(store, row.code, "dashboard")))
        except DocflowError as exc:
            # A project without recorded data yet (or a broken one) still gets its row.
            cards.append(
                ProjectCard(
                    row.code,
                    row.name,
                    row.state,
                    row.state,
                    "",
                    (),
                    (),
                    0,
                    0,
                    (),
                    problem=exc.message,
                )
            )
    return Overview(store.count_projects(), offset, limit, tuple(cards))


def project_page(store: Store, code: str, log_limit: int = 100) -> ProjectPage:
    """One project as the dashboard's project page shows it."""
    from docflow.app.audit import events
    from docflow.app.links import list_links
    from docflow.app.portal import stored_session
    from docflow.runtime.plan import plan
    from docflow.store.portal import PortalStore
    from docflow.views.status import status_view

    session = stored_session(store, code, "dashboard")
    certificates = tuple(c.file for c in PortalStore(store).certificates(code))
    return ProjectPage(
        status=status_view(session, plan(session)),
        links=tuple(reversed(list_links(session))),
        certificates=certificates,
        log=tuple(reversed(events(session)))[:log_limit],
    )


def local_time(text: str | None) -> str:
    """An ISO instant as ``YYYY-MM-DD HH:MM`` UTC, for pages."""
    if not text:
        return ""
    try:
        return dt.datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return text
