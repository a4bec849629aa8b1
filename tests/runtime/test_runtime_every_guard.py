"""Every guard of the built-in workflow: it blocks when its data is missing, naming the
project.yaml path or the document, and passes on the example project's data."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from docflow.guards import DocFacts, Snapshot, evaluate
from docflow.guards.facts import ActionFacts, ConfirmFacts, RecordFacts
from docflow.spec.loader import load_project, load_workflow

REPO = Path(__file__).resolve().parents[2]
SPEC = load_workflow("implementation")


def _cases() -> list[Any]:
    cases = []
    for t in SPEC.transitions:
        for i, g in enumerate(t.guards):
            cases.append(pytest.param(t.trigger, i, id=f"{t.trigger}-{g.type}-{i}"))
    return cases


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[last] = value


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node[part]
    return node


def _all_signed() -> dict[str, DocFacts]:
    return {
        code: DocFacts(
            id=f"{code}-1",
            code=code,
            title=code,
            version=1,
            status="signed",
            signed_by=frozenset(kind.signers),
        )
        for code, kind in SPEC.documents.items()
    }


def _break(
    guard_type: str, params: dict[str, Any], data: dict[str, Any], docs: dict[str, DocFacts]
) -> tuple[str | None, tuple[str, ...]]:
    """Damage the data so this guard must fail; return the path or document it must name."""
    if guard_type == "fields_present":
        path = params["paths"][0]
        _set(data, path, None)
        return path, ()
    if guard_type == "min_items":
        items = _get(data, params["path"])
        where = params.get("where", {})
        kept = [it for it in items if not all(it.get(k) == v for k, v in where.items())]
        _set(data, params["path"], kept)
        return params["path"], ()
    if guard_type == "all_items":
        where = params.get("where", {})
        for i, it in enumerate(_get(data, params["path"])):
            if all(it.get(k) == v for k, v in where.items()):
                it[params["field"]] = False
                return f"{params['path']}[{i}].{params['field']}", ()
    if guard_type == "fact_true":
        _set(data, params["path"], False)
        return params["path"], ()
    if guard_type == "document_signed":
        code = params["document"]
        docs[code] = DocFacts(
            id=f"{code}-1", code=code, title=code, version=1, status="issued", signed_by=frozenset()
        )
        return None, (f"{code}-1",)
    if guard_type == "no_open_changes":
        return None, ("CR-1",)
    if guard_type == "requirements_delivered":
        for i, it in enumerate(data["requirements"]):
            if it["priority"] in params.get("block_priorities", ["must"]):
                it["delivered"] = False
                return f"requirements[{i}].delivered", ()
    if guard_type == "acceptance_conclusion":
        path = params.get("path", "acceptance.conclusion")
        _set(data, path, "fail" if params.get("require_passing") else None)
        return path, ()
    raise AssertionError(f"no breaker for {guard_type}")


def _records(guard_type: str, params: dict[str, Any]) -> tuple[RecordFacts, tuple[str, ...]]:
    """Records that must make a records guard fail, and what its blockers must name."""
    if guard_type == "confirmed_in_phase":
        minutes = ConfirmFacts(
            id=f"{params['document']}-1",
            code=params["document"],
            title="minutes",
            label="2026-04-07 kick-off",
            phase="current",
            confirmed=False,
            party="client",
            deadline=dt.date(2026, 4, 10),
        )
        return RecordFacts(minutes=(minutes,), phase="current"), (minutes.id,)
    if guard_type == "no_overdue_actions":
        item = ActionFacts(
            id="MM-1#1",
            task="send the interface spec",
            party=params.get("party") or "vendor",
            owner="Liu",
            due=dt.date(2026, 4, 20),
            open=True,
        )
        return RecordFacts(actions=(item,), today=dt.date(2026, 5, 1)), (item.id,)
    raise AssertionError(f"no breaker for {guard_type}")


_RECORDS = ("confirmed_in_phase", "no_overdue_actions")


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize(("trigger", "index"), _cases())
def test_guard_blocks_then_passes(trigger: str, index: int, locale: str) -> None:
    project = load_project(REPO / "workflows" / "examples" / f"implementation.{locale}.yaml")
    transition = next(t for t in SPEC.transitions if t.trigger == trigger)
    guard = transition.guards[index]
    good = project.model_dump(mode="python")
    if trigger == "reject_acceptance":
        good["acceptance"]["rejection_reason"] = "on-site test failed"

    passing = Snapshot(data=good, locale=locale, documents=_all_signed())
    assert evaluate(guard.type, guard.params, passing) == []

    bad = copy.deepcopy(good)
    docs = _all_signed()
    records = RecordFacts()
    if guard.type in _RECORDS:
        path = None
        records, documents = _records(guard.type, guard.params)
    else:
        path, documents = _break(guard.type, guard.params, bad, docs)
    snap = Snapshot(
        data=bad,
        locale=locale,
        documents=docs,
        open_changes=documents if guard.type == "no_open_changes" else (),
        records=records,
    )
    blockers = evaluate(guard.type, guard.params, snap)
    assert blockers, f"{trigger}: {guard.type} did not block"
    if path is not None:
        assert any(b.path == path and path in b.message for b in blockers)
    for doc in documents:
        assert any(doc in b.message for b in blockers)
