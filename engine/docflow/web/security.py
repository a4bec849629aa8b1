"""The server's protections: security headers, bounded request bodies, CSRF tokens, the
client's address, an access log that never shows a link's token.

Every response gets a Content-Security-Policy without inline script (the only script is the
package's own ``sign.js``), frame-ancestors 'none' and X-Frame-Options DENY, Referrer-Policy
no-referrer (a link's token must not leak to other sites), nosniff, and HSTS when the portal
is served over HTTPS. Forms carry a CSRF token: on pages without a login a double-submit
cookie, on the dashboard a token derived from the session cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = [
    "CSRF_COOKIE",
    "AccessLog",
    "BodyLimit",
    "SecurityHeaders",
    "max_body_bytes",
    "redact",
    "session_csrf",
    "tokens_match",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "df_csrf"
_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_MB = 1024 * 1024
_TOKEN_PATH = re.compile(r"^/s/[^/]+")
log = logging.getLogger("docflow.web")


def max_body_bytes() -> int:
    """The largest request body: what ``docflow sign --file`` reads at most
    (``DOCFLOW_MAX_INPUT_MB``, default 50 MB), plus room for the form's other fields."""
    raw = os.environ.get("DOCFLOW_MAX_INPUT_MB", "").strip()
    mb = int(raw) if raw.isdigit() and 1 <= int(raw) <= 4096 else 50
    return mb * _MB + 64 * 1024


def redact(path: str) -> str:
    """A request path with a link's token replaced, for logs."""
    return _TOKEN_PATH.sub("/s/…", path)


def tokens_match(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of two tokens; empty never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def session_csrf(session_cookie: str) -> str:
    """The CSRF token of the dashboard's forms, bound to the login session."""
    return hmac.new(session_cookie.encode(), b"docflow-csrf", hashlib.sha256).hexdigest()


def new_csrf() -> str:
    """A fresh double-submit token."""
    return secrets.token_urlsafe(24)


class SecurityHeaders:
    """Adds the security headers to every response (HSTS only when ``https``)."""

    def __init__(self, app: App, https: bool) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", _CSP.encode()),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-content-type-options", b"nosniff"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if https:
            self.headers.append(
                (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses a request body over ``limit`` bytes (413) or of unannounced length (411).

    The HTTP/1.1 server delivers no more bytes than Content-Length announces, so checking
    the announced length bounds what a form parser can be made to read.
    """

    def __init__(self, app: App, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length", b"")
        if not declared.isdigit():
            await _refuse(send, 411, b"A request body must announce its length.")
        elif int(declared) > self.limit:
            await _refuse(send, 413, b"The upload is too large.")
        else:
            await self.app(scope, receive, send)


async def _refuse(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class AccessLog:
    """One log line per request, with any link token in the path replaced."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            client = scope.get("client") or ("-", 0)
            log.info(
                '%s "%s %s" %d %.1fms',
                client[0],
                scope.get("method", "-"),
                redact(scope.get("path", "")),
                status,
                (time.perf_counter() - start) * 1000,
            )
