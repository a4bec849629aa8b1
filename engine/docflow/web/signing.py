"""The signing page's routes: ``/s/{token}`` and what its forms post to.

Each route is a thin layer over :class:`docflow.api.Portal`: read the form, call one method
in a worker thread (the store and PDF work block), and turn its result or error into a page.
LinkUnknown is a 404 page, LinkGone a 410 page, neither naming the document or its state.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from docflow.errors import (
    Conflict,
    DocflowError,
    EnvironmentProblem,
    InvalidInput,
    LinkGone,
    LinkUnknown,
)
from docflow.web import pages
from docflow.web.security import CSRF_COOKIE, tokens_match
from docflow.web.words import words

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.routing import Route

    from docflow.api import LinkPage, Portal, Visitor

__all__ = ["routes"]

_PAGE_WIDTH = 1000


def _portal(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


def visitor(request: Request) -> Visitor:
    """The request's address (as the proxy in front reports it) and browser."""
    from docflow.api import Visitor

    client = request.client.host if request.client else None
    return Visitor(client, request.headers.get("user-agent"))


def _limited(request: Request, kind: str, limit: int, minutes: int = 1) -> bool:
    config = request.app.state.config
    if not config.rate_limits:
        return False
    who = visitor(request).ip or "-"
    return _portal(request).rate_limited(f"{kind}:{who}", limit, dt.timedelta(minutes=minutes))


async def _guarded(request: Request, kind: str, limit: int) -> Response | None:
    """The 429 page when the visitor is over a rate limit, else None."""
    if await run_in_threadpool(_limited, request, kind, limit):
        return pages.too_many(request)
    return None


def _when(text: str) -> str:
    return dt.datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M UTC")


def _sign_page(
    request: Request, token: str, page: LinkPage, status: int = 200, **extra: Any
) -> Response:
    w = words(page.locale)
    waiting = "、".join(w["party"].get(p, p) for p in page.waiting_for)
    extra.setdefault("error", "")
    extra.setdefault("notice", "")
    extra.setdefault("form", {"signer": ""})
    return pages.html(
        request,
        "sign.html",
        status,
        page=page,
        token=token,
        w=w,
        lang=w["lang"],
        expires=_when(page.expires),
        waiting=waiting,
        **extra,
    )


def _failure(request: Request, exc: DocflowError) -> Response:
    if isinstance(exc, LinkUnknown):
        return pages.unknown(request)
    if isinstance(exc, LinkGone):
        return pages.gone(request)
    raise exc


async def _page_or_error(
    request: Request, token: str, error: DocflowError | str, status: int, **extra: Any
) -> Response:
    """The signing page again with an error, or the 404/410 page when the link is dead."""
    portal = _portal(request)
    try:
        page = await run_in_threadpool(portal.link_page, token)
    except (LinkUnknown, LinkGone) as exc:
        return _failure(request, exc)
    text = error.message if isinstance(error, DocflowError) else error
    return _sign_page(request, token, page, status, error=text, **extra)


async def show(request: Request) -> Response:
    """GET /s/{token}: the document's pages and the forms."""
    token = request.path_params["token"]
    if limited := await _guarded(request, "link", request.app.state.config.link_rate):
        return limited
    try:
        page = await run_in_threadpool(_portal(request).link_page, token)
    except (LinkUnknown, LinkGone) as exc:
        return _failure(request, exc)
    return _sign_page(request, token, page)


async def document_pdf(request: Request) -> Response:
    """GET /s/{token}/document.pdf: the PDF to sign, as a download."""
    token = request.path_params["token"]
    try:
        name, pdf = await run_in_threadpool(_portal(request).link_pdf, token)
    except (LinkUnknown, LinkGone) as exc:
        return _failure(request, exc)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "cache-control": "private, no-store",
        },
    )


async def page_image(request: Request) -> Response:
    """GET /s/{token}/page/{n}.png: one page as an image."""
    token = request.path_params["token"]
    number = int(request.path_params["number"])
    try:
        png = await run_in_threadpool(_portal(request).link_image, token, number, _PAGE_WIDTH)
    except (LinkUnknown, LinkGone) as exc:
        return _failure(request, exc)
    except InvalidInput:
        return pages.not_found(request)
    return Response(png, media_type="image/png", headers={"cache-control": "private, max-age=600"})


async def _form(request: Request) -> tuple[Any, Response | None]:
    """The posted form, or the page that refuses it (403 without the CSRF token, 429)."""
    if limited := await _guarded(request, "post", request.app.state.config.post_rate):
        return None, limited
    form = await request.form(max_files=1, max_fields=12)
    if not tokens_match(str(form.get("csrf", "")), request.cookies.get(CSRF_COOKIE)):
        return None, pages.forbidden(request)
    return form, None


def _done(request: Request, locale: str, heading: str, text: str) -> Response:
    w = words(locale)
    return pages.message(request, 200, w[heading], text, lang=w["lang"])


async def sign(request: Request) -> Response:
    """POST /s/{token}/sign: name, drawing, consent (and code) -> a portal signature."""
    from docflow.api import PortalForm

    token = request.path_params["token"]
    form, refused = await _form(request)
    if refused is not None:
        return refused
    entered = PortalForm(
        signer=str(form.get("signer", "")),
        drawing=str(form.get("drawing", "")),
        consent=form.get("consent") == "yes",
        code=str(form.get("code", "")),
    )
    try:
        page = await run_in_threadpool(_portal(request).link_page, token)
        result = await run_in_threadpool(_portal(request).sign, token, entered, visitor(request))
    except (LinkUnknown, LinkGone) as exc:
        return _failure(request, exc)
    except (InvalidInput, Conflict, EnvironmentProblem) as exc:
        status = 400
        if isinstance(exc, Conflict):
            status = 409
        elif isinstance(exc, EnvironmentProblem):
            status = 503  # no seal: signing online is off, uploads and declines still work
        return await _page_or_error(request, token, exc, status, form={"signer": entered.signer})
    doc = result.document
    w = words(page.locale)
    return _done(request, page.locale, "done_title", w["done"].format(f"{doc.id} {doc.title}"))


async def upload(request: Request) -> Response:
    """POST /s/{token}/upload: a signed PDF or a scan, checked as ``sign --file`` checks it."""
    from docflow.api import Upload

    token = request.path_params["token"]
    form, refused = await _form(request)
    if refused is not None:
        return refused
    sent = form.get("file")
    if sent is None or isinstance(sent, str):
        await form.close()
        return await _page_or_error(request, token, "choose a file to upload", 400)
    data = await sent.read()
    name = (sent.filename or "upload").rsplit("/", 1)[-1][:120]
    await form.close()  # the spooled upload: its bytes are read
    try:
        page = await run_in_threadpool(_portal(request).link_page, token)
        result = await run_in_threadpool(
            _portal(request).upload,
            token,
            str(form.get("signer", "")),
            Upload(name, data),
            str(form.get("code", "")),
            visitor(request),
        )
    except (LinkUnknown, LinkGone) as exc:
        return _failure(request, exc)
    except DocflowError as exc:
        if exc.exit_code not in (4, 5, 6):
            raise
        return await _page_or_error(request, token, exc, 422 if exc.exit_code == 6 else 400)
    doc = result.document
    w = words(page.locale)
    return _done(request, page.locale, "done_title", w["done"].format(f"{doc.id} {doc.title}"))


async def decline(request: Request) -> Response:
    """POST /s/{token}/decline: name and reason, recorded for the PM."""
    token = request.path_params["token"]
    form, refused = await _form(request)
    if refused is not None:
        return refused
    try:
        page = await run_in_threadpool(_portal(request).link_page, token)
        row = await run_in_threadpool(
            _portal(request).decline,
            token,
            str(form.get("signer", "")),
            str(form.get("reason", "")),
            visitor(request),
        )
    except (LinkUnknown, LinkGone) as exc:
        return _failure(request, exc)
    except (InvalidInput, Conflict) as exc:
        return await _page_or_error(request, token, exc, 409 if isinstance(exc, Conflict) else 400)
    w = words(page.locale)
    if page.objection_deadline is not None:
        return _done(request, page.locale, "objected_title", w["objected"].format(row.document))
    return _done(request, page.locale, "declined_title", w["declined"].format(row.document))


async def send_code(request: Request) -> Response:
    """POST /s/{token}/code: mail a one-time code to the party's address."""
    token = request.path_params["token"]
    _form_data, refused = await _form(request)
    if refused is not None:
        return refused
    try:
        page = await run_in_threadpool(_portal(request).link_page, token)
        per_link = dt.timedelta(minutes=10)  # per link, whoever asks
        if request.app.state.config.rate_limits and await run_in_threadpool(
            _portal(request).rate_limited, f"code:{page.link_id}", 3, per_link
        ):
            return pages.too_many(request)
        address = await run_in_threadpool(_portal(request).send_code, token)
    except (LinkUnknown, LinkGone) as exc:
        return _failure(request, exc)
    except DocflowError as exc:
        if exc.exit_code not in (1, 4):
            raise
        return await _page_or_error(request, token, exc, 400 if exc.exit_code == 4 else 503)
    w = words(page.locale)
    return _sign_page(request, token, page, notice=w["code_sent"].format(address))


def routes() -> list[Route]:
    """The signing page's routes."""
    from starlette.routing import Route

    return [
        Route("/s/{token}", show, methods=["GET"]),
        Route("/s/{token}/document.pdf", document_pdf, methods=["GET"]),
        Route("/s/{token}/page/{number:int}.png", page_image, methods=["GET"]),
        Route("/s/{token}/sign", sign, methods=["POST"]),
        Route("/s/{token}/upload", upload, methods=["POST"]),
        Route("/s/{token}/decline", decline, methods=["POST"]),
        Route("/s/{token}/code", send_code, methods=["POST"]),
    ]
