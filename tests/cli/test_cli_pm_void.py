"""``docflow void`` and issuing again, and why ``render`` held or failed a document, said in
text: through the command and the API, on a project started from the skeleton.

The message "void it and issue it again" leads to a working path: void, render DOC_ID (the
same number, the next version), sign, take the step.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pm_helpers import edit_project, fill_skeleton, skeleton_at, skeleton_states, store_dump

pytestmark = pytest.mark.slow
__all__ = ["skeleton_at", "skeleton_states"]  # fixtures used by name

Docflow = Callable[..., Any]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_a_void_document_is_issued_again_as_its_next_version(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.planned")
    assert docflow("sign", "SP-1", "--party", "client", "--signer", "A", cwd=ws).code == 0
    r = docflow("void", "SP-1", "--reason", "wrong session dates", "--json", cwd=ws)
    assert r.code == 0, r.err
    view = r.json()
    assert (view["id"], view["version"], view["status"]) == ("SP-1", 1, "void")
    assert view["reason"] == "wrong session dates" and view["reissue"] == "docflow render SP-1"
    log = docflow("log", "--json", cwd=ws).json()
    (event,) = [e for e in log if e["type"] == "document.voided"]
    assert event["actor"] == "tester" and event["data"]["reason"] == "wrong session dates"
    assert event["data"]["was"] == "signed" and event["data"]["signed_by"] == ["client"]

    # The signature on the void version no longer counts: the step it allowed is blocked.
    status = docflow("status", "--json", cwd=ws).json()
    (step,) = status["transitions"]
    assert not step["ready"] and [b["document"] for b in step["blockers"]] == ["SP"]
    assert ("已作废" if locale == "zh-CN" else "void") in docflow("docs", cwd=ws).out

    r = docflow("render", "SP-1", "--json", cwd=ws)
    assert r.code == 0, r.err
    assert [(x["id"], x["version"]) for x in r.json()["rerendered"]] == [("SP-1", 2)]
    versions = docflow("docs", "--all", "--json", cwd=ws).json()
    assert [(d["version"], d["status"]) for d in versions] == [(1, "void"), (2, "issued")]
    assert docflow("sign", "SP-1", "--party", "client", "--signer", "A", cwd=ws).code == 0
    assert docflow("advance", cwd=ws).code == 0
    assert docflow("verify", cwd=ws).code == 0


def test_the_held_message_leads_to_a_working_path(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("zh-CN", "survey.memo_issued")
    assert docflow("sign", "RM-1", "--party", "client", "--signer", "张伟", cwd=ws).code == 0
    edit_project(ws, lambda d: d["memo"].update(background="仓库现有系统已运行十年。"))

    r = docflow("render", cwd=ws)  # text, as a PM reads it, in the project's language
    assert r.code == 0, r.err
    assert "暂缓 RM-1：RM-1 v1 已由甲方签署" in r.out
    assert "docflow void RM-1 --reason …，然后 docflow render RM-1" in r.out
    assert "重新生成 0 份" in r.out and "，暂缓 1 份，用时 " in r.out
    r = docflow("--lang", "en", "render", cwd=ws)
    assert r.code == 0, r.err
    assert "held RM-1: RM-1 v1 is already signed by client" in r.out
    assert "docflow void RM-1 --reason …, then docflow render RM-1" in r.out
    assert "0 re-rendered, " in r.out and ", 1 held in " in r.out

    assert docflow("void", "RM-1", "--reason", "背景有误", cwd=ws).code == 0
    bundle = ws.parent / "legal.zip"
    assert docflow("export", "legal", str(bundle), cwd=ws).code == 0
    with zipfile.ZipFile(bundle) as zf:
        register = json.loads(zf.read("manifest.json"))["register"]
    assert [(row["document"], row["annex"], row["status"]) for row in register] == [
        ("RM-1", 1, "void")
    ]

    r = docflow("render", "RM-1", "--json", cwd=ws)
    assert r.code == 0, r.err
    assert [(x["id"], x["version"]) for x in r.json()["rerendered"]] == [("RM-1", 2)]
    for party, name in (("client", "张伟"), ("vendor", "李强")):
        assert docflow("sign", "RM-1", "--party", party, "--signer", name, cwd=ws).code == 0
    assert docflow("advance", cwd=ws).code == 0  # confirm_requirements on RM-1 v2
    assert docflow("export", "legal", str(bundle), cwd=ws).code == 0
    with zipfile.ZipFile(bundle) as zf:
        register = json.loads(zf.read("manifest.json"))["register"]
    assert [(r["document"], r["version"], r["annex"], r["status"]) for r in register] == [
        ("RM-1", 2, 1, "signed")
    ]


def test_a_signed_contract_annex_is_superseded_by_a_change_only(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("en", "survey.memo_issued")
    for party, name in (("client", "Zhang Wei"), ("vendor", "Li Qiang")):
        assert docflow("sign", "RM-1", "--party", party, "--signer", name, cwd=ws).code == 0
    before = store_dump(ws)
    r = docflow("void", "RM-1", "--reason", "a requirement is missing", cwd=ws)
    assert r.code == 5
    assert "signed contract annex (annex 1)" in r.err and "file a change request" in r.err
    assert store_dump(ws) == before


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(["SP-1", "--reason", " "], 4, "needs a reason", id="blank-reason"),
        pytest.param(
            ["SP-1", "--reason", "x", "--date", "2020-01-01"],
            4,
            "before SP-1 v1 was issued",
            id="before-issue",
        ),
        pytest.param(["SP-9", "--reason", "x"], 4, "no document SP-9", id="unknown"),
        pytest.param(["SP-1"], 2, "--reason", id="no-reason"),
    ],
)
def test_a_void_that_cannot_be(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, args: list[str], code: int, says: str
) -> None:
    ws = skeleton_at("en", "survey.planned")
    before = store_dump(ws)
    r = docflow("void", *args, cwd=ws)
    assert r.code == code, r.err
    assert says in r.err and "Traceback" not in r.err
    assert store_dump(ws) == before


def test_a_void_document_cannot_be_voided_or_signed(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("en", "survey.planned")
    assert docflow("void", "SP-1", "--reason", "x", cwd=ws).code == 0
    before = store_dump(ws)
    r = docflow("void", "SP-1", "--reason", "again", cwd=ws)
    assert r.code == 5 and "SP-1 v1 is void already" in r.err
    r = docflow("sign", "SP-1", "--party", "client", "--signer", "A", cwd=ws)
    assert r.code == 5 and "void" in r.err
    assert store_dump(ws) == before


LOOP = """
name: loop_job
title: {zh-CN: 循环, en: Loop}
locales: [zh-CN, en]
initial: draft
states:
  draft: {phase: contract, title: {zh-CN: 起草, en: Draft}}
  planned: {phase: survey, title: {zh-CN: 已计划, en: Planned}}
  done: {phase: maintenance, title: {zh-CN: 完成, en: Done}, final: true}
transitions:
  - {trigger: plan, source: draft, dest: planned, title: {zh-CN: 计划, en: Plan}, emits: [SP]}
  - {trigger: replan, source: planned, dest: draft, title: {zh-CN: 重新计划, en: Replan}}
  - trigger: finish
    source: planned
    dest: done
    title: {zh-CN: 完成, en: Finish}
    guards: [{type: document_signed, document: SP, parties: [client]}]
documents:
  SP: {template: survey_plan, title: {zh-CN: 需求调研计划, en: Survey plan}, signers: [client]}
"""


def test_a_step_that_emits_a_void_kind_issues_it_again(tmp_path: Path) -> None:
    from docflow import api

    flow = tmp_path / "loop_job.yaml"
    flow.write_text(LOOP, "utf-8")
    ws = tmp_path / "ws"
    api.init(ws, workflow=str(flow), locale="en", code="WH-2026", actor="tester")
    edit_project(ws, _fill("en"))
    project = api.Project.open(ws, actor="tester")
    assert [d.id for d in project.advance("plan").documents] == ["SP-1"]
    project.void("SP-1", "the plan changes")
    project.advance("replan")
    again = project.advance("plan")
    assert [(d.id, d.version, d.status) for d in again.documents] == [("SP-1", 2, "issued")]
    assert [(d.version, d.status) for d in project.documents(all_versions=True)] == [
        (1, "void"),
        (2, "issued"),
    ]
    # A kind whose last document is live gets a new number, as before.
    project.advance("replan")
    assert [d.id for d in project.advance("plan").documents] == ["SP-2"]


def _fill(locale: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        workflow = data["workflow"]
        fill_skeleton(data, locale)
        data["workflow"] = workflow

    return change


def test_held_and_failed_documents_say_why_in_text(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("en", "survey.planned")
    broken = ws / "templates" / "en" / "survey_plan.html.j2"
    broken.parent.mkdir(parents=True)
    broken.write_text('{% extends "kinds/survey_plan.html.j2" %}{% block basis %}{% if %}', "utf-8")
    r = docflow("render", cwd=ws)
    assert r.code == 4  # a broken template is invalid input
    assert "failed SP-1: " in r.out and "survey_plan.html.j2" in r.out
    assert "0 re-rendered, 0 file(s) restored, 0 unchanged, 1 failed in " in r.out


def test_voiding_what_a_step_was_taken_on_says_so(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("en", "survey.in_progress")  # start_survey was taken on SP-1's signature
    r = docflow("void", "SP-1", "--reason", "superseded by a new plan", "--json", cwd=ws)
    assert r.code == 0, r.err
    assert "start_survey (survey.planned -> survey.in_progress)" in r.json()["warning"]
    assert docflow("status", "--json", cwd=ws).json()["state"] == "survey.in_progress"
