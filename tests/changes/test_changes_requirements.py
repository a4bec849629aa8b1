"""Requirement sets under change control: validation, ids, application, drift, ratio, context."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from change_helpers import change, req

from docflow.changes.annex import change_context
from docflow.changes.rules import (
    Difference,
    apply_change,
    change_ratio,
    current_requirements,
    diff_requirements,
    next_requirement_id,
    outstanding_change,
    ratio_level,
    validate_change,
)
from docflow.errors import SpecError
from docflow.spec.project import Requirement


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"adds": [{"id": "FR-009", "title": "x"}]}, [], id="valid-add"),
        pytest.param(
            {"modifies": [{"id": "FR-002", "priority": "must"}], "removes": ["FR-003"]},
            [],
            id="valid-edit-and-remove",
        ),
        pytest.param(
            {},
            [("empty", None, "adds, edits and removes no requirement")],
            id="empty-change",
        ),
        pytest.param(
            {"modifies": [{"id": "FR-099", "title": "x"}]},
            [("invalid", "modifies[0].id", "requirement FR-099 does not exist")],
            id="edit-unknown-id",
        ),
        pytest.param(
            {"removes": ["FR-001", "FR-404"]},
            [("invalid", "removes[1]", "requirement FR-404 does not exist")],
            id="remove-unknown-id",
        ),
        pytest.param(
            {"adds": [{"id": "FR-002", "title": "x"}]},
            [("invalid", "adds[0].id", "requirement FR-002 exists already")],
            id="add-existing-id",
        ),
        pytest.param(
            {"adds": [{"id": "FR-9", "title": "x"}, {"id": "FR-9", "title": "y"}]},
            [("invalid", "adds[1].id", "requirement FR-9 is added twice")],
            id="add-twice",
        ),
        pytest.param(
            {"modifies": [{"id": "FR-001", "title": "x"}], "removes": ["FR-001"]},
            [("invalid", "removes[0]", "requirement FR-001 is both edited and removed")],
            id="edit-and-remove-same-id",
        ),
        pytest.param(
            {"modifies": [{"id": "FR-001", "title": "x"}, {"id": "FR-001", "title": "y"}]},
            [("invalid", "modifies[1].id", "requirement FR-001 is edited twice")],
            id="edit-twice",
        ),
        pytest.param(
            {"removes": ["FR-001", "FR-001"]},
            [("invalid", "removes[1]", "requirement FR-001 is removed twice")],
            id="remove-twice",
        ),
        pytest.param(
            {"modifies": [{"id": "FR-001", "priority": "must"}]},
            [("no_effect", "modifies[0].id", "gives every field the value it has already")],
            id="edit-without-effect",
        ),
    ],
)
def test_validate_change(
    baseline: list[Requirement], fields: dict[str, Any], expected: list[tuple[str, Any, str]]
) -> None:
    problems = validate_change(change(**fields), baseline)
    assert [(p.kind, p.path) for p in problems] == [(kind, path) for kind, path, _ in expected]
    for problem, (_, _, message) in zip(problems, expected, strict=True):
        assert message in problem.message


@pytest.mark.parametrize(
    ("ids", "type", "also_taken", "expected"),
    [
        pytest.param(["FR-021", "FR-022"], "functional", (), "FR-023", id="follows-last"),
        pytest.param(["FR-9", "FR-10"], "functional", (), "FR-11", id="no-padding"),
        pytest.param(["FR-0099"], "functional", (), "FR-0100", id="keeps-four-digits"),
        pytest.param(["FR-999"], "functional", (), "FR-1000", id="padding-overflows"),
        pytest.param(["F1", "F2"], "functional", (), "F3", id="other-prefix"),
        pytest.param(["FR-003", "FR-001"], "functional", (), "FR-004", id="max-not-last"),
        pytest.param([], "functional", (), "FR-001", id="fallback"),
        pytest.param(["FR-01"], "non_functional", (), "NFR-01", id="type-default-prefix"),
        pytest.param(["FR-002"], "functional", ("FR-003",), "FR-004", id="skips-removed-ids"),
        pytest.param(["FR-001", "FR-005"], "functional", (), "FR-006", id="never-fills-gaps"),
        pytest.param(["FR-001", "REQ"], "functional", (), "FR-002", id="ignores-unnumbered"),
    ],
)
def test_next_requirement_id(
    ids: list[str], type: str, also_taken: tuple[str, ...], expected: str
) -> None:
    current = [req(rid) for rid in ids]
    assert next_requirement_id(current, type, also_taken) == expected


def test_next_id_in_a_series_shared_by_all_types() -> None:
    current = [req("R-001"), req("R-002", type="interface"), req("R-003", type="non_functional")]
    assert next_requirement_id(current) == "R-004"
    assert next_requirement_id(current[:2], "non_functional") == "R-003"
    assert next_requirement_id(current[:1], "non_functional") == "NFR-001"


def test_next_id_of_a_type_follows_that_type(baseline: list[Requirement]) -> None:
    assert next_requirement_id(baseline, "non_functional") == "NFR-002"
    assert next_requirement_id(baseline, "interface") == "IR-002"
    assert next_requirement_id(baseline) == "FR-004"


def test_apply_change_edits_in_place_removes_then_appends(baseline: list[Requirement]) -> None:
    spec = change(
        adds=[{"id": "FR-004", "title": "住院登记", "priority": "must"}],
        modifies=[
            {"id": "NFR-001", "title": "响应时间小于 1 秒"},
            {"id": "FR-001", "source": "门诊"},
        ],
        removes=["FR-002"],
    )
    after = apply_change(baseline, spec)
    assert [r.id for r in after] == ["FR-001", "FR-003", "NFR-001", "IR-001", "FR-004"]
    assert after[0] == baseline[0].model_copy(update={"source": "门诊"})
    assert after[2].title == "响应时间小于 1 秒"
    assert after[2].priority == "must"
    assert after[4].priority == "must"
    assert baseline[0].source == ""  # the input list is not touched


def test_apply_change_refuses_a_change_that_cannot_apply(baseline: list[Requirement]) -> None:
    with pytest.raises(SpecError, match="FR-404 does not exist"):
        apply_change(baseline, change(removes=["FR-404"]))


def test_current_requirements_applies_changes_in_order(baseline: list[Requirement]) -> None:
    first = change(adds=[{"id": "FR-004", "title": "a"}])
    second = change(modifies=[{"id": "FR-004", "title": "b"}], removes=["FR-001"])
    result = current_requirements(baseline, [first, second])
    assert [r.id for r in result] == ["FR-002", "FR-003", "NFR-001", "IR-001", "FR-004"]
    assert result[-1].title == "b"
    assert current_requirements(baseline, []) == baseline


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        pytest.param(lambda b: list(b), [], id="same"),
        pytest.param(lambda b: list(reversed(b)), [], id="reordered-only"),
        pytest.param(
            lambda b: [b[0].model_copy(update={"delivered": True}), *b[1:]],
            [],
            id="delivered-is-progress-not-change",
        ),
        pytest.param(
            lambda b: [b[0].model_copy(update={"title": "x", "priority": "could"}), *b[1:]],
            [Difference("edited", "FR-001", ("title", "priority"), 0)],
            id="edited",
        ),
        pytest.param(lambda b: b[:1] + b[2:], [Difference("removed", "FR-002")], id="removed"),
        pytest.param(
            lambda b: [*b, req("FR-009")],
            [Difference("added", "FR-009", (), 5)],
            id="added",
        ),
        pytest.param(
            lambda b: [*b, b[1]],
            [Difference("added", "FR-002", (), 5)],
            id="duplicate-entry-is-added",
        ),
    ],
)
def test_diff_requirements(
    baseline: list[Requirement], actual: Any, expected: list[Difference]
) -> None:
    assert diff_requirements(baseline, actual(baseline)) == expected


def test_diff_can_count_delivery(baseline: list[Requirement]) -> None:
    actual = [baseline[0].model_copy(update={"delivered": True}), *baseline[1:]]
    assert diff_requirements(baseline, actual, ignore=()) == [
        Difference("edited", "FR-001", ("delivered",), 0)
    ]


@pytest.mark.parametrize(
    ("difference", "locale", "sentence"),
    [
        pytest.param(
            Difference("edited", "FR-004", ("title", "priority"), 3),
            "en",
            "requirement FR-004 edited (title, priority) in project.yaml without an effective "
            "change request",
            id="edited-en",
        ),
        pytest.param(
            Difference("added", "FR-009", (), 5),
            "en",
            "requirement FR-009 added in project.yaml without an effective change request",
            id="added-en",
        ),
        pytest.param(
            Difference("removed", "FR-002"),
            "en",
            "requirement FR-002 removed from project.yaml without an effective change request",
            id="removed-en",
        ),
        pytest.param(
            Difference("edited", "FR-004", ("title", "priority"), 3),
            "zh-CN",
            "需求 FR-004 在 project.yaml 中被修改（标题、优先级），但没有已生效的变更申请",
            id="edited-zh",
        ),
        pytest.param(
            Difference("added", "FR-009", (), 5),
            "zh-CN",
            "需求 FR-009 在 project.yaml 中被新增，但没有已生效的变更申请",
            id="added-zh",
        ),
        pytest.param(
            Difference("removed", "FR-002"),
            "zh-CN",
            "需求 FR-002 从 project.yaml 中被删除，但没有已生效的变更申请",
            id="removed-zh",
        ),
        pytest.param(
            Difference("removed", "FR-002"),
            "fr",
            "requirement FR-002 removed from project.yaml without an effective change request",
            id="other-locale-gets-english",
        ),
    ],
)
def test_difference_describe(difference: Difference, locale: str, sentence: str) -> None:
    assert difference.describe(locale) == sentence


@pytest.mark.parametrize(
    ("difference", "path"),
    [
        pytest.param(Difference("edited", "FR-1", ("title",), 3), "requirements[3]", id="edited"),
        pytest.param(Difference("removed", "FR-1"), "requirements", id="removed"),
    ],
)
def test_difference_path(difference: Difference, path: str) -> None:
    assert difference.path == path


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param([], 0.0, id="no-change"),
        pytest.param([{"adds": [{"id": "FR-9", "title": "x"}]}], 0.2, id="one-add"),
        pytest.param(
            [
                {"modifies": [{"id": "FR-001", "title": "a"}]},
                {"modifies": [{"id": "FR-001", "title": "b"}]},
                {"removes": ["FR-001"]},
            ],
            0.2,
            id="repeated-touches-of-one-id-count-once",
        ),
        pytest.param(
            [
                {"adds": [{"id": "FR-9", "title": "x"}]},
                {"modifies": [{"id": "FR-9", "title": "y"}, {"id": "FR-002", "title": "z"}]},
            ],
            0.4,
            id="added-then-edited-counts-once",
        ),
        pytest.param(
            [{"removes": ["FR-001", "FR-002", "FR-003"]}, {"adds": [{"id": "FR-4", "title": "a"}]}],
            0.8,
            id="removals-and-adds",
        ),
    ],
)
def test_change_ratio(
    baseline: list[Requirement], changes: list[dict[str, Any]], expected: float
) -> None:
    assert change_ratio(baseline, [change(**c) for c in changes]) == pytest.approx(expected)


def test_change_ratio_without_baseline_is_zero() -> None:
    assert change_ratio([], [change(adds=[{"id": "FR-1", "title": "x"}])]) == 0.0


@pytest.mark.parametrize(
    ("ratio", "level"),
    [
        pytest.param(0.0, "ok", id="zero"),
        pytest.param(0.19, "ok", id="below-warn"),
        pytest.param(0.2, "warn", id="at-warn"),
        pytest.param(0.49, "warn", id="below-alarm"),
        pytest.param(0.5, "alarm", id="at-alarm"),
        pytest.param(1.3, "alarm", id="beyond-all"),
    ],
)
def test_ratio_level(ratio: float, level: str) -> None:
    assert ratio_level(ratio, 0.2, 0.5) == level


def test_change_context(baseline: list[Requirement]) -> None:
    spec = change(
        title="收费调整",
        reason="财务科要求",
        adds=[{"id": "FR-004", "title": "住院登记"}],
        modifies=[{"id": "FR-002", "title": "门诊收费与退费", "priority": "must"}],
        removes=["FR-003"],
        days=5,
        cost="1200.50",
        risks=["延期"],
    )
    requested, decided = dt.date(2026, 11, 2), dt.date(2026, 11, 9)
    context = change_context("CR-2", spec, baseline, 2, requested, decided)
    assert context == {
        "id": "CR-2",
        "title": "收费调整",
        "reason": "财务科要求",
        "adds": [
            {
                "id": "FR-004",
                "title": "住院登记",
                "description": "",
                "type": "functional",
                "priority": "should",
                "source": "",
                "delivered": False,
                "verification": None,
            }
        ],
        "modifies": [
            {
                "id": "FR-002",
                "title": "门诊收费",
                "fields": {"title": "门诊收费与退费", "priority": "must"},
                "before": {"title": "门诊收费", "priority": "should"},
            }
        ],
        "removes": [{"id": "FR-003", "title": "药房发药"}],
        "days": 5,
        "cost": Decimal("1200.50"),
        "payment": None,
        "risks": ["延期"],
        "requested_on": requested,
        "decided_on": decided,
        "annex": 2,
    }


def test_change_context_of_an_undecided_change(baseline: list[Requirement]) -> None:
    context = change_context(
        "CR-1", change(removes=["FR-001"]), baseline, None, dt.date(2026, 1, 1), None
    )
    assert context["decided_on"] is None
    assert context["annex"] is None
    assert context["days"] is None and context["cost"] is None


def test_change_context_refuses_ids_not_in_the_set(baseline: list[Requirement]) -> None:
    with pytest.raises(SpecError, match="CR-3 names requirement FR-404"):
        change_context("CR-3", change(removes=["FR-404"]), baseline, 3, dt.date(2026, 1, 1), None)


@pytest.mark.parametrize(
    ("held", "expected"),
    [
        pytest.param(lambda b: list(b), "all", id="nothing-done-yet"),
        pytest.param(
            lambda b: [
                b[0].model_copy(update={"priority": "could"}),
                b[1],
                b[3],
                b[4],
                req("FR-004", "住院登记"),
            ],
            None,
            id="all-done-already",
        ),
        pytest.param(
            lambda b: [b[0], b[1], b[3], b[4], req("FR-004", "旧标题")],
            {"modifies": {"FR-004": {"title": "住院登记"}, "FR-001": {"priority": "could"}}},
            id="added-id-held-with-other-values-becomes-an-edit",
        ),
    ],
)
def test_outstanding_change(baseline: list[Requirement], held: Any, expected: Any) -> None:
    spec = change(
        adds=[{"id": "FR-004", "title": "住院登记"}],
        modifies=[{"id": "FR-001", "priority": "could"}],
        removes=["FR-003"],
    )
    todo = outstanding_change(spec, held(baseline))
    if expected == "all":
        assert todo == spec
    elif expected is None:
        assert todo is None
    else:
        assert todo is not None and todo.adds == [] and todo.removes == []
        assert {m.id: m.changes() for m in todo.modifies} == expected["modifies"]
