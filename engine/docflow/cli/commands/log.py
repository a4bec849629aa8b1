"""``docflow log`` and ``docflow verify``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit, style
from docflow.errors import IntegrityFailure, Problem


def _unchecked_session(env: Env) -> Any:
    """The project, opened even when its rows disagree with its chain (to report on it)."""
    from docflow.runtime.session import open_session

    return open_session(env.workspace(), env.store, env.actor, check_rows=False)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def log(env: Env, as_json: bool) -> None:
    """Show the audit trail, oldest first."""
    session = _unchecked_session(env)
    events = [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor,
            "type": e.type,
            "data": e.data,
            "hash": e.hash,
            "prev_hash": e.prev_hash,
        }
        for e in session.store.events(session.code)
    ]

    def human(con: Any) -> None:
        from rich.markup import escape

        for e in events:
            d = e["data"]
            what = d.get("trigger") or d.get("document") or d.get("change") or ""
            extra = f" {d['from']} -> {d['to']}" if "from" in d and "to" in d else ""
            con.print(
                f"{e['seq']:>4} {e['at']}  {escape(e['actor']):<12} "
                f"[bold]{escape(e['type'])}[/bold] {escape(str(what))}{escape(extra)}"
            )

    emit(events, as_json, human)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--anchor",
    "anchor_texts",
    multiple=True,
    metavar="SEQ:HASH",
    help="A chain head recorded elsewhere that the chain must still hold (repeatable).",
)
@click.option(
    "--anchors",
    "anchor_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Anchors kept in FILE: a legal bundle, its manifest.json, or SEQ:HASH lines.",
)
@click.pass_obj
def verify(
    env: Env, as_json: bool, anchor_texts: tuple[str, ...], anchor_files: tuple[Path, ...]
) -> None:
    """Check the event chain, the rows, stored documents and files on disk (exit 6 on damage)."""
    from docflow.runtime.verify import verify as run
    from docflow.store.anchors import parse_anchor, read_anchors

    anchors = [parse_anchor(text) for text in anchor_texts]
    anchors += [anchor for path in anchor_files for anchor in read_anchors(path)]
    report = run(_unchecked_session(env), anchors)

    def human(con: Any) -> None:
        if report["ok"]:
            con.print(
                f"{style('ok', 'green')}: {report['events']} events, "
                f"{report['documents']} document versions, "
                f"{report['files_checked']} files checked"
            )

    if not report["ok"]:
        if as_json:
            emit(report, True)
        problems = [
            Problem(**{k: p[k] for k in ("message", "file", "line", "path", "kind")})
            for p in report["problems"]
        ]
        exc = IntegrityFailure(
            f"verify found {len(problems)} problem(s) in project {report['project']}", problems
        )
        lines = [f"docflow: {exc.message}"] + [f"  - {p.kind}: {p}" for p in problems]
        sys.stderr.write("\n".join(lines) + "\n")
        sys.exit(exc.exit_code)
    emit(report, as_json, human)
