"""``docflow log`` and ``docflow verify``."""

from __future__ import annotations

import sys
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.output import emit, style
from docflow.errors import IntegrityFailure, Problem


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def log(env: Env, as_json: bool) -> None:
    """Show the audit trail, oldest first."""
    session = env.session()
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
@click.pass_obj
def verify(env: Env, as_json: bool) -> None:
    """Check the event chain, stored documents and files on disk (exit 6 on damage)."""
    from docflow.runtime.verify import verify as run

    report = run(env.session())

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
