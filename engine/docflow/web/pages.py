"""Rendering the portal's pages: the Jinja environment over the package's templates, the
response helpers, and the pages every route shares (404, 410, 403, 429, errors)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.web.security import CSRF_COOKIE, new_csrf

if TYPE_CHECKING:
    from jinja2 import Environment
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = [
    "TEMPLATES",
    "forbidden",
    "gone",
    "html",
    "message",
    "not_found",
    "set_cookie",
    "too_many",
    "unknown",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def environment() -> Environment:
    """The pages' Jinja environment: autoescaped, strict about undefined names."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from docflow.app.dashboard import local_time

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = local_time
    return env


def html(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """A page, never cached; it sets the CSRF cookie its forms use when the browser has none."""
    from starlette.responses import HTMLResponse

    csrf = context.pop("csrf", None)
    cookie = request.cookies.get(CSRF_COOKIE)
    fresh = None
    if csrf is None:
        csrf = cookie or new_csrf()
        fresh = None if cookie else csrf
    context.setdefault("lang", "en")
    body = environment().get_template(template).render(csrf=csrf, **context)
    response = HTMLResponse(body, status_code=status)
    response.headers["cache-control"] = "no-store"
    if fresh is not None:
        set_cookie(request, response, CSRF_COOKIE, fresh)
    return response


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None = None
) -> None:
    """An HttpOnly, SameSite=Lax cookie, Secure when the portal is served over HTTPS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=bool(request.app.state.config.https),
    )


def message(
    request: Request, status: int, heading: str, *lines: str, lang: str = "en", back: str = ""
) -> Response:
    """A short page saying one thing."""
    return html(
        request, "message.html", status, heading=heading, lines=list(lines), lang=lang, back=back
    )


def unknown(request: Request) -> Response:
    """404 for a link nobody made: the page names nothing."""
    return message(
        request,
        404,
        "链接无效 · Link not found",
        "此签署链接不存在。请核对链接，或联系发送链接的项目经理。",
        "This signing link does not exist. Check the address, or ask the project manager who "
        "sent it.",
    )


def gone(request: Request) -> Response:
    """410 for a link that was used, expired or revoked: the page names nothing."""
    return message(
        request,
        410,
        "链接已失效 · Link no longer valid",
        "此签署链接已使用、已过期或已撤销。如需签署，请联系项目经理获取新链接。",
        "This signing link was used, has expired or was revoked. Ask the project manager for "
        "a new one if you still need to sign.",
    )


def not_found(request: Request) -> Response:
    """404 for any other address."""
    return message(request, 404, "Not found · 未找到", "There is no page at this address.")


def forbidden(request: Request) -> Response:
    """403 for a form without its CSRF token."""
    return message(
        request,
        403,
        "请重新提交 · Please try again",
        "此表单已过期或并非来自本页面。请重新打开页面后再提交。",
        "This form expired or did not come from this page. Open the page again and resend it.",
    )


def too_many(request: Request) -> Response:
    """429 when a rate limit is reached."""
    response = message(
        request,
        429,
        "请求过多 · Too many requests",
        "请稍后再试。",
        "Please wait a few minutes and try again.",
    )
    response.headers["retry-after"] = "60"
    return response
