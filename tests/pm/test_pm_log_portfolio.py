"""History a PM can read, and one list of all the PM's projects (the portfolio), through the
docflow command on skeleton projects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pm_projects import LOCALES, edit_project
from skeleton_fill import WORDS, fill_skeleton

Docflow = Callable[..., Any]


@pytest.mark.parametrize("locale", LOCALES)
def test_log_names_party_signer_method_and_document(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.confirmed")
    text = docflow("log", "--doc", "rm-1", cwd=ws)
    assert text.code == 0, text.err
    signatures = [line for line in text.out.splitlines() if " signature " in line]
    assert len(signatures) == 2, text.out
    party = "甲方" if locale == "zh-CN" else "the client"
    method = "登记签字" if locale == "zh-CN" else "recorded"
    assert any(party in line and "RM-1" in line and method in line for line in signatures)
    events = docflow("log", "--doc", "RM-1", "--json", cwd=ws).json()
    assert {e["type"] for e in events} >= {"step", "signature", "document.signed"}
    assert all("RM-1" in str(e["data"]) for e in events)


def test_log_filters(skeleton_at: Callable[[str, str], Path], docflow: Docflow) -> None:
    ws = skeleton_at("en", "survey.confirmed")
    everything = docflow("log", "--json", cwd=ws).json()
    assert docflow("log", "--type", "sign", "--json", cwd=ws).json() == [
        e for e in everything if e["type"].startswith("sign")
    ]
    last = docflow("log", "--limit", "2", "--json", cwd=ws).json()
    assert [e["seq"] for e in last] == [e["seq"] for e in everything[-2:]]
    assert docflow("log", "--since", "2999-01-01", "--json", cwd=ws).json() == []
    assert len(docflow("log", "--since", "2000-01-01", "--json", cwd=ws).json()) == len(everything)
    bad = docflow("log", "--since", "yesterday", cwd=ws)
    assert bad.code == 2


@pytest.mark.parametrize("locale", LOCALES)
def test_the_actor_is_the_project_manager_not_the_os_user(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.confirmed")
    r = docflow(
        "change",
        "new",
        "--title",
        "t",
        "--reason",
        "r",
        "--removes",
        "R-2",
        cwd=ws,
        env={"DOCFLOW_ACTOR": ""},
    )
    assert r.code == 0, r.err
    [event] = docflow("log", "--type", "change", "--json", cwd=ws).json()
    assert event["actor"] == WORDS[locale]["pm"]
    docflow("--actor", "Auditor", "change", "reject", "CR-1", "--reason", "no", cwd=ws)
    assert docflow("log", "--limit", "1", "--json", cwd=ws).json()[0]["actor"] == "Auditor"


def test_the_portfolio_of_a_shared_store(tmp_path: Path, docflow: Docflow) -> None:
    store = f"sqlite:///{tmp_path / 'shared.db'}"
    env = {"DOCFLOW_DATABASE_URL": store, "DOCFLOW_TODAY": "2026-05-04"}
    for name, locale in (("warehouse-2027", "en"), ("lab-system", "zh-CN")):
        r = docflow("init", str(tmp_path / name), "--locale", locale, env=env)
        assert r.code == 0, r.err
    lab = tmp_path / "lab-system"
    edit_project(lab, lambda data: fill_skeleton(data, "zh-CN"))
    for _ in range(2):
        assert docflow("advance", cwd=lab, env=env).code == 0  # SP-1 awaits the client

    later = {**env, "DOCFLOW_TODAY": "2026-05-14"}
    page = docflow("projects", "--json", cwd=lab, env=later).json()
    rows = {p["code"]: p for p in page["projects"]}
    assert set(rows) == {"WAREHOUSE-2027", "LAB-SYSTEM"}
    warehouse, lab_row = rows["WAREHOUSE-2027"], rows["LAB-SYSTEM"]
    assert warehouse["name"] == "warehouse-2027"
    assert warehouse["next"]["trigger"] == "sign_contract" and not warehouse["next"]["ready"]
    assert warehouse["next"]["blockers"] > 3 and "contract.number" in warehouse["next"]["first"]
    assert lab_row["name"] == WORDS["zh-CN"]["project"]
    assert lab_row["awaiting"] == [
        {"document": "SP-1", "party": "client", "since": "2026-05-04", "days": 10}
    ]
    assert lab_row["oldest_wait_days"] == 10 and lab_row["signatures_awaited"] == 1
    assert lab_row["next"]["trigger"] == "start_survey" and lab_row["next"]["blockers"] == 1
    text = docflow("projects", cwd=lab, env=later)
    assert text.code == 0
    # In the language of the workspace it runs in (the lab's is zh-CN).
    assert "SP-1 甲方 10 天" in text.out and "warehouse-2027" in text.out

    # What blocks a project follows its project.yaml and its store, read again when either
    # changed (the portfolio keeps the facts it read in the workspace until then).
    warehouse_ws = tmp_path / "warehouse-2027"
    edit_project(warehouse_ws, lambda data: data["contract"].update(number="WH-1"))
    again = {
        p["code"]: p for p in docflow("projects", "--json", cwd=lab, env=later).json()["projects"]
    }
    assert again["WAREHOUSE-2027"]["next"]["blockers"] == warehouse["next"]["blockers"] - 1
    assert docflow("sign", "SP-1", "--party", "client", "--signer", "X", cwd=lab, env=env).code == 0
    again = {
        p["code"]: p for p in docflow("projects", "--json", cwd=lab, env=later).json()["projects"]
    }
    assert again["LAB-SYSTEM"]["next"]["ready"] and again["LAB-SYSTEM"]["awaiting"] == []
