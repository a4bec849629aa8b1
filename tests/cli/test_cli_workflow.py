"""``docflow workflow``, ``templates``, ``doctor`` and ``projects`` through the command."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_list_and_show_text(docflow: Callable[..., Any], tmp_path: Path) -> None:
    r = docflow("workflow", "list", "--json", cwd=tmp_path)
    assert r.code == 0 and "implementation" in r.json()
    text = docflow("workflow", "show", "implementation", cwd=tmp_path).out
    assert "sign_contract -> contract.signed" in text and " * " not in text


def test_show_marks_current_state(example_workspace: Path, docflow: Callable[..., Any]) -> None:
    text = docflow("workflow", "show", "implementation", cwd=example_workspace).out
    assert " * contract.drafting" in text
    mermaid = docflow(
        "workflow", "show", "implementation", "--format", "mermaid", cwd=example_workspace
    ).out
    assert mermaid.startswith("stateDiagram-v2")
    assert "class contract_drafting current" in mermaid
    svg = docflow("workflow", "show", "implementation", "--format", "svg", cwd=example_workspace)
    assert svg.code == 0 and "<svg" in svg.out and "#ffd54f" in svg.out


def test_readme_workflow_example_validates(docflow: Callable[..., Any], tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(name: small_job.*?)```", readme, re.S)
    assert block
    path = tmp_path / "small.yaml"
    path.write_text(block.group(1), "utf-8")
    r = docflow("workflow", "validate", str(path), "--json", cwd=tmp_path)
    assert r.code == 0, r.err
    assert r.json()["transitions"] == 2


def test_validate_names_every_problem(docflow: Callable[..., Any], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    src = (REPO / "workflows" / "implementation.yaml").read_text("utf-8")
    src = src.replace("dest: contract.signed", "dest: contract.signd", 1)
    src = src.replace("type: no_open_changes", "type: no_open_change", 1)
    bad.write_text(src, "utf-8")
    r = docflow("workflow", "validate", str(bad), "--json", cwd=tmp_path)
    assert r.code == 4
    messages = [p["message"] for p in r.json()["problems"]]
    assert any("contract.signd" in m for m in messages)
    assert any("no_open_change" in m for m in messages)
    assert all(p["line"] for p in r.json()["problems"])
    assert "bad.yaml:" in r.err


def test_templates_copy_takes_precedence(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    ws = example_workspace
    r = docflow("templates", "copy", "survey_plan", "--locale", "zh-CN", "--json", cwd=ws)
    assert r.code == 0 and r.json() == ["templates/zh-CN/survey_plan.html.j2"]
    listed = docflow("templates", "list", "--json", cwd=ws).json()
    mine = next(t for t in listed if t["name"] == "zh-CN/survey_plan.html.j2")
    assert mine["source"] == "workspace"
    again = docflow("templates", "copy", "survey_plan", "--locale", "zh-CN", cwd=ws)
    assert again.code == 5
    assert docflow("templates", "copy", "no_such_kind", cwd=ws).code == 4


def test_doctor_reports_each_check(example_workspace: Path, docflow: Callable[..., Any]) -> None:
    r = docflow("doctor", "--json", cwd=example_workspace)
    checks = {c["check"]: c for c in r.json()["checks"]}
    assert {"cjk-font", "pango", "harfbuzz-subset", "templates", "store"} <= set(checks)
    assert r.code == (0 if r.json()["ok"] else 1)
    assert checks["store"]["ok"]


@pytest.mark.parametrize("page", [1, 2])
def test_projects_lists_the_register(
    example_workspace: Path, docflow: Callable[..., Any], page: int
) -> None:
    r = docflow("projects", "--json", "--limit", "1", "--page", str(page), cwd=example_workspace)
    assert r.code == 0, r.err
    body = r.json()
    assert body["total"] == 1
    codes = [p["code"] for p in body["projects"]]
    assert codes == (["HIS-2026"] if page == 1 else [])
    if page == 1:
        assert body["projects"][0]["phase"] == "contract"


def test_db_upgrade_on_a_fresh_and_a_current_store(
    tmp_path: Path, docflow: Callable[..., Any]
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = docflow("--store", url, "db", "upgrade", "--json", cwd=tmp_path)
    assert first.code == 0, first.err
    again = docflow("--store", url, "db", "upgrade", "--json", cwd=tmp_path)
    assert again.json()["revision"] == first.json()["revision"]
    listed = docflow("--store", url, "projects", "--json", cwd=tmp_path)
    assert listed.code == 0 and listed.json()["total"] == 0
