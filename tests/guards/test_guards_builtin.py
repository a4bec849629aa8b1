"""Each built-in guard type: what it blocks, what it lets through, how it explains itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from docflow.guards import DocFacts, Snapshot, check_guard, evaluate, registry


def snap(data: dict[str, Any], locale: str = "en", **kw: Any) -> Snapshot:
    return Snapshot(data=data, locale=locale, **kw)


@pytest.mark.parametrize(
    ("guard", "params", "data", "paths"),
    [
        pytest.param(
            "fields_present",
            {"paths": ["contract.number", "contract.scope"]},
            {"contract": {"number": "", "scope": "x"}},
            ["contract.number"],
            id="fields-one-empty",
        ),
        pytest.param("fields_present", {"paths": ["a.b"]}, {}, ["a.b"], id="fields-missing-parent"),
        pytest.param("fields_present", {"paths": ["a"]}, {"a": []}, ["a"], id="fields-empty-list"),
        pytest.param("fields_present", {"paths": ["a"]}, {"a": 0}, [], id="fields-zero-counts"),
        pytest.param(
            "min_items", {"path": "risks", "min": 2}, {"risks": [{}]}, ["risks"], id="min-too-few"
        ),
        pytest.param(
            "min_items",
            {"path": "reqs", "where": {"type": "interface"}},
            {"reqs": [{"type": "functional"}]},
            ["reqs"],
            id="min-where",
        ),
        pytest.param(
            "min_items",
            {
                "path": "reqs",
                "where": {"type": "interface"},
                "if_count_at_least": {"path": "subs", "min": 2},
            },
            {"reqs": [], "subs": ["one"]},
            [],
            id="min-condition-not-met",
        ),
        pytest.param(
            "min_items",
            {"path": "s", "require": ["date", "who.client"]},
            {"s": [{"date": "2026-01-01", "who": {"client": []}}]},
            ["s[0].who.client"],
            id="min-require-nested",
        ),
        pytest.param(
            "all_items",
            {"path": "reqs", "field": "delivered", "where": {"priority": "must"}},
            {
                "reqs": [
                    {"id": "A", "priority": "must", "delivered": False},
                    {"id": "B", "priority": "could", "delivered": False},
                ]
            },
            ["reqs[0].delivered"],
            id="all-items-where",
        ),
        pytest.param(
            "fact_true",
            {"path": "d.t.done"},
            {"d": {"t": {"done": False}}},
            ["d.t.done"],
            id="fact-false",
        ),
        pytest.param(
            "fact_true", {"path": "d.t.done"}, {"d": {"t": {"done": True}}}, [], id="fact-true"
        ),
    ],
)
def test_guard_blocks_exactly_the_empty_paths(
    guard: str, params: dict[str, Any], data: dict[str, Any], paths: list[str]
) -> None:
    blockers = evaluate(guard, params, snap(data))
    assert [b.path for b in blockers] == paths
    for b in blockers:
        assert b.path and b.path in b.message


def test_document_signed_names_missing_party_and_command() -> None:
    facts = DocFacts(
        id="SP-1",
        code="SP",
        title="Survey plan",
        version=1,
        status="issued",
        signed_by=frozenset({"vendor"}),
    )
    blockers = evaluate(
        "document_signed",
        {"document": "SP", "parties": ["client", "vendor"]},
        snap({}, documents={"SP": facts}),
    )
    assert len(blockers) == 1
    assert "SP-1" in blockers[0].message and "--party client" in blockers[0].message


def test_document_signed_when_not_issued() -> None:
    [blocker] = evaluate(
        "document_signed",
        {"document": "RM", "parties": ["client"]},
        snap({}, document_titles={"RM": "Requirement memo"}),
    )
    assert "not been issued" in blocker.message and "Requirement memo" in blocker.message


def test_messages_follow_the_locale() -> None:
    [zh] = evaluate("fields_present", {"paths": ["contract.number"]}, snap({}, "zh-CN"))
    assert "尚未填写" in zh.message and "contract.number" in zh.message


def test_no_open_changes_lists_each() -> None:
    blockers = evaluate("no_open_changes", {}, snap({}, open_changes=("CR-1", "CR-3")))
    assert [b.document for b in blockers] == ["CR-1", "CR-3"]


@pytest.mark.parametrize(
    ("guard", "params", "expected"),
    [
        pytest.param("nope", {}, "unknown guard type 'nope'", id="unknown-type"),
        pytest.param("fields_present", {}, "paths", id="missing-param"),
        pytest.param("fields_present", {"paths": ["a"], "extra": 1}, "extra", id="unknown-param"),
        pytest.param("min_items", {"path": "a", "min": "many"}, "min", id="wrong-type"),
    ],
)
def test_check_guard_rejects_bad_definitions(
    guard: str, params: dict[str, Any], expected: str
) -> None:
    messages = check_guard(guard, params)
    assert messages and expected in messages[0]


def test_entry_point_plugin_is_registered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "site"
    (pkg / "acme_guards").mkdir(parents=True)
    (pkg / "acme_guards" / "__init__.py").write_text(
        "from typing import ClassVar\n"
        "from docflow.guards.base import Blocker, Params\n"
        "class P(Params):\n    budget: int\n"
        "class BudgetApproved:\n"
        "    name: ClassVar[str] = 'budget_approved'\n"
        "    params: ClassVar[type] = P\n"
        "    def evaluate(self, params, snap):\n"
        "        ok = (snap.data.get('budget') or 0) <= params.budget\n"
        "        return [] if ok else [Blocker(self.name, 'over budget', path='budget')]\n"
    )
    dist = pkg / "acme_guards-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-guards\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[docflow.guards]\nbudget_approved = acme_guards:BudgetApproved\n"
    )
    monkeypatch.syspath_prepend(str(pkg))
    registry.guard_types.cache_clear()
    try:
        assert check_guard("budget_approved", {"budget": 10}) == []
        assert evaluate("budget_approved", {"budget": 10}, snap({"budget": 5})) == []
        [b] = evaluate("budget_approved", {"budget": 10}, snap({"budget": 50}))
        assert b.message == "over budget"
    finally:
        registry.guard_types.cache_clear()
