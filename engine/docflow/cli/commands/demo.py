"""``docflow demo DIR``."""

from __future__ import annotations

from pathlib import Path

import click

from docflow.cli import Env
from docflow.cli.output import emit


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--locale", type=click.Choice(["zh-CN", "en"]), default="zh-CN", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON at the end only.")
@click.pass_obj
def demo(env: Env, directory: Path, locale: str, as_json: bool) -> None:
    """Run the example project from contract to maintenance, signing on the way."""
    from docflow import api

    base = env.directory or Path.cwd()
    say = (lambda _msg: None) if as_json else click.echo
    result = api.demo(base / directory, locale=locale, store=env.store, say=say)
    if as_json:
        emit(result.to_dict(), True)
