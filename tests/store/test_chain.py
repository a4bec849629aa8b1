"""The event hash chain: canonical JSON, the documented hash formula, and tamper detection."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from docflow.store import ProjectRow, Store
from docflow.store.chain import GENESIS_HASH, canonical_json, event_hash, jsonable


def test_canonical_json_sorts_keys_keeps_unicode_and_exact_values() -> None:
    value = {"b": Decimal("1200500.00"), "a": dt.date(2026, 11, 23), "名": "医院"}
    assert canonical_json(value) == '{"a":"2026-11-23","b":"1200500.00","名":"医院"}'
    assert jsonable(value) == {"a": "2026-11-23", "b": "1200500.00", "名": "医院"}


def test_event_hash_is_the_documented_formula() -> None:
    data = {"trigger": "sign_contract", "金额": "1.00"}
    at = "2026-11-24T08:00:00.000+00:00"
    body = {
        "seq": 1,
        "at": at,
        "actor": "pm",
        "type": "transition",
        "data": data,
        "prev_hash": GENESIS_HASH,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert event_hash(1, at, "pm", "transition", data, GENESIS_HASH) == expected


def _four_events(store: Store) -> None:
    with store.write("HIS-2026", 1) as tx:
        tx.append_event("transition", "pm", {"trigger": "sign_contract"})
        tx.append_event("document.issued", "pm", {"id": "SP-1", "amount": Decimal("9.50")})
        tx.append_event("signature", "client", {"doc": "SP-1"})


def test_an_untouched_chain_verifies(store: Store, project: ProjectRow) -> None:
    _four_events(store)
    chain = store.events("HIS-2026")
    assert [e.seq for e in chain] == [1, 2, 3, 4]
    assert all(e.prev_hash == p.hash for p, e in itertools.pairwise(chain))
    assert store.verify_chain("HIS-2026") == []


DAMAGE = [
    pytest.param(
        ['UPDATE events SET data = \'{"trigger":"forged"}\' WHERE seq = 2'],
        {2},
        id="data-edited",
    ),
    pytest.param(
        ["UPDATE events SET hash = '" + "f" * 64 + "' WHERE seq = 3"], {3}, id="hash-edited"
    ),
    pytest.param(["UPDATE events SET actor = 'intruder' WHERE seq = 2"], {2}, id="actor-edited"),
    pytest.param(["DELETE FROM events WHERE seq = 2"], {2}, id="middle-row-deleted"),
    pytest.param(["DELETE FROM events WHERE seq = 4"], {4}, id="last-row-deleted"),
    pytest.param(
        ["DELETE FROM events WHERE seq = 4", "UPDATE projects SET head_seq = 3"],
        {3},
        id="last-row-deleted-and-head-moved",
    ),
]


@pytest.mark.parametrize(("statements", "seqs"), DAMAGE)
def test_damage_is_named_by_seq(
    store: Store,
    project: ProjectRow,
    raw_sql: Callable[..., None],
    statements: list[str],
    seqs: set[int],
) -> None:
    _four_events(store)
    raw_sql(*statements)
    problems = store.verify_chain("HIS-2026")
    assert problems, "damage went unnoticed"
    assert {p.kind for p in problems} == {"event_chain"}
    assert {p.path for p in problems} == {f"events[seq={seq}]" for seq in seqs}
    for problem in problems:
        assert "HIS-2026" in problem.message
        assert "event seq" in problem.message


def test_a_rewritten_row_with_recomputed_hashes_breaks_the_link(
    store: Store, project: ProjectRow, raw_sql: Callable[..., None]
) -> None:
    _four_events(store)
    original = store.events("HIS-2026")[1]
    forged = {"trigger": "forged"}
    digest = hashlib.sha256(canonical_json(forged).encode()).hexdigest()
    new_hash = event_hash(2, original.at, original.actor, original.type, forged, original.prev_hash)
    raw_sql(
        f"UPDATE events SET data = '{canonical_json(forged)}', data_sha256 = '{digest}', "
        f"hash = '{new_hash}' WHERE seq = 2"
    )
    problems = store.verify_chain("HIS-2026")
    assert [p.path for p in problems] == ["events[seq=3]"]
    assert "does not follow seq 2" in problems[0].message


def test_verify_chain_of_an_unknown_project_reports_it(store: Store) -> None:
    (problem,) = store.verify_chain("NOPE")
    assert problem.kind == "event_chain"
    assert "NOPE is not in the store" in problem.message
