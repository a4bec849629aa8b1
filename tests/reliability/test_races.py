"""Commands racing on one project through the real ``docflow`` command, on both stores: one of
two steps wins, change requests and annexes are numbered once and without gaps."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from reliability_helpers import Project, finish


def test_two_advances_at_once_move_the_state_once(project_at: Callable[..., Project]) -> None:
    p = project_at("contract.signed")
    runs = finish([p.spawn("advance", "plan_survey", "--json") for _ in range(2)])

    assert sorted(r.code for r in runs) == [0, 5], [r.err for r in runs]
    winner = next(r for r in runs if r.code == 0).json()
    loser = next(r for r in runs if r.code == 5)
    assert winner["from"] == "contract.signed" and winner["to"] == "survey.planned"
    assert loser.json()["error"] == "conflict"
    # It lost either under the lock (the project changed) or after (the step was gone).
    message = loser.err.strip()
    assert message.startswith("docflow: ") and len(message.splitlines()) == 1, message
    assert "run it again" in message or "survey.planned" in message, message

    # Running the losing command again is safe: the step is taken, nothing more is issued.
    again = p.run("advance", "plan_survey", "--json")
    assert again.code == 5 and "survey.planned" in again.err, again.err
    assert p.ok("status")["state"] == "survey.planned"
    assert len(p.steps("plan_survey")) == 1
    docs = p.ok("docs")
    assert [(d["id"], d["version"]) for d in docs] == [("SP-1", 1)]
    assert p.files() == ["SP-1-v1.docx", "SP-1-v1.pdf"]
    assert p.verify()["ok"]


@pytest.mark.slow
def test_fifty_change_requests_at_once_are_numbered_once(
    project_at: Callable[..., Project],
) -> None:
    p = project_at("survey.confirmed")
    n = 50
    runs = finish(
        [
            p.spawn(
                "change",
                "new",
                "--title",
                f"Change {i}",
                "--reason",
                "parallel",
                "--adds",
                f"Feature {i}",
                "--description",
                "What it does",
                "--json",
            )
            for i in range(n)
        ]
    )

    failed = [r.err for r in runs if r.code]
    assert [r.code for r in runs] == [0] * n, sorted(set(failed))
    ids = [r.json()["id"] for r in runs]
    assert sorted(ids) == sorted(f"CR-{i}" for i in range(1, n + 1))
    listed = p.ok("change", "list")
    assert sorted(c["id"] for c in listed) == sorted(ids)
    titles = {c["id"]: c["title"] for c in listed}
    assert sorted(titles.values()) == sorted(f"Change {i}" for i in range(n))
    requested = [e for e in p.ok("log") if e["type"] == "change.requested"]
    assert sorted(e["data"]["change"] for e in requested) == sorted(ids)
    assert p.verify()["ok"]


@pytest.mark.slow
def test_approvals_at_once_get_consecutive_annex_numbers(
    project_at: Callable[..., Project],
) -> None:
    p = project_at("survey.confirmed")
    n = 3
    for i in range(n):
        p.ok(
            "change",
            "new",
            "--title",
            f"Change {i}",
            "--reason",
            "client asked",
            "--adds",
            f"Feature {i}",
            "--description",
            "What it does",
        )
    before = p.ok("status")["documents"]
    first = max(d["annex"] or 0 for d in before) + 1

    runs = finish([p.spawn("change", "approve", f"CR-{i}", "--json") for i in range(1, n + 1)])

    assert [r.code for r in runs] == [0] * n, [r.err for r in runs]
    approved = [r.json() for r in runs]
    assert sorted(a["annex"] for a in approved) == list(range(first, first + n))
    assert sorted(a["document"]["id"] for a in approved) == [f"CA-{i}" for i in range(1, n + 1)]
    for a in approved:
        assert a["status"] == "approved" and a["document"]["annex"] == a["annex"]
    docs = p.ok("docs")
    annexes = [d["annex"] for d in docs if d["annex"]]
    assert sorted(annexes) == list(range(1, first + n)), annexes
    assert [e["data"]["annex"] for e in p.ok("log") if e["type"] == "change.approved"] == sorted(
        a["annex"] for a in approved
    )
    expected = {f"CA-{i}-v1.{ext}" for i in range(1, n + 1) for ext in ("docx", "pdf")}
    assert expected <= set(p.files())
    assert not [f for f in p.files() if f.startswith(".")]
    assert p.verify()["ok"]
