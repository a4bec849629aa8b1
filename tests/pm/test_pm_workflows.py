"""Company customisation without a developer: a document kind of one's own (a go-live
request) with its own data in project.yaml's extra: section, in a workflow that extends the
built-in one; and a running project moved to a newer workflow when that is compatible."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pm_projects import DATA, LOCALES, edit_project, make_skeleton

Docflow = Callable[..., Any]
GOLIVE = DATA / "golive.yaml"


def _with_templates(ws: Path) -> None:
    shutil.copytree(DATA / "templates", ws / "templates", dirs_exist_ok=True)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_golive_kind_end_to_end(tmp_path: Path, docflow: Docflow, locale: str) -> None:
    ws = tmp_path / "ws"
    _with_templates(ws)
    make_skeleton(ws, locale, "deployment.in_progress", workflow=str(GOLIVE))

    blocked = docflow("advance", "--json", cwd=ws)
    assert blocked.code == 3, blocked.err
    paths = {b["path"] for b in blocked.json()["blockers"]}
    assert {"extra.golive.date", "extra.golive.window"} <= paths

    def golive(data: dict[str, Any]) -> None:
        data["extra"] = {"golive": {"date": "2026-08-11", "window": "22:00-04:00"}}
        data["extra"]["golive"]["systems"] = ["LIS", "HIS interface"]

    edit_project(ws, golive)
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 0, r.err
    [doc] = r.json()["documents"]
    assert doc["id"] == "GL-1" and doc["awaiting"] == ["client"]
    text = subprocess.run(
        ["pdftotext", str(ws / doc["files"]["pdf"]), "-"], capture_output=True, text=True
    ).stdout
    assert "22:00-04:00" in text and "HIS interface" in text

    status = docflow("status", "--json", cwd=ws).json()
    [step] = status["transitions"]
    assert step["trigger"] == "finish_deployment" and not step["ready"]
    signed = docflow("sign", "gl-1", "--party", "client", "--signer", "X", cwd=ws)
    assert signed.code == 0, signed.err
    step = docflow("status", "--json", cwd=ws).json()["transitions"][0]
    assert step["ready"], step["blockers"]


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        pytest.param({"golive": {"date": "next week"}}, "extra.golive.date", id="bad-date"),
        pytest.param({"golive": {"window": "x"}}, "'date' is a required property", id="missing"),
        pytest.param({"launch": {"date": "2026-08-11"}}, "extra.launch", id="unknown-key"),
        pytest.param({"golive": {"date": "2026-08-11", "colour": 1}}, "colour", id="unknown-field"),
    ],
)
def test_extra_data_is_checked_with_its_line(
    tmp_path: Path, docflow: Docflow, extra: dict[str, Any], needle: str
) -> None:
    ws = tmp_path / "ws"
    _with_templates(ws)
    make_skeleton(ws, "en", None, workflow=str(GOLIVE))
    edit_project(ws, lambda data: data.update(extra=extra))
    before = (ws / "project.yaml").read_text("utf-8")
    r = docflow("status", "--json", cwd=ws)
    assert r.code == 4, r.err
    assert needle in r.err and "project.yaml:" in r.err
    line = int(r.err.split("project.yaml:")[1].split(":")[0])
    assert "extra" in before.splitlines()[line - 1] or before.splitlines()[line - 1].startswith(" ")


def test_extra_without_a_schema_is_refused(confirmed_copy: Path, docflow: Docflow) -> None:
    edit_project(confirmed_copy, lambda data: data.update(extra={"anything": 1}))
    r = docflow("status", cwd=confirmed_copy)
    assert r.code == 4 and "extra.anything" in r.err and "data_schema" in r.err


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_problems_of_an_extending_workflow_name_its_own_lines(
    tmp_path: Path, docflow: Docflow
) -> None:
    child = _write(
        tmp_path / "child.yaml",
        "name: child\n"
        "extends: implementation\n"
        "transitions:\n"
        "  - trigger: jump\n"
        "    source: survey.confirmed\n"
        "    dest: nowhere\n"
        "    title: {zh-CN: 跳, en: Jump}\n",
    )
    r = docflow("workflow", "validate", str(child), "--json")
    assert r.code == 4
    problems = r.json()["problems"]
    assert any(p["file"] == "child.yaml" and p["line"] == 6 for p in problems), problems
    removed = _write(
        tmp_path / "removed.yaml",
        "name: removed\nextends: implementation\nremove_transitions:\n"
        "  - {trigger: nothing, source: closed}\n",
    )
    r = docflow("workflow", "validate", str(removed))
    assert r.code == 4 and "removed.yaml:4" in r.err and "remove_transitions[0]" in r.err


def test_an_extends_cycle_is_refused(tmp_path: Path, docflow: Docflow) -> None:
    _write(tmp_path / "a.yaml", "name: a\nextends: b.yaml\n")
    _write(tmp_path / "b.yaml", "name: b\nextends: a.yaml\n")
    r = docflow("workflow", "validate", str(tmp_path / "a.yaml"))
    assert r.code == 4 and "cycle" in r.err


def test_a_data_schema_must_be_a_json_schema(tmp_path: Path, docflow: Docflow) -> None:
    bad = _write(
        tmp_path / "bad.yaml",
        "name: bad\nextends: implementation\ndata_schema:\n  golive: {type: 12}\n",
    )
    r = docflow("workflow", "validate", str(bad))
    assert r.code == 4 and "not a JSON Schema" in r.err and "bad.yaml:4" in r.err


def test_a_running_project_moves_to_a_compatible_workflow(
    confirmed_copy: Path, docflow: Docflow
) -> None:
    ws = confirmed_copy
    _with_templates(ws)
    dry = docflow("workflow", "upgrade", "--to", str(GOLIVE), "--dry-run", "--json", cwd=ws)
    assert dry.code == 0, dry.err
    assert dry.json()["reasons"] == [] and not dry.json()["upgraded"]
    r = docflow("workflow", "upgrade", "--to", str(GOLIVE), "--json", cwd=ws)
    assert r.code == 0, r.err
    assert r.json()["upgraded"] and r.json()["state"] == "survey.confirmed"
    [event] = docflow("log", "--type", "workflow", "--json", cwd=ws).json()
    assert event["data"]["name"] == "implementation_golive"
    assert f"workflow: {GOLIVE}" in (ws / "project.yaml").read_text("utf-8")
    status = docflow("status", "--json", cwd=ws).json()
    assert status["workflow"] == "implementation_golive"
    assert docflow("verify", cwd=ws).code == 0


def test_an_incompatible_workflow_is_refused_with_reasons(
    confirmed_copy: Path, docflow: Docflow, tmp_path: Path
) -> None:
    ws = confirmed_copy
    other = _write(
        tmp_path / "other.yaml",
        "name: other\nextends: implementation\ndocuments:\n"
        "  RM: {template: requirement_memo, title: {zh-CN: 备忘录, en: Memo},"
        " signers: [client], annex: true}\n",
    )
    dry = docflow("workflow", "upgrade", "--to", str(other), "--dry-run", "--json", cwd=ws)
    assert dry.code == 5
    assert any("RM" in reason and "signers" in reason for reason in dry.json()["reasons"])
    before = docflow("log", "--json", cwd=ws).json()
    r = docflow("workflow", "upgrade", "--to", str(other), cwd=ws)
    assert r.code == 5 and "RM" in r.err
    assert docflow("log", "--json", cwd=ws).json() == before
    assert "workflow: implementation" in (ws / "project.yaml").read_text("utf-8")
