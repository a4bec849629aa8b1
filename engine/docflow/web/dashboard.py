"""The PM dashboard's routes: log in and out, the projects of the store, one project's page,
and the buttons that make or revoke a signing link. Everything else is read-only.

A login is a session cookie (HttpOnly, SameSite=Lax, Secure behind HTTPS) whose sha256 the
store keeps; every form carries a CSRF token derived from that cookie; logins are rate
limited per address and per account name in the store.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from docflow.errors import DocflowError
from docflow.web import pages
from docflow.web.security import CSRF_COOKIE, session_csrf, tokens_match
from docflow.web.signing import visitor

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.routing import Route

    from docflow.api import Portal

__all__ = ["SESSION_COOKIE", "routes"]

SESSION_COOKIE = "df_session"
_LOGIN_LIMIT = 10  # attempts per address, and per account name, in 15 minutes


def _portal(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


async def _user(request: Request) -> tuple[str, str] | None:
    """(account, session cookie) of a logged-in request, else None."""
    cookie = request.cookies.get(SESSION_COOKIE, "")
    if not cookie:
        return None
    name = await run_in_threadpool(_portal(request).session_user, cookie)
    return (name, cookie) if name else None


def _to_login() -> Response:
    return RedirectResponse("/login", status_code=303)


async def login_page(request: Request) -> Response:
    """GET /login."""
    return pages.html(request, "login.html", error="")


async def login(request: Request) -> Response:
    """POST /login: name and password -> a session cookie."""
    form = await request.form(max_files=0, max_fields=5)
    if not tokens_match(str(form.get("csrf", "")), request.cookies.get(CSRF_COOKIE)):
        return pages.forbidden(request)
    name = str(form.get("name", ""))[:100]
    portal = _portal(request)
    period = dt.timedelta(minutes=15)
    if request.app.state.config.rate_limits:
        by_address = await run_in_threadpool(
            portal.rate_limited, f"login:{visitor(request).ip}", _LOGIN_LIMIT, period
        )
        by_name = await run_in_threadpool(
            portal.rate_limited, f"login-name:{name}", _LOGIN_LIMIT, period
        )
        if by_address or by_name:
            return pages.too_many(request)
    cookie = await run_in_threadpool(portal.login, name, str(form.get("password", "")))
    if cookie is None:
        return pages.html(
            request, "login.html", 401, error="Wrong account or password · 账号或密码不正确"
        )
    response = RedirectResponse("/", status_code=303)
    pages.set_cookie(request, response, SESSION_COOKIE, cookie, max_age=12 * 3600)
    return response


async def logout(request: Request) -> Response:
    """POST /logout."""
    user = await _user(request)
    if user is not None:
        form = await request.form(max_files=0, max_fields=3)
        if not tokens_match(str(form.get("csrf", "")), session_csrf(user[1])):
            return pages.forbidden(request)
        await run_in_threadpool(_portal(request).logout, user[1])
    response = _to_login()
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def home(request: Request) -> Response:
    """GET /: every project of the store (one page of 50; ?page=N)."""
    user = await _user(request)
    if user is None:
        return _to_login()
    raw = request.query_params.get("page", "1")
    number = int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1
    view = await run_in_threadpool(_portal(request).overview, 50, (number - 1) * 50)
    return pages.html(
        request, "dashboard.html", overview=view, user=user[0], csrf=session_csrf(user[1])
    )


async def _project(
    request: Request, user: tuple[str, str], status: int = 200, **extra: Any
) -> Response:
    code = request.path_params["code"]
    portal = _portal(request)
    if await run_in_threadpool(portal.store.get_project, code) is None:
        return pages.not_found(request)
    view = await run_in_threadpool(portal.project_page, code)
    extra.setdefault("created", None)
    extra.setdefault("error", "")
    return pages.html(
        request,
        "project.html",
        status,
        s=view.status,
        links=view.links,
        certificates=view.certificates,
        log=view.log,
        user=user[0],
        csrf=session_csrf(user[1]),
        **extra,
    )


async def project(request: Request) -> Response:
    """GET /p/{code}: documents, signatures, links, declines and the log."""
    user = await _user(request)
    if user is None:
        return _to_login()
    return await _project(request, user)


async def _checked_form(request: Request) -> tuple[tuple[str, str] | None, Any, Response | None]:
    user = await _user(request)
    if user is None:
        return None, None, _to_login()
    form = await request.form(max_files=0, max_fields=8)
    if not tokens_match(str(form.get("csrf", "")), session_csrf(user[1])):
        return None, None, pages.forbidden(request)
    return user, form, None


def _share(request: Request, user: str, code: str, form: Any) -> Any:
    from docflow.api import Project

    days = str(form.get("days", "14")).strip()
    email = str(form.get("email", "")).strip() or None
    project = Project.from_store(code, request.app.state.config.store_url, actor=user)
    return project.share(
        str(form.get("document", "")),
        str(form.get("party", "")),
        expires_days=int(days) if days.isdigit() else 0,
        email=email,
        base_url=request.app.state.config.base_url,
    )


async def create_link(request: Request) -> Response:
    """POST /p/{code}/links: a new signing link, shown once."""
    user, form, refused = await _checked_form(request)
    if refused is not None or user is None:
        return refused or _to_login()
    code = request.path_params["code"]
    try:
        link = await run_in_threadpool(_share, request, user[0], code, form)
    except DocflowError as exc:
        if exc.exit_code == 1 and "not sent" not in exc.message:
            raise
        return await _project(request, user, 400, error=exc.message)
    return await _project(request, user, 201, created=link)


async def revoke_link(request: Request) -> Response:
    """POST /p/{code}/links/{link_id}/revoke."""
    from docflow.api import Project

    user, _form, refused = await _checked_form(request)
    if refused is not None or user is None:
        return refused or _to_login()
    code, link_id = request.path_params["code"], request.path_params["link_id"]
    url = request.app.state.config.store_url
    try:
        project = await run_in_threadpool(Project.from_store, code, url, user[0])
        await run_in_threadpool(project.revoke_link, link_id)
    except DocflowError as exc:
        if exc.exit_code == 1:
            raise
        return await _project(request, user, 400, error=exc.message)
    return RedirectResponse(f"/p/{code}", status_code=303)


def routes() -> list[Route]:
    """The dashboard's routes."""
    from starlette.routing import Route

    return [
        Route("/", home, methods=["GET"]),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/p/{code}", project, methods=["GET"]),
        Route("/p/{code}/links", create_link, methods=["POST"]),
        Route("/p/{code}/links/{link_id}/revoke", revoke_link, methods=["POST"]),
    ]
