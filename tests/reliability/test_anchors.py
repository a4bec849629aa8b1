"""Chain heads kept outside the store, through the ``docflow`` command on both stores: the
legal bundle's manifest carries the head, and ``verify --anchor`` / ``--anchors`` catch a
rewrite of the newest events that the chain alone cannot show."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reliability_helpers import Project, engine_of

from docflow.store.chain import event_hash


def _rewrite_last_event(p: Project, actor: str) -> None:
    """Change the last event's actor and recompute its hash and the head: a consistent chain."""
    engine = engine_of(p.store_url)
    try:
        with engine.begin() as conn:
            seq, at, type_, data, prev = conn.exec_driver_sql(
                "SELECT seq, at, type, data, prev_hash FROM events ORDER BY seq DESC LIMIT 1"
            ).one()
            payload = json.loads(data) if isinstance(data, str) else data
            digest = event_hash(seq, at, actor, type_, payload, prev)
            conn.exec_driver_sql(
                f"UPDATE events SET actor = '{actor}', hash = '{digest}' WHERE seq = {seq}"
            )
            conn.exec_driver_sql(f"UPDATE projects SET head_hash = '{digest}'")
    finally:
        engine.dispose()


@pytest.fixture
def exported(project_at: Callable[..., Project]) -> tuple[Project, Path, dict[str, Any]]:
    """The project at survey.confirmed and its legal bundle, exported at the head."""
    p = project_at("survey.confirmed")
    bundle = p.ws / "legal.zip"
    manifest = p.ok("export", "legal", str(bundle))
    return p, bundle, manifest


def test_the_bundle_carries_the_head_and_an_untouched_chain_holds_it(
    exported: tuple[Project, Path, dict[str, Any]],
) -> None:
    p, bundle, manifest = exported
    status = p.ok("verify")
    assert manifest["chain"] == status["chain"]
    assert manifest["anchor"] == f"{status['chain']['seq']}:{status['chain']['head']}"
    with zipfile.ZipFile(bundle) as zf:
        inside = json.loads(zf.read("manifest.json"))
    assert inside["chain"] == manifest["chain"]
    (p.ws / "manifest.json").write_text(json.dumps(inside), "utf-8")
    (p.ws / "anchors.txt").write_text(f"# kept by legal\n{manifest['anchor']}\n", "utf-8")
    for option in (
        ("--anchors", str(bundle)),
        ("--anchors", str(p.ws / "manifest.json")),
        ("--anchors", str(p.ws / "anchors.txt")),
        ("--anchor", manifest["anchor"]),
        ("--anchor", "1:" + p.ok("log")[0]["hash"]),
    ):
        result = p.run("verify", *option, "--json")
        assert result.code == 0, f"{option}: {result.err}"


def test_a_rewritten_last_event_is_caught_only_by_an_anchor(
    exported: tuple[Project, Path, dict[str, Any]],
) -> None:
    p, bundle, manifest = exported
    _rewrite_last_event(p, "mallory")
    # The chain and the rows hold together: without an anchor nothing shows.
    assert p.verify()["ok"]
    for option in (("--anchors", str(bundle)), ("--anchor", manifest["anchor"])):
        result = p.run("verify", *option, "--json")
        assert result.code == 6, result.err
        (problem,) = result.json()["problems"]
        assert problem["kind"] == "anchor_mismatch"
        seq = manifest["chain"]["seq"]
        assert problem["path"] == f"events[seq={seq}]"
        assert f"anchor {seq}:{manifest['chain']['head'][:12]}" in problem["message"]
        assert "rewritten" in problem["message"]


def test_an_anchor_beyond_the_chain_says_events_were_removed(
    exported: tuple[Project, Path, dict[str, Any]],
) -> None:
    p, _bundle, manifest = exported
    seq = manifest["chain"]["seq"]
    result = p.run("verify", "--anchor", f"{seq + 5}:{'a' * 64}", "--json")
    assert result.code == 6, result.err
    (problem,) = result.json()["problems"]
    assert problem["kind"] == "anchor_mismatch"
    assert f"the chain ends at seq {seq}" in problem["message"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("--anchor", "12"), "is not an anchor", id="no-hash"),
        pytest.param(("--anchor", "0:" + "a" * 64), "is not an anchor", id="seq-zero"),
        pytest.param(("--anchor", "3:xyz"), "is not an anchor", id="bad-hash"),
        pytest.param(("--anchors", "missing.txt"), "cannot be read", id="missing-file"),
    ],
)
def test_a_bad_anchor_is_invalid_input(
    exported: tuple[Project, Path, dict[str, Any]], args: tuple[str, ...], message: str
) -> None:
    p, _bundle, _manifest = exported
    result = p.run("verify", *args, "--json")
    assert result.code == 4, result.err
    assert message in result.json()["message"]


def test_the_manifest_of_another_project_is_refused(
    exported: tuple[Project, Path, dict[str, Any]],
) -> None:
    p, _bundle, manifest = exported
    other = {**manifest, "project": {"code": "OTHER-1", "name": "x"}}
    (p.ws / "other.json").write_text(json.dumps(other), "utf-8")
    result = p.run("verify", "--anchors", str(p.ws / "other.json"), "--json")
    assert result.code == 4, result.err
    assert "of project OTHER-1, not HIS-2026" in result.json()["message"]
