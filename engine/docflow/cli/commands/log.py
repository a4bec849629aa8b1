"""``docflow log`` and ``docflow verify``."""

from __future__ import annotations

import sys
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit, style
from docflow.errors import IntegrityFailure


@click.command()
@json_option
@click.pass_obj
def log(env: Env, as_json: bool) -> None:
    """Show the audit trail, oldest first."""
    from docflow.app import memo

    workspace = env.workspace()
    events = memo.recall("log", workspace, env.store)
    if events is None:
        project = env.project()
        facts = memo.Facts(project.code, project.workflow)
        events = [e.to_dict() for e in project.log()]
        memo.remember("log", workspace, env.store, facts, events)

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
@json_option
@click.pass_obj
def verify(env: Env, as_json: bool) -> None:
    """Check the event chain, stored documents and files on disk (exit 6 on damage)."""
    result = env.project().verify()
    report = result.to_dict()

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
        problems = list(result.problems)
        exc = IntegrityFailure(
            f"verify found {len(problems)} problem(s) in project {report['project']}", problems
        )
        lines = [f"docflow: {exc.message}"] + [f"  - {p.kind}: {p}" for p in problems]
        sys.stderr.write("\n".join(lines) + "\n")
        sys.exit(exc.exit_code)
    emit(report, as_json, human)
