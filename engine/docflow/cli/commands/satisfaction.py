"""``docflow satisfaction record``: the answers of a returned satisfaction survey."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit


@click.group()
def satisfaction() -> None:
    """Record the client's answers to the satisfaction survey."""


@satisfaction.command("record")
@click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path),
    required=True,
    help="scores.yaml (see schemas/satisfaction.schema.json).",
)
@json_option
@click.pass_obj
def record(env: Env, file: Path, as_json: bool) -> None:
    """Record one returned survey's scores and comments."""
    from docflow.api import read_scores_file

    project = env.project()
    view = project.record_satisfaction(read_scores_file(file)).to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr

        line = tr(
            lang,
            "satisfaction.recorded",
            doc=view["document"],
            name=view["respondent"]["name"],
            date=view["date"],
            average=f"{view['average']:.2f}",
            n=view["responses"],
            overall=view["overall"],
        )
        con.print(escape(line))

    emit(view, as_json, human)
