"""``docflow serve``: the signing portal and the PM dashboard over the store."""

from __future__ import annotations

from pathlib import Path

import click

from docflow.cli import Env
from docflow.cli.commands.portal import _store_url


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--base-url",
    envvar="DOCFLOW_BASE_URL",
    metavar="URL",
    help="The public address links use (https://… behind a proxy: Secure cookies and HSTS).",
)
@click.option(
    "--seal-p12",
    type=click.Path(dir_okay=False, path_type=Path),
    help="PKCS#12 certificate that seals portal signatures (needed to sign in the browser).",
)
@click.option(
    "--seal-password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File holding its password (else DOCFLOW_P12_PASSWORD).",
)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1",
    show_default=True,
    help="Proxies whose X-Forwarded-For/-Proto headers are trusted ('*' for any).",
)
@click.option(
    "--link-rate",
    default=120,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Signing-page requests per address and minute.",
)
@click.pass_obj
def serve(
    env: Env,
    host: str,
    port: int,
    base_url: str | None,
    seal_p12: Path | None,
    seal_password_file: Path | None,
    workers: int,
    forwarded_allow_ips: str,
    link_rate: int,
) -> None:
    """Serve the signing pages and the PM dashboard until interrupted."""
    from docflow.api.frontend import ServeConfig
    from docflow.api.frontend import portal_base_url as public_url
    from docflow.api.frontend import serve as run
    from docflow.cli.process import long_running

    long_running()
    config = ServeConfig(
        store_url=_store_url(env),
        base_url=public_url(base_url or f"http://{host}:{port}"),
        seal_p12=str(seal_p12) if seal_p12 else None,
        seal_password_file=str(seal_password_file) if seal_password_file else None,
        link_rate=link_rate,
    )
    run(config, host=host, port=port, workers=workers, forwarded_allow_ips=forwarded_allow_ips)
