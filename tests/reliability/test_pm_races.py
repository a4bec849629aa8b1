"""Change requests and steps racing on one project, through the real docflow command on both
stores: requirements added concurrently get distinct ids, CR numbers stay gapless, and a step
that lost its race to an unrelated write plans again and is taken."""

from __future__ import annotations

from collections.abc import Callable

from reliability_helpers import Project, finish


def _change(p: Project, i: int) -> list[str]:
    return [
        "change",
        "new",
        "--title",
        f"Change {i}",
        "--reason",
        "parallel",
        "--adds",
        f"Feature {i}",
        "--description",
        f"What feature {i} does",
        "--json",
    ]


def test_twenty_concurrent_additions_get_distinct_ids(
    project_at: Callable[..., Project],
) -> None:
    p = project_at("survey.confirmed")
    n = 20
    runs = finish([p.spawn(*_change(p, i)) for i in range(n)])

    assert [r.code for r in runs] == [0] * n, sorted({r.err for r in runs if r.code})
    filed = [r.json() for r in runs]
    assert sorted(int(c["id"].split("-")[1]) for c in filed) == list(range(1, n + 1))
    added = [a["id"] for c in filed for a in c["body"]["adds"]]
    assert len(added) == n and len(set(added)) == n, added
    # Approving them one after the other works: no two pending requests add the same id.
    listed = {c["id"]: c for c in p.ok("change", "list")}
    assert sorted(a["id"] for c in listed.values() for a in c["body"]["adds"]) == sorted(added)
    assert p.verify()["ok"]


def test_an_advance_among_writers_is_taken(project_at: Callable[..., Project]) -> None:
    p = project_at("survey.confirmed")
    p.ok(*_change(p, 0)[:-1])
    annex = p.ok("change", "approve", "CR-1")["document"]["id"]
    procs = [p.spawn("advance", "plan_deployment", "--json") for _ in range(10)]
    procs += [p.spawn(*_change(p, i)) for i in range(1, 4)]
    procs.append(p.spawn("sign", annex, "--party", "client", "--signer", "Client", "--json"))
    runs = finish(procs)
    advances, changes, signature = runs[:10], runs[10:13], runs[13]

    won = [r for r in advances if r.code == 0]
    assert len(won) == 1, [r.err for r in advances]
    lost = [r for r in advances if r.code != 0]
    assert all(r.code == 5 for r in lost), [r.err for r in lost]
    assert all("deployment.planned" in r.err for r in lost), [r.err for r in lost]
    assert [r.code for r in changes] == [0, 0, 0], [r.err for r in changes]
    assert signature.code == 0, signature.err
    assert p.ok("status")["state"] == "deployment.planned"
    assert len(p.steps("plan_deployment")) == 1
    assert [d["id"] for d in p.ok("docs") if d["id"].startswith("DP")] == ["DP-1"]
    assert p.verify()["ok"]
