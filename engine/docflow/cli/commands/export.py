"""``docflow export legal OUT.zip`` and ``docflow export client DOC_ID... OUT.zip``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import date_option, day
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
    from docflow.errors import IntegrityFailure

    project = env.project()
    try:
        manifest = project.export_legal(out, force=force).to_dict()
    except IntegrityFailure as exc:
        if force or not exc.problems:
            raise
        # Refused for what verify found; the library names no flag, this command does.
        raise IntegrityFailure(f"{exc.message} (--force)", exc.problems) from exc

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


@export.command("client")
@click.argument("args", nargs=-1, required=True, metavar="[DOC_ID]... OUT.zip")
@click.option("--step", metavar="TRIGGER", help="The documents step TRIGGER issued last.")
@click.option("--pending", is_flag=True, help="Every document awaiting a signature.")
@click.option("--with-signed", is_flag=True, help="Add the scans of recorded signatures.")
@date_option("the cover letter carries")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the files written).")
@click.pass_obj
def client(
    env: Env,
    args: tuple[str, ...],
    step: str | None,
    pending: bool,
    with_signed: bool,
    date: Any,
    as_json: bool,
) -> None:
    """Documents to send: their current versions (PDF, signed PDF once signed, and DOCX),
    named for people, with a cover letter saying what is enclosed and who signs what."""
    *doc_ids, out = args
    if not out.lower().endswith(".zip"):
        raise click.UsageError("the last argument is the bundle to write, OUT.zip")
    if sum((bool(doc_ids), step is not None, pending)) != 1:
        raise click.UsageError("name the documents to send: DOC_ID..., --step TRIGGER or --pending")
    result = (
        env.project()
        .export_client(
            Path(out), doc_ids, step=step, pending=pending, with_signed=with_signed, date=day(date)
        )
        .to_dict()
    )

    def human(con: Any) -> None:
        from rich.markup import escape

        con.print(f"Wrote {escape(result['path'])}: {len(result['documents'])} document(s)")
        for f in result["files"]:
            con.print(f"  {escape(f['name'])}")
        for d in result["documents"]:
            if d["awaiting"]:
                con.print(f"  {d['id']} awaits {', '.join(d['awaiting'])}")

    emit(result, as_json, human)
