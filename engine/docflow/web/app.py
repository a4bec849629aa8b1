"""The portal's ASGI application: the signing pages and the PM dashboard over one store.

:func:`create_app` builds a Starlette application from a :class:`ServeConfig`; the process
keeps nothing but an open store and the seal key, so several processes (``--workers``, or
servers on several machines behind a load balancer) serve the same links. ``docflow serve``
hands its configuration to worker processes through ``DOCFLOW_SERVE_*`` variables, read by
:func:`app_from_env`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from docflow.api import Portal

__all__ = ["ENV_CONFIG", "ServeConfig", "app_from_env", "create_app"]

ENV_CONFIG = "DOCFLOW_SERVE_CONFIG"
STATIC = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True)
class ServeConfig:
    """How a portal process runs: its store, public address, seal, and rate limits."""

    store_url: str
    base_url: str
    seal_p12: str | None = None
    seal_password_file: str | None = None
    rate_limits: bool = True
    link_rate: int = 120  # signing-page requests per address per minute
    post_rate: int = 20  # form posts per address per minute

    @property
    def https(self) -> bool:
        """Whether the portal is served over HTTPS (Secure cookies, HSTS)."""
        return self.base_url.startswith("https://")

    def to_env(self) -> str:
        """The configuration as the JSON a worker process reads (no secrets in it)."""
        return json.dumps(asdict(self))


def _seal(config: ServeConfig) -> tuple[bytes | None, bytes | None]:
    """The seal's PKCS#12 bytes and password (from its file, else DOCFLOW_P12_PASSWORD)."""
    from docflow.errors import InvalidInput

    if config.seal_p12 is None:
        return None, None
    try:
        p12 = Path(config.seal_p12).read_bytes()
        if config.seal_password_file:
            password: bytes | None = Path(config.seal_password_file).read_bytes().rstrip(b"\r\n")
        else:
            env = os.environ.get("DOCFLOW_P12_PASSWORD")
            password = env.encode() if env is not None else None
    except OSError as exc:
        raise InvalidInput(f"cannot read the seal certificate: {exc.strerror or exc}") from exc
    return p12, password


def open_portal(config: ServeConfig) -> Portal:
    """The Portal of ``config``'s store, with its seal key loaded."""
    from docflow.api import Portal

    p12, password = _seal(config)
    return Portal.open(config.store_url, seal_p12=p12, password=password)


def create_app(config: ServeConfig, portal: Portal | None = None) -> Starlette:
    """The ASGI application (``portal`` may be given, e.g. by tests sharing one)."""
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from docflow.web import dashboard, pages, signing
    from docflow.web.security import AccessLog, BodyLimit, SecurityHeaders, max_body_bytes

    async def health(_request: Request) -> Response:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse("ok")

    async def missing(request: Request, _exc: Exception) -> Response:
        return pages.not_found(request)

    app = Starlette(
        routes=[
            *signing.routes(),
            *dashboard.routes(),
            Route("/healthz", health, methods=["GET"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        exception_handlers={404: missing, 405: missing},
    )
    app.state.config = config
    app.state.portal = portal if portal is not None else open_portal(config)
    # Outermost first: the log sees every answer, headers go on every answer (413s too).
    app.add_middleware(BodyLimit, limit=max_body_bytes())
    app.add_middleware(SecurityHeaders, https=config.https)
    app.add_middleware(AccessLog)
    return app


def app_from_env() -> Starlette:
    """The application of a worker process started by ``docflow serve --workers N``."""
    raw = os.environ.get(ENV_CONFIG)
    if not raw:
        raise RuntimeError(f"{ENV_CONFIG} is not set; start the portal with `docflow serve`")
    return create_app(ServeConfig(**json.loads(raw)))
