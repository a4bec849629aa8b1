"""Nothing goes out half-empty by accident: a field a document prints as 待定 / 无 / TBD / None
because project.yaml leaves it empty gives a warning at ``advance`` (text and JSON), naming
the field; what a real form cannot lack blocks the step instead. The fields come from the
workflow's data (``expects`` of each document kind), checked against the project's data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pm_helpers import edit_project, skeleton_at, skeleton_states

from docflow.spec.loader import load_workflow

pytestmark = pytest.mark.slow
__all__ = ["skeleton_at", "skeleton_states"]  # fixtures used by name

Docflow = Callable[..., Any]

# What the skeleton filled in as a PM does leaves empty, and each document prints as a blank.
EMPTY_SP = ["survey.reviewed_by"]
EMPTY_DP = [
    "deployment.sites[0].address",
    "deployment.cutover.downtime",
    "deployment.cutover.fallback",
    "deployment.training[0].assessment",
    "deployment.client_preparation",
    "deployment.reviewed_by",
]

SAYS = {
    "zh-CN": "SP-1（需求调研计划）：project.yaml 中的 survey.reviewed_by 为空，"
    "文件中该处将显示“待定”或“无”",
    "en": "SP-1 (Survey plan): survey.reviewed_by is empty in project.yaml, so the document says "
    "TBD or None there",
}


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_advance_warns_about_fields_printed_as_placeholders(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "contract.signed")
    dry = docflow("advance", "--dry-run", "--json", cwd=ws)
    assert dry.code == 0, dry.err
    assert [w["path"] for w in dry.json()["warnings"]] == EMPTY_SP
    r = docflow("advance", cwd=ws)  # text
    assert r.code == 0, r.err
    assert ("警告" if locale == "zh-CN" else "warning") in r.out
    assert SAYS[locale] in r.out.replace("\n", "")

    edit_project(ws, lambda d: d["survey"].update(reviewed_by="Q. A."))
    rendered = docflow("render", "--json", cwd=ws).json()["rerendered"]
    assert [x["id"] for x in rendered] == ["SP-1"]


def test_the_deployment_plan_names_every_empty_field(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    from docflow import api

    ws = skeleton_at("en", "survey.confirmed")
    step = api.Project.open(ws, actor="tester").advance(dry_run=True)
    assert [(w.document, w.path) for w in step.warnings] == [("DP-1", p) for p in EMPTY_DP]
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 0, r.err
    assert [w["path"] for w in r.json()["warnings"]] == EMPTY_DP
    assert all(w["document"] == "DP-1" for w in r.json()["warnings"])


@pytest.mark.parametrize(
    ("state", "field", "blocked_path"),
    [
        pytest.param(
            "survey.confirmed",
            ("deployment", "backup", "rollback"),
            "deployment.backup.rollback",
            id="rollback-plan",
        ),
        pytest.param(
            "survey.confirmed", ("deployment", "steps"), "deployment.steps", id="install-steps"
        ),
    ],
)
def test_what_a_form_cannot_lack_blocks_the_step(
    skeleton_at: Callable[[str, str], Path],
    docflow: Docflow,
    state: str,
    field: tuple[str, ...],
    blocked_path: str,
) -> None:
    ws = skeleton_at("zh-CN", state)

    def empty(data: dict[str, Any]) -> None:
        node = data
        for part in field[:-1]:
            node = node[part]
        node[field[-1]] = [] if isinstance(node[field[-1]], list) else ""

    edit_project(ws, empty)
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 3, r.err
    assert blocked_path in [b["path"] for b in r.json()["blockers"]]


def test_the_built_in_workflow_guards_what_real_forms_need() -> None:
    spec = load_workflow("implementation")
    guarded = {
        (t.trigger, path)
        for t in spec.transitions
        for g in t.guards
        for path in [g.params.get("path"), *(g.params.get("paths") or [])]
        if path
    }
    guard_types = {(t.trigger, g.type) for t in spec.transitions for g in t.guards}
    for need in [
        ("plan_deployment", "deployment.steps"),
        ("plan_deployment", "deployment.backup.rollback"),
        ("request_acceptance", "acceptance.criteria"),
        ("propose_maintenance", "maintenance.scope"),
        ("propose_maintenance", "maintenance.service_levels"),
        ("issue_completion_notice", "parties.vendor.bank.account"),
    ]:
        assert need in guarded, need
    assert ("request_acceptance", "acceptance_conclusion") in guard_types
    # Every kind names the fields it prints as placeholders; none lists a guarded one.
    for code in ("SP", "RM", "DP", "AC", "MA"):
        assert spec.documents[code].expects, code


WORKFLOW = """
name: small_job
title: {zh-CN: 小型项目, en: Small job}
locales: [zh-CN, en]
initial: draft
states:
  draft: {phase: contract, title: {zh-CN: 起草, en: Draft}}
  planned: {phase: survey, title: {zh-CN: 已计划, en: Planned}, final: true}
transitions:
  - {trigger: plan, source: draft, dest: planned, title: {zh-CN: 计划, en: Plan}, emits: [SP]}
documents:
  SP:
    template: survey_plan
    title: {zh-CN: 需求调研计划, en: Survey plan}
    signers: [client]
    expects: [survey.purpose, "survey.sessions[].location", memo.background]
"""


def test_the_fields_are_the_workflows_data(tmp_path: Path) -> None:
    from pm_helpers import fill_skeleton

    from docflow import api

    flow = tmp_path / "small_job.yaml"
    flow.write_text(WORKFLOW, "utf-8")
    ws = tmp_path / "ws"
    api.init(ws, workflow=str(flow), locale="en", code="WH-2026", actor="tester")

    def fill(data: dict[str, Any]) -> None:
        fill_skeleton(data, "en")
        data["workflow"] = "small_job"

    edit_project(ws, fill)
    step = api.Project.open(ws, actor="tester").advance(dry_run=True)
    assert [w.path for w in step.warnings] == ["survey.sessions[0].location", "memo.background"]
