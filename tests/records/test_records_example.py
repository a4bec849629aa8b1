"""Meetings on the example project (zh-CN, at survey.confirmed): minutes with action items
issued and confirmed, the phase's minutes blocking the step out of it, bad minutes files
refused with their line and nothing recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from records_helpers import Docflow, docx_text, event_types, minutes, ok, pdf_text

TODAY = "2026-12-10"  # the example's steps were taken on the day the tests run, or before


def test_minutes_with_action_items_are_issued_and_confirmed(
    docflow: Docflow, confirmed_copy: Path
) -> None:
    ws = confirmed_copy
    ok(
        docflow,
        ws,
        "change",
        "new",
        "--title",
        "自助机",
        "--reason",
        "排队",
        "--adds",
        "自助机挂号",
        "--description",
        "门诊大厅自助机完成挂号与缴费",
    )
    path = minutes(
        ws / "mm.yaml",
        title="需求变更评审会",
        date="2026-12-09",
        participants={"client": [{"name": "王晓东", "role": "副院长"}], "vendor": ["刘洋"]},
        topics=["自助机挂号"],
        decisions=[{"text": "同意增加自助机挂号。", "change": "CR-1"}],
        action_items=[
            {"task": "评估自助机接口", "party": "vendor", "owner": "刘洋", "due": "2026-12-16"},
            {"task": "确定自助机数量", "party": "client", "owner": "李明华", "due": "2026-12-14"},
        ],
    )
    view = ok(docflow, ws, "meeting", "new", "--file", str(path), today=TODAY)
    assert (view["id"], view["version"], view["phase"], view["status"]) == (
        "MM-1",
        1,
        "survey",
        "issued",
    )
    assert [a["id"] for a in view["action_items"]] == ["MM-1#1", "MM-1#2"]
    assert view["confirmation"]["state"] == "awaiting"
    assert view["confirmation"]["deadline"] == "2026-12-15"  # Thursday + 3 working days
    assert view["awaiting"] == ["client"]
    assert event_types(docflow, ws)[-1] == "meeting.recorded"
    for text in (pdf_text(ws / "documents/MM-1-v1.pdf"), docx_text(ws / "documents/MM-1-v1.docx")):
        for words in ("需求变更评审会", "王晓东（副院长）", "MM-1#2", "确定自助机数量", "CR-1"):
            assert words in text
        assert "3个工作日内书面提出" in text and "视为甲方确认" in text
    # The step out of the survey phase waits for the minutes of the phase.
    blocked = docflow(
        "-C",
        str(ws),
        "advance",
        "plan_deployment",
        "--dry-run",
        "--json",
        env={"DOCFLOW_TODAY": TODAY},
    )
    assert blocked.code == 3
    [blocker] = [b for b in blocked.json()["blockers"] if b["guard"] == "confirmed_in_phase"]
    assert blocker["document"] == "MM-1"
    assert "MM-1" in blocker["message"] and "需求变更评审会" in blocker["message"]
    assert "2026-12-15" in blocker["message"]
    signed = ok(docflow, ws, "sign", "MM-1", "--party", "client", "--signer", "王晓东", today=TODAY)
    assert signed["status"] == "signed"
    listed = ok(docflow, ws, "meeting", "list", today=TODAY)
    assert [m["confirmation"]["state"] for m in listed] == ["confirmed"]
    status = ok(docflow, ws, "status", today=TODAY)
    assert status["records"]["actions"]["open"] == 2
    assert status["records"]["actions"]["overdue"] == {"client": 0, "vendor": 0}
    ready = ok(docflow, ws, "advance", "plan_deployment", "--dry-run", today=TODAY)
    assert ready["to"] == "deployment.planned"
    overdue = ok(docflow, ws, "actions", "--overdue", today="2026-12-17")
    assert [(a["id"], a["days_overdue"]) for a in overdue] == [("MM-1#1", 1), ("MM-1#2", 3)]
    status = ok(docflow, ws, "status", today="2026-12-17")
    assert status["records"]["actions"]["overdue"] == {"client": 1, "vendor": 1}


def _case(name: str, fields: dict[str, object], needle: str, words: str) -> object:
    """A bad minutes file: what it says, the text on the line the error names, the words."""
    return pytest.param(fields, needle, words, id=name)


def _item(party: str, due: str) -> dict[str, str]:
    return {"task": "x", "party": party, "owner": "a", "due": due}


BAD = [
    _case("unknown-field", {"venue": "x"}, "venue:", "unknown field 'venue'"),
    _case("no-client", {"participants": {"client": [], "vendor": ["b"]}}, "client: []", "client"),
    _case("bad-date", {"date": "2026-13-40"}, "date:", "not a date"),
    _case(
        "bad-party", {"action_items": [_item("us", "2026-12-20")]}, "party: us", "client, vendor"
    ),
    _case(
        "due-before-meeting",
        {"action_items": [_item("vendor", "2026-12-01")]},
        "due:",
        "before the meeting",
    ),
    _case("unknown-change", {"decisions": [{"text": "x", "change": "CR-9"}]}, "CR-9", "CR-9"),
    _case(
        "change-without-request",
        {"decisions": [{"text": "x", "changes_requirements": True}]},
        "changes_requirements",
        "names the change request",
    ),
    _case("closes-unknown-meeting", {"closes": ["MM-7#1"]}, "MM-7#1", "no meeting MM-7"),
    _case("closes-malformed", {"closes": ["MM-1"]}, "- MM-1", "closes[0]"),
    _case("meeting-after-minutes", {"date": "2026-12-20"}, "date:", "after the minutes' date"),
    _case("not-a-mapping", {}, "", "must be a YAML mapping"),
]


@pytest.mark.parametrize(("fields", "needle", "words"), BAD)
def test_bad_minutes_are_refused_with_their_line(
    docflow: Docflow,
    confirmed_copy: Path,
    tree_snapshot: object,
    fields: dict[str, object],
    needle: str,
    words: str,
) -> None:
    ws = confirmed_copy
    path = ws.parent / "bad.yaml"
    if fields:
        minutes(path, **{"date": "2026-12-09", **fields})
    else:
        path.write_text("- just\n- a list\n", "utf-8")
    lines = path.read_text("utf-8").splitlines()
    line = next((n for n, text in enumerate(lines, start=1) if needle and needle in text), 1)
    before = tree_snapshot(ws)  # type: ignore[operator]
    result = docflow(
        "-C", str(ws), "meeting", "new", "--file", str(path), "--json", env={"DOCFLOW_TODAY": TODAY}
    )
    assert result.code == 4, result.err
    assert f"bad.yaml:{line}:" in result.err
    # The JSON words the problems as it always has (stderr speaks the example's zh-CN).
    assert words in json.dumps(result.json(), ensure_ascii=False)
    assert result.json()["error"] == "invalid"
    assert tree_snapshot(ws) == before  # type: ignore[operator]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(f"{locale}/{file}", id=f"{locale}-{file}")
        for locale in ("zh-CN", "en")
        for file in ("minutes-1.yaml", "minutes-2.yaml", "satisfaction.yaml")
    ],
)
def test_the_example_record_files_parse(name: str) -> None:
    from docflow import api
    from docflow.resources import data_path

    path = data_path("workflows") / "examples" / "records" / name
    read = api.read_scores_file if "satisfaction" in name else api.read_minutes_file
    assert read(path).spec is not None


# The example's story (workflows/examples/implementation.demo.yaml): the day each document is
# issued on, whatever day the demo runs.
STORY = {
    "SP-1": "2026-03-20",
    "MM-1": "2026-04-07",
    "RM-1": "2026-04-28",
    "DP-1": "2026-07-20",
    "MM-2": "2026-09-18",
    "PR-1": "2026-09-18",
    "AC-1": "2026-09-21",
    "CS-1": "2026-09-21",
    "CN-1": "2026-10-09",
    "MA-1": "2026-10-12",
}


@pytest.mark.parametrize("today", ["2026-03-02", "2031-06-30"], ids=["before", "after"])
def test_the_demo_tells_its_story_on_its_days(docflow: Docflow, tmp_path: Path, today: str) -> None:
    """Each document is issued on its step's day of the story, each signature made on or after
    it, the meetings held on their days, the report covering the story up to its day; two
    meetings, a report and a survey are recorded."""
    ws = tmp_path / "demo"
    result = docflow("demo", str(ws), "--locale", "en", env={"DOCFLOW_TODAY": today})
    assert result.code == 0, result.err
    docs = {d["id"]: d for d in ok(docflow, ws, "docs", today=today)}
    assert {doc: d["issued_on"] for doc, d in docs.items()} == STORY
    for doc in docs.values():
        assert all(s["signed_on"] >= doc["issued_on"] for s in doc["signatures"]), doc["id"]
    meetings = ok(docflow, ws, "meeting", "list", today=today)
    assert [(m["id"], m["date"]) for m in meetings] == [
        ("MM-1", "2026-04-07"),
        ("MM-2", "2026-09-18"),
    ]
    assert "28April2026" in pdf_text(ws / docs["RM-1"]["files"]["pdf"])
    status = ok(docflow, ws, "status", today=today)
    assert status["records"]["satisfaction"]["responses"] == 1
    assert docflow("verify", cwd=ws).code == 0
    # MM-1 went unanswered: it is deemed confirmed once, on its deadline, recorded (observed)
    # by the first write after it; MM-2 is confirmed by the client or deemed, once.
    log = ok(docflow, ws, "log", today=today)
    deemed = [e for e in log if e["type"] == "document.deemed_confirmed"]
    assert [e["data"]["document"] for e in deemed][:1] == ["MM-1"]
    assert len(deemed) == len({e["data"]["document"] for e in deemed})
    assert all(len(docs[mm]["signatures"]) == 1 for mm in ("MM-1", "MM-2"))
    for event in deemed:
        (sig,) = docs[event["data"]["document"]]["signatures"]
        assert (sig["method"], sig["signed_on"]) == ("deemed", event["data"]["deadline"])
        assert event["data"]["observed_on"] >= event["data"]["deadline"]
    # The completion notice reports the survey's result.
    notice = pdf_text(ws / docs["CN-1"]["files"]["pdf"])
    assert "Clientsatisfaction" in notice and "(CS-1)" in notice
