"""``docflow status``."""

from __future__ import annotations

from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit, style


def show_steps(con: Any, steps: list[dict[str, Any]]) -> None:
    """Print next steps with their blockers."""
    from rich.markup import escape

    if not steps:
        con.print("No step left: the workflow is complete.")
    for step in steps:
        mark = style("ready", "green") if step["ready"] else style("blocked", "red")
        emits = f"  emits {', '.join(step['emits'])}" if step["emits"] else ""
        con.print(
            f"  {mark}  [bold]{escape(step['trigger'])}[/bold] -> {escape(step['dest'])}"
            f"  {escape(step['title'])}{emits}"
        )
        for blocker in step["blockers"]:
            con.print(f"           - {escape(blocker['message'])}")


def show_documents(con: Any, docs: list[dict[str, Any]], title: str = "Documents") -> None:
    """Print a table of documents, then what each out-of-date one no longer matches."""
    from rich.markup import escape
    from rich.table import Table

    if not docs:
        return
    table = Table(title=title, title_justify="left", show_edge=False)
    for col in ("id", "title", "v", "status", "annex", "awaiting", "signed", "pdf"):
        table.add_column(col)
    for d in docs:
        signed = ", ".join(f"{s['party']}:{s['method']}" for s in d["signatures"])
        state = d["status"] + (" (out of date)" if d.get("out_of_date") else "")
        table.add_row(
            escape(d["id"]),
            escape(d["title"]),
            str(d["version"]),
            style(state, "dim") if d["status"] in ("superseded", "void") else escape(state),
            str(d["annex"] or ""),
            ", ".join(d["awaiting"]),
            escape(signed),
            escape(d["files"].get("signed_pdf") or d["files"]["pdf"] or ""),
        )
    con.print(table)
    stale = [d for d in docs if d.get("out_of_date")]
    if stale:
        con.print("Out of date (no longer match project.yaml):")
    for d in stale:
        for diff in d["differences"]:
            con.print(f"  {escape(d['id'])}: {escape(diff['message'])}")
    for d in docs:
        for t in d.get("translations", []):
            con.print(
                f"  {escape(d['id'])} v{d['version']} convenience translation ({t['locale']}): "
                f"{escape(t['files'].get('pdf') or t['files'].get('docx') or '')}"
            )


def show_records(con: Any, records: dict[str, Any] | None) -> None:
    """Print deadlines and deemed confirmations, overdue action items, the survey."""
    from rich.markup import escape

    if not records:
        return
    for c in records["confirmations"]:
        if c["state"] == "awaiting":
            text = f"awaits the {c['party']}: objections until {c['deadline']}"
        elif c["state"] == "objected":
            text = style(f"objected by the {c['party']} on {c['objected_on']}", "red")
            text += f": {escape(c['objection'] or '')}"
        else:
            text = style(f"deemed confirmed on {c['deemed_on']}", "green")
        con.print(f"  {escape(c['document'])} v{c['version']} {escape(c['title'])}: {text}")
    actions = records["actions"]
    overdue = actions["overdue"]
    if records["meetings"] or actions["open"]:
        late = ", ".join(f"{p} {n}" for p, n in overdue.items() if n) or "none"
        con.print(
            f"Meetings: {records['meetings']}; action items open: {actions['open']}, "
            f"overdue: {style(late, 'red') if any(overdue.values()) else late}"
        )
    survey = records["satisfaction"]
    if survey:
        con.print(
            f"Satisfaction: {survey['document']}, {survey['responses']} returned, "
            f"average {survey['average'] if survey['average'] is not None else '-'}"
        )


@click.command()
@json_option
@click.pass_obj
def status(env: Env, as_json: bool) -> None:
    """Show state, next steps with blockers, documents, change summary."""
    from docflow.api.frontend import memo

    workspace = env.workspace()
    view = memo.recall("status", workspace, env.store)
    if view is None:
        project = env.project()
        facts = memo.Facts(project.code, project.workflow)
        view = project.status().to_dict()
        memo.remember("status", workspace, env.store, facts, view)

    def human(con: Any) -> None:
        p = view["project"]
        con.print(f"[bold]{p['code']}[/bold] {p['name']}")
        con.print(
            f"State: [bold]{view['state']}[/bold] ({view['state_title']}), phase {view['phase']}"
        )
        con.print("Next steps:")
        show_steps(con, view["transitions"])
        show_documents(con, view["documents"])
        for d in view.get("declines", []):
            from rich.markup import escape

            con.print(
                f"  {style('declined', 'red')}: {d['document']} v{d['version']} by the "
                f"{d['party']} ({escape(d['signer'])}, {d['at'][:16]}): {escape(d['reason'])}"
            )
        ch = view["changes"]
        if ch["baseline"] is not None:
            color = {"ok": "green", "warn": "yellow", "alarm": "red"}[ch["level"]]
            ratio = style(f"{ch['ratio']:.1%}", color)
            con.print(
                f"Changes: ratio {ratio} of "
                f"{ch['baseline']} baseline requirements (warn {ch['warn_ratio']:.0%}, "
                f"alarm {ch['alarm_ratio']:.0%}); open: {', '.join(ch['open']) or 'none'}"
            )
            if ch.get("alert"):
                con.print(f"  {style(ch['level'].upper(), color)}: {style(ch['alert'], color)}")
            for d in ch["drift"]:
                con.print(f"  {style('drift', 'red')}: {d['message']}")
        show_records(con, view.get("records"))
        con.print(f"Audit chain: seq {view['chain']['seq']}, head {view['chain']['head'][:16]}")

    emit(view, as_json, human)
