"""``docflow status``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from docflow.cli import Env
from docflow.cli.options import json_option
from docflow.cli.output import emit, style


def _words() -> tuple[Callable[..., str], Callable[[str | None, str, str], str]]:
    from docflow.api.frontend import tr, word

    return tr, word


def show_steps(con: Any, steps: list[dict[str, Any]], lang: str = "en") -> None:
    """Print next steps with their blockers, in ``lang``."""
    from rich.markup import escape

    tr, _ = _words()
    if not steps:
        con.print(tr(lang, "complete"))
    for step in steps:
        if step["ready"]:
            mark = style(tr(lang, "ready"), "green")
        else:
            mark = style(tr(lang, "blocked"), "red")
        sep = tr(lang, "list_sep")
        emits = tr(lang, "emits", docs=sep.join(step["emits"])) if step["emits"] else ""
        con.print(
            f"  {mark}  [bold]{escape(step['trigger'])}[/bold] -> {escape(step['dest'])}"
            f"  {escape(step['title'])}{escape(emits)}"
        )
        for blocker in step["blockers"]:
            con.print(f"           - {escape(blocker['message'])}")


def _signed(lang: str, signatures: list[dict[str, Any]]) -> str:
    tr, word = _words()
    return tr(lang, "list_sep").join(
        f"{word(lang, 'party', s['party'])}:{word(lang, 'method', s['method'])}" for s in signatures
    )


def show_documents(
    con: Any, docs: list[dict[str, Any]], title: str | None = None, lang: str = "en"
) -> None:
    """Print a table of documents, then what each out-of-date one no longer matches."""
    from rich.markup import escape
    from rich.table import Table

    tr, word = _words()
    if not docs:
        return
    table = Table(title=title or tr(lang, "documents"), title_justify="left", show_edge=False)
    for col in ("id", "title", "v", "status", "annex", "awaiting", "signed", "pdf"):
        table.add_column(tr(lang, f"col.{col}"))
    sep = tr(lang, "list_sep")
    for d in docs:
        state = word(lang, "status", d["status"])
        state += tr(lang, "out_of_date") if d.get("out_of_date") else ""
        table.add_row(
            escape(d["id"]),
            escape(d["title"]),
            str(d["version"]),
            style(state, "dim") if d["status"] in ("superseded", "void") else escape(state),
            str(d["annex"] or ""),
            sep.join(word(lang, "party", p) for p in d["awaiting"]),
            escape(_signed(lang, d["signatures"])),
            escape(d["files"].get("signed_pdf") or d["files"]["pdf"] or ""),
        )
    con.print(table)
    stale = [d for d in docs if d.get("out_of_date")]
    if stale:
        con.print(tr(lang, "stale_header"))
    for d in stale:
        for diff in d["differences"]:
            con.print(f"  {escape(d['id'])}: {escape(diff['message'])}")
    for d in docs:
        for t in d.get("translations", []):
            path = t["files"].get("pdf") or t["files"].get("docx") or ""
            line = tr(
                lang, "translation", id=d["id"], version=d["version"], locale=t["locale"], path=path
            )
            con.print(escape(line))


def show_records(con: Any, records: dict[str, Any] | None, lang: str = "en") -> None:
    """Print deadlines and deemed confirmations, overdue action items, the survey."""
    from rich.markup import escape

    tr, word = _words()
    if not records:
        return
    for c in records["confirmations"]:
        party = word(lang, "party", c["party"])
        if c["state"] == "awaiting":
            text = escape(tr(lang, "awaits", party=party, deadline=c["deadline"]))
        elif c["state"] == "objected":
            text = style(tr(lang, "objected", party=party, date=c["objected_on"]), "red")
            text += f": {escape(c['objection'] or '')}"
        else:
            text = style(tr(lang, "deemed", date=c["deemed_on"]), "green")
        head = f"{c['document']} v{c['version']} {c['title']}{tr(lang, 'colon')}"
        con.print(f"  {escape(head)}{text}")
    actions = records["actions"]
    overdue = actions["overdue"]
    if records["meetings"] or actions["open"]:
        late = tr(lang, "list_sep").join(
            f"{word(lang, 'party', p)} {n}" for p, n in overdue.items() if n
        ) or tr(lang, "none")
        con.print(
            tr(
                lang,
                "meetings",
                meetings=records["meetings"],
                open=actions["open"],
                late=style(late, "red") if any(overdue.values()) else late,
            )
        )
    survey = records["satisfaction"]
    if survey:
        avg = survey["average"] if survey["average"] is not None else "-"
        line = tr(lang, "satisfaction", doc=survey["document"], n=survey["responses"], avg=avg)
        con.print(escape(line))


def show_status(con: Any, view: dict[str, Any], lang: str) -> None:
    """Print a project's status view for people, in ``lang``."""
    from rich.markup import escape

    tr, word = _words()
    p = view["project"]
    con.print(f"[bold]{escape(p['code'])}[/bold] {escape(p['name'])}")
    con.print(
        tr(
            lang,
            "state",
            state=escape(view["state"]),
            title=escape(view["state_title"]),
            phase=escape(view["phase"]),
        )
    )
    con.print(tr(lang, "next_steps"))
    show_steps(con, view["transitions"], lang)
    show_documents(con, view["documents"], lang=lang)
    for d in view.get("declines", []):
        line = tr(
            lang,
            "declined_line",
            mark="\x00",
            doc=d["document"],
            version=d["version"],
            party=word(lang, "party", d["party"]),
            signer=d["signer"],
            at=d["at"][:16],
            reason=d["reason"],
        )
        con.print("  " + escape(line).replace("\x00", style(tr(lang, "declined"), "red")))
    ch = view["changes"]
    if ch["baseline"] is not None:
        color = {"ok": "green", "warn": "yellow", "alarm": "red"}[ch["level"]]
        line = tr(
            lang,
            "changes",
            ratio="\x00",
            baseline=ch["baseline"],
            warn=f"{ch['warn_ratio']:.0%}",
            alarm=f"{ch['alarm_ratio']:.0%}",
            open=tr(lang, "list_sep").join(ch["open"]) or tr(lang, "none"),
        )
        con.print(escape(line).replace("\x00", style(f"{ch['ratio']:.1%}", color)))
        if ch.get("alert"):
            con.print(f"  {style(ch['level'].upper(), color)}: {style(ch['alert'], color)}")
        for d in ch["drift"]:
            con.print(f"  {style(tr(lang, 'drift'), 'red')}: {escape(d['message'])}")
    show_records(con, view.get("records"), lang)
    con.print(tr(lang, "chain", seq=view["chain"]["seq"], head=view["chain"]["head"][:16]))


@click.command()
@json_option
@click.pass_obj
def status(env: Env, as_json: bool) -> None:
    """Show state, next steps with blockers, documents, change summary."""
    from docflow.api.frontend import memo

    workspace = env.workspace()
    # Blockers are worded in the language chosen for messages: one memo per language.
    kind = f"status.{env.lang}" if env.lang and not as_json else "status"
    view = memo.recall(kind, workspace, env.store)
    if view is None:
        project = env.project()
        facts = memo.Facts(project.code, project.workflow)
        view = project.status().to_dict()
        memo.remember(kind, workspace, env.store, facts, view)

    lang = env.speaks(view.get("locale"))
    emit(view, as_json, lambda con: show_status(con, view, lang))
