"""The records through the library API (docflow.api), on a skeleton project in zh-CN: a
meeting from a minutes file and from code, an objection and revised minutes, action items,
a report, refused input as exceptions with their exit code; the minutes' PDF and DOCX say
the same in both locales."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from records_helpers import docx_text, minutes, parity_problems, pdf_text, records_workflow

from docflow import api
from docflow.errors import Conflict, DocflowError, SpecError

D = dt.date


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> api.Project:
    monkeypatch.setenv("DOCFLOW_TODAY", "2026-04-03")
    spec = records_workflow(tmp_path)
    api.init(tmp_path / "ws", workflow=str(spec), locale="zh-CN", actor="tester")
    return api.Project.open(tmp_path / "ws", actor="tester")


def _items() -> list[dict[str, str]]:
    return [
        {"task": "提交测试方案", "party": "vendor", "owner": "刘洋", "due": "2026-04-07"},
        {"task": "确定关键用户", "party": "client", "owner": "李明华", "due": "2026-04-10"},
    ]


def test_meetings_objections_actions_and_reports_through_the_api(
    project: api.Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    path = minutes(
        tmp_path / "mm.yaml", title="项目启动会", date="2026-04-03", action_items=_items()
    )
    view = project.record_meeting(api.read_minutes_file(path), date=D(2026, 4, 3))
    assert (view.id, view.version, view.phase) == ("MM-1", 1, "work")
    assert view.confirmation is not None
    assert (view.confirmation.state, view.confirmation.deadline) == ("awaiting", "2026-04-08")
    assert [a.id for a in view.action_items] == ["MM-1#1", "MM-1#2"]
    pdf, docx = ws / "documents/MM-1-v1.pdf", ws / "documents/MM-1-v1.docx"
    for text in (pdf_text(pdf), docx_text(docx)):
        assert "项目启动会" in text and "2个工作日内书面提出" in text and "提交测试方案" in text
    assert parity_problems(pdf, docx) == []

    monkeypatch.setenv("DOCFLOW_TODAY", "2026-04-07")
    objected = project.object("MM-1", "client", "第2项的责任人不对")
    assert objected.confirmation is not None and objected.confirmation.state == "objected"
    with pytest.raises(Conflict) as again:
        project.object("MM-1", "client", "再次")
    assert again.value.exit_code == 5
    fixed = minutes(
        tmp_path / "fixed.yaml", title="项目启动会", date="2026-04-03", action_items=_items()[:1]
    )
    revised = project.revise_meeting("MM-1", api.read_minutes_file(fixed))
    assert revised.version == 2 and [a.id for a in revised.action_items] == ["MM-1#1"]
    assert [m.version for m in project.meetings()] == [2]

    monkeypatch.setenv("DOCFLOW_TODAY", "2026-04-08")
    assert [(a.id, a.days_overdue) for a in project.actions(overdue=True)] == [("MM-1#1", 1)]
    given = api.MinutesSpec.model_validate(
        {
            "title": "周例会",
            "date": "2026-04-08",
            "participants": {"client": ["李明华"], "vendor": ["刘洋"]},
            "topics": ["进度"],
            "closes": ["MM-1#1"],
        }
    )
    second = project.record_meeting(given)
    assert second.id == "MM-2" and second.closes == ("MM-1#1",)
    assert project.actions(overdue=True) == ()
    assert [a.status for a in project.actions()] == ["done"]

    monkeypatch.setenv("DOCFLOW_TODAY", "2026-04-13")
    report = project.report(week="2026-W15")
    # Week 15: MM-1 v2 (7 April) and MM-2 (8 April) issued; the meeting of 3 April was in
    # week 14, the one of 8 April in week 15.
    assert (report.id, report.counts["meetings"], report.counts["issued"]) == ("PR-1", 1, 2)
    text = pdf_text(ws / str(report.document.files["pdf"]))
    assert "周例会" in text and "MM-1#1" in text


def test_refused_input_raises_with_its_exit_code_and_records_nothing(
    project: api.Project, tmp_path: Path
) -> None:
    bad = minutes(
        tmp_path / "bad.yaml",
        action_items=[{"task": "x", "party": "us", "owner": "a", "due": "2026-04-20"}],
    )
    with pytest.raises(SpecError) as caught:
        api.read_minutes_file(bad)
    assert caught.value.exit_code == 4
    [problem] = caught.value.problems
    assert problem.line is not None and "client, vendor" in problem.message
    late = minutes(tmp_path / "late.yaml", date="2026-04-20")
    with pytest.raises(SpecError, match="after the minutes' date"):
        project.record_meeting(api.read_minutes_file(late), date=D(2026, 4, 3))
    with pytest.raises(DocflowError) as no_doc:
        project.object("MM-1", "client", "x")
    assert no_doc.value.exit_code == 4
    assert project.meetings() == ()
    assert not (tmp_path / "ws" / "documents").exists() or not any(
        (tmp_path / "ws" / "documents").iterdir()
    )


def test_minutes_in_english_say_the_same_in_pdf_and_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCFLOW_TODAY", "2026-04-03")
    spec = records_workflow(tmp_path)
    api.init(tmp_path / "ws", workflow=str(spec), locale="en", actor="tester")
    project = api.Project.open(tmp_path / "ws", actor="tester")
    path = minutes(
        tmp_path / "mm.yaml",
        date="2026-04-03",
        action_items=[
            {"task": "Send the plan", "party": "vendor", "owner": "Vic", "due": "2026-04-07"}
        ],
    )
    view = project.record_meeting(api.read_minutes_file(path))
    files = view.document.files
    pdf, docx = tmp_path / "ws" / str(files["pdf"]), tmp_path / "ws" / str(files["docx"])
    for text in (pdf_text(pdf), docx_text(docx)):
        assert "Weeklymeeting" in text and "Sendtheplan" in text and "within2workingdays" in text
    assert parity_problems(pdf, docx) == []
