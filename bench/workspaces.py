"""Workspaces the benchmarks run in: the example project at the memo step, and a project whose
workflow emits many requirement memos (for batch re-rendering)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = [
    "MEMO_ROWS",
    "batch_workflow",
    "batch_workspace",
    "bump_letterhead",
    "lifecycle_workspace",
    "memo_request",
    "memo_workspace",
]

# The realistic memo: a 40-row requirement table, about three pages.
MEMO_ROWS = 40
MEMO_STATE = "survey.in_progress"  # the next step issues the requirement memo


def _quiet(_message: str) -> None:
    pass


def memo_workspace(folder: Path) -> Path:
    """The zh-CN example project driven to the state whose next step issues the memo."""
    from docflow import api
    from docflow.app.demo import walk

    api.init(folder, example=True, actor="bench")
    walk(api.Workspace(folder), actor="bench", say=_quiet, until=MEMO_STATE)
    return folder


def _padded(requirements: list[dict[str, Any]], rows: int) -> list[dict[str, Any]]:
    """The example's requirements repeated under fresh ids up to ``rows`` rows."""
    out = []
    for index in range(rows):
        item = dict(requirements[index % len(requirements)])
        item["id"] = f"R-{index + 1:03d}"
        out.append(item)
    return out


def memo_request(workspace: Path, rows: int | None = MEMO_ROWS) -> Any:
    """docflow's RenderRequest of the requirement memo with a ``rows``-row requirement table
    (the project's own requirements when ``rows`` is None)."""
    from docflow.documents.context import build_context
    from docflow.documents.identity import DocId
    from docflow.documents.jobs import make_meta
    from docflow.render import RenderRequest
    from docflow.runtime.session import open_session
    from docflow.runtime.workspace import Workspace

    session = open_session(Workspace(workspace), None, "bench")
    code = next(
        c for c, kind in session.spec.documents.items() if kind.template == "requirement_memo"
    )
    context = dict(build_context(session))
    if rows is not None:
        context["requirements"] = _padded(list(context["requirements"]), rows)
    meta = make_meta(session, DocId(code, 1), 1, 1, dt.date(2026, 11, 23))
    return RenderRequest(meta, context, session.template_dirs())


def batch_workflow(documents: int, per_step: int = 10) -> str:
    """A workflow whose steps each emit ``per_step`` requirement memos, ``documents`` in all."""
    per_step = max(1, min(per_step, documents))
    steps = -(-documents // per_step)
    kinds = [f"M{k:02d}" for k in range(1, per_step + 1)]
    lines = [
        "name: bench",
        "title: {zh-CN: 批量渲染基准, en: Batch rendering benchmark}",
        "locales: [zh-CN]",
        "initial: s00",
        "states:",
    ]
    for s in range(steps + 1):
        lines.append(f"  s{s:02d}: {{phase: bench, title: {{zh-CN: 步骤{s}, en: Step {s}}}}}")
    lines.append("  done: {phase: bench, title: {zh-CN: 完成, en: Done}, final: true}")
    lines.append("transitions:")
    for s in range(1, steps + 1):
        count = min(per_step, documents - (s - 1) * per_step)
        lines += [
            f"  - trigger: t{s:02d}",
            f"    source: s{s - 1:02d}",
            f"    dest: s{s:02d}",
            f"    title: {{zh-CN: 发出第{s}批, en: Issue batch {s}}}",
            f"    emits: [{', '.join(kinds[:count])}]",
        ]
    lines += [
        "  - trigger: finish",
        f"    source: s{steps:02d}",
        "    dest: done",
        "    title: {zh-CN: 完成, en: Finish}",
        "documents:",
    ]
    for kind in kinds:
        lines += [
            f"  {kind}:",
            "    template: requirement_memo",
            f"    title: {{zh-CN: 需求备忘录{kind}, en: Requirement memo {kind}}}",
            "    signers: [client, vendor]",
        ]
    lines += [
        "change_control:",
        "  allowed_in: []",
        f"  annex_document: {kinds[0]}",
    ]
    return "\n".join(lines) + "\n"


def batch_workspace(folder: Path, documents: int) -> Path:
    """The example project on the batch workflow, with ``documents`` memos issued."""
    from docflow import api
    from docflow.app.demo import walk

    # `init --example` picks the example project by the workflow file's stem.
    workflow = folder.parent / "bench-workflow" / "implementation.yaml"
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(batch_workflow(documents), encoding="utf-8")
    api.init(folder, workflow=str(workflow), example=True, actor="bench")
    steps = -(-documents // max(1, min(10, documents)))
    walk(api.Workspace(folder), actor="bench", say=_quiet, until=f"s{steps:02d}")
    return folder


def bump_letterhead(workspace: Path, revision: int) -> None:
    """Edit the workspace's stylesheet, as a new letterhead would, so every document re-renders."""
    from docflow.resources import data_path

    local = workspace / "templates"
    local.mkdir(exist_ok=True)
    css = (data_path("doc_templates") / "style.css").read_text(encoding="utf-8")
    (local / "style.css").write_text(f"{css}\n/* letterhead revision {revision} */\n", "utf-8")


# The state from which change requests are allowed in the example workflow; the change
# annex is issued there, then the walk goes on to the end.
CHANGE_STATE = "survey.confirmed"


def lifecycle_workspace(folder: Path, locale: str = "zh-CN") -> Path:
    """The example project of ``locale`` through its whole lifecycle, with one approved change
    request, so that it holds one document of every kind (SP, RM, CA, DP, AC, CN, MA)."""
    from docflow import api
    from docflow.app.demo import walk

    api.init(folder, locale=locale, example=True, actor="bench")
    walk(api.Workspace(folder), actor="bench", say=_quiet, until=CHANGE_STATE)
    project = api.Project.open(folder, actor="bench")
    title = "患者自助机挂号" if locale == "zh-CN" else "Self-service registration kiosks"
    change = api.ChangeRequest(
        title=title,
        reason=title,
        adds=(api.NewRequirement(title, description=title),),
        days=10,
        cost=Decimal("85000"),
    )
    filed = project.file_change(change)
    project.approve_change(filed.id)
    walk(api.Workspace(folder), actor="bench", say=_quiet)
    return folder
