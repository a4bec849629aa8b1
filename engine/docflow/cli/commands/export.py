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
        raise IntegrityFailure(env.tr("cli.force", detail=exc.message), exc.problems) from exc
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr, word

        line = tr(
            lang,
            "export.legal",
            path=manifest["path"],
            annexes=len(manifest["register"]),
            files=len(manifest["files"]),
        )
        con.print(escape(line))
        for problem in manifest["problems"]:
            con.print("  " + style(tr(lang, "export.unverified", **problem), "red"))
        for row in manifest["register"]:
            status = word(lang, "status", row["status"])
            con.print(
                escape(f"  {row['annex']:>3}  {row['document']:<6} {status:<10} {row['title']}")
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
        raise click.UsageError(env.tr("cli.out_zip"))
    if sum((bool(doc_ids), step is not None, pending)) != 1:
        raise click.UsageError(env.tr("cli.which_docs"))
    project = env.project()
    result = project.export_client(
        Path(out), doc_ids, step=step, pending=pending, with_signed=with_signed, date=day(date)
    ).to_dict()
    lang = env.speaks(project.locale)

    def human(con: Any) -> None:
        from rich.markup import escape

        from docflow.api.frontend import tr, word

        con.print(
            escape(tr(lang, "export.client", path=result["path"], n=len(result["documents"])))
        )
        for f in result["files"]:
            con.print(f"  {escape(f['name'])}")
        sep = tr(lang, "list_sep")
        for d in result["documents"]:
            if d["awaiting"]:
                parties = sep.join(word(lang, "party", p) for p in d["awaiting"])
                con.print(escape(tr(lang, "export.awaits", id=d["id"], parties=parties)))

    emit(result, as_json, human)
