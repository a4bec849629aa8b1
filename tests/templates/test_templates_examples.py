"""The example projects and skeletons that `docflow init` writes: valid, complete, passing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from docflow.guards.base import DocFacts, Snapshot
from docflow.guards.registry import evaluate
from docflow.spec.loader import load_project
from docflow.spec.project import ProjectData
from docflow.spec.workflow import WorkflowSpec

EXAMPLES = Path(__file__).resolve().parents[2] / "workflows" / "examples"
LOCALES = ("zh-CN", "en")
ProjectFor = Callable[[str], ProjectData]

# The one step whose guard asks for a fact a successful project never has (a refusal reason).
_NOT_TAKEN = {"reject_acceptance"}


def _signed_snapshot(data: ProjectData, spec: WorkflowSpec) -> Snapshot:
    """The project with every document of the workflow issued and signed by its signers."""
    kinds = spec.documents
    docs = {
        code: DocFacts(
            f"{code}-1", code, kind.title[data.locale], 1, "signed", frozenset(kind.signers)
        )
        for code, kind in kinds.items()
    }
    titles = {code: kind.title[data.locale] for code, kind in kinds.items()}
    return Snapshot(data.model_dump(mode="python"), data.locale, docs, titles, ())


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALES)
def test_every_guard_passes_on_the_signed_example(
    locale: str, project_for: ProjectFor, workflow_spec: WorkflowSpec
) -> None:
    snap = _signed_snapshot(project_for(locale), workflow_spec)
    blockers = [
        (t.trigger, b.message)
        for t in workflow_spec.transitions
        if t.trigger not in _NOT_TAKEN
        for g in t.guards
        for b in evaluate(g.type, g.params, snap)
    ]
    assert blockers == []


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALES)
def test_example_is_a_complete_his_project(locale: str, project_for: ProjectFor) -> None:
    data = project_for(locale)
    reqs = data.requirements
    assert data.locale == locale
    assert data.contract.amount == Decimal("1200500.00")
    assert sum(pay.amount or 0 for pay in data.contract.payments) == data.contract.amount
    assert len(data.contract.payments) == 3
    assert len(data.risks) >= 3
    assert len(data.key_users) >= 5 and any(u.level == "admin" for u in data.key_users)
    assert len(data.survey.sessions) >= 4
    assert len(reqs) >= 22 and all(r.delivered for r in reqs)
    assert {r.type for r in reqs} == {"functional", "non_functional", "interface"}
    assert sum(r.priority == "must" for r in reqs) > len(reqs) / 2
    assert {t.audience for t in data.deployment.training} == {
        "decision",
        "management",
        "operator",
        "admin",
    }
    assert all(t.done for t in data.deployment.training)
    assert data.maintenance.months == 12 and data.maintenance.fee == Decimal("96000.00")
    assert data.maintenance.visits_per_year == 4 and data.maintenance.remote
    # a hospital HIS: severity 1 and 2 are handled around the clock, severity 1 within hours
    levels = {lv.level: lv for lv in data.maintenance.service_levels}
    assert set(levels) == {1, 2, 3}
    assert levels[1].coverage in ("7×24", "24×7") and levels[2].coverage == levels[1].coverage
    assert levels[1].response_hours is not None and levels[1].response_hours <= 1
    assert sum(pay.amount or 0 for pay in data.maintenance.payments) == data.maintenance.fee
    assert data.contract.title and data.contract.warranty.months == 12
    assert all(r.verification for r in reqs)
    assert data.acceptance.conclusion == "pass" and data.acceptance.type == "final"
    assert {d.kind for d in data.acceptance.deliverables} >= {"software", "document", "account"}
    assert {t.party for t in data.acceptance.team} == {"client", "vendor"}


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALES)
def test_example_dates_tell_a_story_in_order(locale: str, project_for: ProjectFor) -> None:
    data = project_for(locale)
    survey, d, a = data.survey, data.deployment, data.acceptance
    sessions = sorted(s.date for s in survey.sessions)
    assert data.contract.signed_on is not None and data.contract.signed_on < sessions[0]
    assert survey.memo_due is not None and sessions[-1] < survey.memo_due
    assert all(
        o.due is not None and sessions[-1] <= o.due <= survey.memo_due for o in survey.outputs
    )
    start, end = d.window.start, d.window.end
    assert start is not None and end is not None and survey.memo_due < start
    for check in (d.system_test, d.rehearsal):
        assert check.date is not None and check.date < start
    assert d.backup.date == start  # before anything of the Client's is touched
    assert all(m.date is not None and start <= m.date <= end for m in d.milestones)
    assert d.cutover.date is not None and d.onsite_test.date is not None
    assert d.onsite_test.date < d.cutover.date <= end  # tested on site before going live
    assert all(t.date is not None and start <= t.date < d.cutover.date for t in d.training)
    # acceptance after thirty days of stable running; warranty, then paid maintenance
    assert a.date is not None and (a.date - d.cutover.date).days >= 30
    assert data.warranty_start() == a.date
    assert data.completion.date is not None and a.date <= data.completion.date
    assert all(o.due is not None and a.date <= o.due for o in a.open_items)
    assert data.maintenance.start == dt.date(a.date.year + 1, a.date.month, a.date.day)


def test_examples_tell_the_same_project(project_for: ProjectFor) -> None:
    zh, en = project_for("zh-CN"), project_for("en")
    assert [r.id for r in zh.requirements] == [r.id for r in en.requirements]
    assert [(r.type, r.priority) for r in zh.requirements] == [
        (r.type, r.priority) for r in en.requirements
    ]
    assert zh.contract.payments[0].amount == en.contract.payments[0].amount
    assert zh.maintenance.fee == en.maintenance.fee


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALES)
def test_skeleton_is_valid_and_empty(locale: str) -> None:
    path = EXAMPLES / f"skeleton.{locale}.yaml"
    data = load_project(path)
    assert data.locale == locale
    assert data.requirements == [] and data.contract.number == ""


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALES)
def test_skeleton_starts_with_schema_line_and_names_every_section(locale: str) -> None:
    text = (EXAMPLES / f"skeleton.{locale}.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=project.schema.json"
    top_level = {line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()}
    assert top_level == set(ProjectData.model_fields)


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALES)
def test_skeleton_is_blocked_at_the_first_step_with_paths_to_fill(
    locale: str, workflow_spec: WorkflowSpec
) -> None:
    data = load_project(EXAMPLES / f"skeleton.{locale}.yaml")
    snap = Snapshot(data.model_dump(mode="python"), locale, {}, {}, ())
    first = workflow_spec.transitions_from(workflow_spec.initial)[0]
    blockers = [b for g in first.guards for b in evaluate(g.type, g.params, snap)]
    assert {"contract.number", "contract.amount", "risks"} <= {b.path for b in blockers}
