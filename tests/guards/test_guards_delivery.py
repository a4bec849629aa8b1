"""requirements_delivered and acceptance_conclusion: both modes, the current requirement set,
and the paths they name; and the ``if_positive`` condition of fields_present and min_items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from docflow.guards import Snapshot, check_guard, evaluate


def req(rid: str, priority: str, delivered: bool) -> dict[str, Any]:
    return {"id": rid, "title": f"Title {rid}", "priority": priority, "delivered": delivered}


YAML_REQS = [req("R-1", "must", True), req("R-2", "should", False), req("R-3", "must", False)]
PM = {"parties": {"vendor": {"project_manager": {"name": "Leo Liu"}}}}


def snap(
    data: dict[str, Any],
    current: list[dict[str, Any]] | None = None,
    locale: str = "en",
) -> Snapshot:
    return Snapshot(
        data={**PM, "requirements": YAML_REQS, **data},
        locale=locale,
        requirements=None if current is None else tuple(current),
    )


@pytest.mark.parametrize(
    ("params", "data", "paths"),
    [
        pytest.param(
            {"block_priorities": ["must"], "require_followup": False},
            {},
            ["requirements[2].delivered"],
            id="must-blocks",
        ),
        pytest.param(
            {"block_priorities": ["must"]},
            {},
            ["requirements[2].delivered", "acceptance.open_items"],
            id="must-blocks-should-needs-deadline",
        ),
        pytest.param(
            {"block_priorities": ["must"]},
            {"acceptance": {"open_items": [{"requirement": "R-2", "due": dt.date(2026, 11, 30)}]}},
            ["requirements[2].delivered"],
            id="deadline-given-owner-defaults-to-pm",
        ),
        pytest.param(
            {"block_priorities": []},
            {"acceptance": {"open_items": [{"requirement": "R-2", "due": dt.date(2026, 11, 30)}]}},
            ["acceptance.open_items"],
            id="list-mode-only-asks-for-r3-deadline",
        ),
        pytest.param(
            {"block_priorities": ["must", "should", "could"]},
            {},
            ["requirements[1].delivered", "requirements[2].delivered"],
            id="everything-blocks",
        ),
    ],
)
def test_requirements_delivered_modes(
    params: dict[str, Any], data: dict[str, Any], paths: list[str]
) -> None:
    blockers = evaluate("requirements_delivered", params, snap(data))
    assert [b.path for b in blockers] == paths
    assert all(b.path and b.path in b.message for b in blockers)


def test_without_a_project_manager_the_owner_is_needed_too() -> None:
    entry: dict[str, Any] = {"requirement": "R-2", "due": dt.date(2026, 11, 30)}
    data = {
        "parties": {"vendor": {"project_manager": None}},
        "acceptance": {"open_items": [entry]},
    }
    current = [req("R-1", "must", True), req("R-2", "should", False)]
    [blocker] = evaluate("requirements_delivered", {}, snap(data, current))
    assert blocker.path == "acceptance.open_items" and "R-2" in blocker.message
    entry["owner"] = "Bob Huang"
    assert evaluate("requirements_delivered", {}, snap(data, current)) == []


def test_reads_the_current_set_not_the_file() -> None:
    """A requirement added by an effective change counts; a priority lowered in project.yaml
    without a change does not."""
    current = [
        req("R-1", "must", True),
        req("R-2", "should", True),
        req("R-3", "must", True),
        req("R-4", "must", False),  # added by a change, project.yaml not updated
    ]
    lowered = [req("R-1", "must", True), req("R-2", "should", True), req("R-3", "could", False)]
    blockers = evaluate(
        "requirements_delivered",
        {"block_priorities": ["must"], "require_followup": False},
        Snapshot(
            data={**PM, "requirements": lowered},
            locale="en",
            requirements=(*current[:2], req("R-3", "must", False), current[3]),
        ),
    )
    assert [b.path for b in blockers] == ["requirements[2].delivered", "requirements"]
    assert "R-4" in blockers[1].message


@pytest.mark.parametrize(
    ("params", "conclusion", "expected"),
    [
        pytest.param({}, None, ["acceptance.conclusion"], id="missing"),
        pytest.param({}, "pass", ["acceptance.conclusion"], id="pass-with-undelivered-must"),
        pytest.param({}, "fail", [], id="fail-is-consistent"),
        pytest.param({}, "recheck", [], id="recheck-is-consistent"),
        pytest.param(
            {"require_passing": True}, "fail", ["acceptance.conclusion"], id="accept-fail"
        ),
        pytest.param(
            {"delivered_priorities": ["could"]}, "pass", [], id="pass-when-only-could-counts"
        ),
    ],
)
def test_acceptance_conclusion(
    params: dict[str, Any], conclusion: str | None, expected: list[str]
) -> None:
    data = {"acceptance": {"conclusion": conclusion}}
    assert [b.path for b in evaluate("acceptance_conclusion", params, snap(data))] == expected


def test_passing_conclusion_names_the_undelivered_requirements_in_chinese() -> None:
    data = {"acceptance": {"conclusion": "pass"}}
    [blocker] = evaluate("acceptance_conclusion", {}, snap(data, locale="zh-CN"))
    assert "R-3" in blocker.message and "尚未交付" in blocker.message


def test_passing_conclusion_with_everything_delivered() -> None:
    data = {"acceptance": {"conclusion": "pass"}}
    current = [req("R-1", "must", True), req("R-3", "must", True)]
    assert evaluate("acceptance_conclusion", {"require_passing": True}, snap(data, current)) == []


@pytest.mark.parametrize(
    ("fee", "blocked"),
    [
        pytest.param(Decimal("96000.00"), True, id="paid"),
        pytest.param(Decimal(0), False, id="free"),
        pytest.param(None, False, id="not-given"),
        pytest.param(True, False, id="a-yes-is-not-a-number"),
    ],
)
def test_if_positive(fee: Any, blocked: bool) -> None:
    data = {"maintenance": {"fee": fee, "payments": []}, "parties": {"vendor": {"bank": {}}}}
    items = evaluate(
        "min_items",
        {"path": "maintenance.payments", "min": 1, "if_positive": "maintenance.fee"},
        snap(data),
    )
    fields = evaluate(
        "fields_present",
        {"paths": ["parties.vendor.bank.account"], "if_positive": "maintenance.fee"},
        snap(data),
    )
    assert bool(items) is blocked and bool(fields) is blocked


@pytest.mark.parametrize(
    ("guard", "params", "expected"),
    [
        pytest.param(
            "requirements_delivered",
            {"block_priorities": ["urgent"]},
            "block_priorities",
            id="unknown-priority",
        ),
        pytest.param("acceptance_conclusion", {"passing": "pass"}, "passing", id="not-a-list"),
    ],
)
def test_bad_parameters_are_refused(guard: str, params: dict[str, Any], expected: str) -> None:
    messages = check_guard(guard, params)
    assert messages and expected in messages[0]
