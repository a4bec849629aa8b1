"""``docflow export legal OUT.zip``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit, style


@click.group()
def export() -> None:
    """Export bundles."""


@export.command("legal")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the manifest).")
@click.option(
    "--force",
    is_flag=True,
    help="Export even when verify finds problems; the manifest lists them.",
)
@click.pass_obj
def legal(env: Env, out: Path, as_json: bool, force: bool) -> None:
    """Every contract annex in annex order, a register (PDF, CSV) and manifest.json.

    Refused (exit 6) while `docflow verify` finds problems, unless --force."""
    manifest = env.project().export_legal(out, force=force).to_dict()

    def human(con: Any) -> None:
        con.print(
            f"Wrote {manifest['path']}: {len(manifest['register'])} annex(es), "
            f"{len(manifest['files'])} file(s)"
        )
        for problem in manifest["problems"]:
            con.print("  " + style(f"not verified: {problem['kind']}: {problem['message']}", "red"))
        for row in manifest["register"]:
            con.print(
                f"  {row['annex']:>3}  {row['document']:<6} {row['status']:<10} {row['title']}"
            )

    emit(manifest, as_json, human)
