"""Running the portal: uvicorn, with an access log that never shows a link's token.

uvicorn's own access log prints every request path, and a signing link's path is its token:
it is switched off and :class:`~docflow.web.security.AccessLog` logs each request with the
token replaced. Behind a reverse proxy, ``forwarded_allow_ips`` names the proxies whose
X-Forwarded-For and X-Forwarded-Proto headers are believed (the visitor's address recorded
with a signature comes from there).
"""

from __future__ import annotations

import logging
import logging.config
import os
import sys
from typing import Any

from docflow.web.app import ENV_CONFIG, ServeConfig

__all__ = ["run"]

_LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "err": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "uvicorn": {"handlers": ["err"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        "docflow.web": {"handlers": ["err"], "level": "INFO", "propagate": False},
    },
}


def run(
    config: ServeConfig,
    *,
    host: str,
    port: int,
    workers: int = 1,
    forwarded_allow_ips: str = "127.0.0.1",
) -> None:
    """Serve until interrupted."""
    import uvicorn

    from docflow.web.app import create_app, open_portal

    logging.config.dictConfig(_LOG_CONFIG)
    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "access_log": False,
        "log_config": _LOG_CONFIG,
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,
        "server_header": False,
    }
    if workers > 1:
        open_portal(config).close()  # fail here, once, on a bad store or seal
        os.environ[ENV_CONFIG] = config.to_env()
        uvicorn.run("docflow.web.app:app_from_env", factory=True, workers=workers, **common)
        return
    app = create_app(config)
    print(
        f"docflow portal on http://{host}:{port} (public address {config.base_url})",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(app, **common)
