"""Bad input: one clear sentence, the documented exit code, and nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "  code: HIS-2026", "  code: HIS-2026\n  colour: red", "unknown field", id="unknown-key"
        ),
        pytest.param("  signed_on: 2026-", "  signed_on: 2026-13-45 #", "date", id="bad-date"),
        pytest.param("locale: zh-CN", "locale: [zh-CN", "project.yaml:", id="broken-yaml"),
        pytest.param("  amount:", "  amount: [1, 2] #", "contract.amount", id="wrong-type"),
    ],
)
def test_invalid_project_yaml_exits_4_and_changes_nothing(
    example_workspace: Path,
    docflow: Callable[..., Any],
    tree_snapshot: Callable[[Path], dict[str, bytes]],
    old: str,
    new: str,
    expected: str,
) -> None:
    ws = example_workspace
    project = ws / "project.yaml"
    text = project.read_text("utf-8")
    assert old in text, old
    project.write_text(text.replace(old, new, 1), "utf-8")
    before = tree_snapshot(ws)
    for args in (("status",), ("advance",), ("advance", "--json")):
        r = docflow(*args, cwd=ws)
        assert r.code == 4, (args, r.err)
        assert "project.yaml:" in r.err and expected in r.err
        assert "Traceback" not in r.err
    assert tree_snapshot(ws) == before


def test_duplicate_requirement_id_exits_4(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    project = example_workspace / "project.yaml"
    text = project.read_text("utf-8")
    first = text.index("- id: ", text.index("requirements:"))
    second = text.index("- id: ", first + 1)
    line = text[second : text.index("\n", second)]
    first_id = text[first : text.index("\n", first)].split(":", 1)[1]
    project.write_text(text.replace(line, "- id:" + first_id, 1), "utf-8")
    r = docflow("status", cwd=example_workspace)
    assert r.code == 4 and "duplicate" in r.err.lower()


def test_unknown_trigger_is_usage_error(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    r = docflow("advance", "launch_rocket", "--json", cwd=example_workspace)
    assert r.code == 2
    assert r.json()["error"] == "usage" and "launch_rocket" in r.json()["message"]


def test_trigger_from_wrong_state_is_conflict(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    r = docflow("advance", "accept", cwd=example_workspace)
    assert r.code == 5 and "contract.drafting" in r.err


def test_unknown_document_is_invalid(example_workspace: Path, docflow: Callable[..., Any]) -> None:
    r = docflow("sign", "XX-9", "--party", "client", "--signer", "A", cwd=example_workspace)
    assert r.code == 4 and "XX-9" in r.err


def test_skeleton_status_works_and_advance_is_blocked(
    tmp_path: Path, docflow: Callable[..., Any]
) -> None:
    ws = tmp_path / "acme-erp"
    assert docflow("init", str(ws)).code == 0
    text = (ws / "project.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert docflow("status", cwd=ws).code == 0
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 3
    body = r.json()
    assert body["error"] == "blocked"
    paths = {b["path"] for b in body["blockers"]}
    assert {"contract.number", "contract.amount", "risks"} <= paths
    assert "contract.number" in r.err


def test_init_twice_is_conflict(example_workspace: Path, docflow: Callable[..., Any]) -> None:
    r = docflow("init", str(example_workspace), "--example")
    assert r.code == 5 and "already" in r.err


def test_outside_a_workspace_is_usage_error(tmp_path: Path, docflow: Callable[..., Any]) -> None:
    r = docflow("status", cwd=tmp_path)
    assert r.code == 2 and "docflow init" in r.err


def test_blocked_step_reports_every_blocker(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    ws = example_workspace
    project = ws / "project.yaml"
    text = project.read_text("utf-8")
    import re

    text = re.sub(r"(?m)^(  number:).*$", r'\1 ""', text, count=1)
    text = re.sub(r"(?m)^(  scope:).*$", r'\1 ""', text, count=1)
    project.write_text(text, "utf-8")
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 3
    paths = [b["path"] for b in r.json()["blockers"]]
    assert "contract.number" in paths and "contract.scope" in paths


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (("advance", "nope", "--json"), 2, "usage"),
        (("sign", "XX-9", "--party", "client", "--signer", "A", "--json"), 4, "invalid"),
        (("change", "approve", "CR-1", "--json"), 5, "conflict"),
        (("frobnicate",), 2, None),
    ],
    ids=["unknown-trigger", "unknown-document", "wrong-state", "unknown-command"],
)
def test_exit_codes_of_a_real_process(
    example_workspace: Path,
    docflow_process: Callable[..., Any],
    args: tuple[str, ...],
    code: int,
    error: str | None,
) -> None:
    r = docflow_process(*args, cwd=example_workspace)
    assert r.code == code, r.err
    assert "Traceback" not in r.err and r.err.strip()
    if error is not None:
        assert r.json()["error"] == error
