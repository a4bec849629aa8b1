"""Small traps a PM falls into, through the docflow command: the project code at init, ids and
parties as people type them, "did you mean", what guards require, the change-ratio alarm,
signing dates before the issue date."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pm_projects import LOCALES

from docflow.errors import UsageError
from docflow.spec.names import change_id, doc_id, party

Docflow = Callable[..., Any]


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        pytest.param("sp-1", "SP-1", id="lower"),
        pytest.param("SP1", "SP-1", id="no-dash"),
        pytest.param("sp 01", "SP-1", id="space-zero"),
        pytest.param("crf-2", "CRF-2", id="long-code"),
        pytest.param("not an id", "not an id", id="other"),
    ],
)
def test_document_ids_as_typed(typed: str, canonical: str) -> None:
    assert doc_id(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        pytest.param("client", "client", id="client"),
        pytest.param("Client", "client", id="capital"),
        pytest.param("甲方", "client", id="jiafang"),
        pytest.param("Party A", "client", id="party-a"),
        pytest.param("乙方", "vendor", id="yifang"),
        pytest.param("VENDOR", "vendor", id="upper"),
    ],
)
def test_parties_as_typed(typed: str, canonical: str) -> None:
    assert party(typed) == canonical


def test_an_unknown_party_names_the_accepted_words() -> None:
    with pytest.raises(UsageError, match="甲方"):
        party("the boss")
    assert change_id("cr3") == "CR-3" and change_id("7") == "CR-7"


@pytest.mark.parametrize("locale", LOCALES)
def test_init_derives_the_code_in_upper_case(tmp_path: Path, docflow: Docflow, locale: str) -> None:
    r = docflow("init", str(tmp_path / "warehouse-2027"), "--locale", locale)
    assert r.code == 0, r.err
    assert "WAREHOUSE-2027" in r.out
    assert 'code: "WAREHOUSE-2027"' in (tmp_path / "warehouse-2027" / "project.yaml").read_text()
    r = docflow("init", str(tmp_path / "b"), "--code", "wh-27", "--name", "Warehouse", "--json")
    assert r.json()["project"] == "WH-27" and r.json()["name"] == "Warehouse"


@pytest.mark.parametrize("locale", LOCALES)
def test_ids_and_parties_as_typed_through_the_command(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.planned")
    r = docflow("sign", "sp-1", "--party", "甲方", "--signer", "X", "--json", cwd=ws)
    assert r.code == 0, r.err
    docs = {d["id"]: d for d in docflow("docs", "--json", cwd=ws).json()}
    assert docs["SP-1"]["status"] == "signed"
    bad = docflow("sign", "SP-1", "--party", "boss", "--signer", "X", cwd=ws)
    assert bad.code == 2 and "甲方" in bad.err


@pytest.mark.parametrize("locale", LOCALES)
def test_a_signing_date_before_the_issue_date_is_refused(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.planned")
    before = docflow("log", "--json", cwd=ws).json()
    r = docflow(
        "sign", "SP-1", "--party", "client", "--signer", "X", "--date", "2026-05-03", cwd=ws
    )
    assert r.code == 4 and "before SP-1" in r.err and "2026-05-04" in r.err
    assert docflow("log", "--json", cwd=ws).json() == before


def test_did_you_mean(skeleton_at: Callable[[str, str], Path], docflow: Docflow) -> None:
    r = docflow("stauts")
    assert r.code == 2 and "did you mean 'status'" in r.err
    r = docflow("change", "aprove", "CR-1")
    assert r.code == 2 and "approve" in r.err
    ws = skeleton_at("en", "survey.planned")
    r = docflow("advance", "start_survy", cwd=ws)
    assert r.code == 2 and "did you mean 'start_survey'" in r.err


@pytest.mark.parametrize(
    ("locale", "needle"),
    [
        pytest.param("zh-CN", "已填写：contract.number", id="zh"),
        pytest.param("en", "filled in: contract.number", id="en"),
    ],
)
def test_workflow_show_names_what_guards_require(
    tmp_path: Path, docflow: Docflow, locale: str, needle: str
) -> None:
    ws = tmp_path / "ws"
    assert docflow("init", str(ws), "--locale", locale).code == 0
    r = docflow("workflow", "show", "implementation", cwd=ws)
    assert r.code == 0, r.err
    assert needle in r.out and "* contract.drafting" in r.out
    signed = "RM 已由甲方、乙方签署" if locale == "zh-CN" else "RM signed by the client and"
    assert signed in r.out


@pytest.mark.parametrize("locale", LOCALES)
def test_the_change_ratio_alarm_is_a_sentence(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.confirmed")
    r = docflow("change", "new", "--title", "t", "--reason", "r", "--removes", "R-1,R-2", cwd=ws)
    assert r.code == 0, r.err
    annex = docflow("change", "approve", "CR-1", "--json", cwd=ws).json()["document"]["id"]
    for side in ("client", "vendor"):
        assert docflow("sign", annex, "--party", side, "--signer", "X", cwd=ws).code == 0
    status = docflow("status", "--json", cwd=ws).json()["changes"]
    assert status["level"] == "alarm" and status["alert"]
    text = docflow("status", cwd=ws).out
    assert "ALARM" in text and ("警报线" if locale == "zh-CN" else "alarm threshold") in text
