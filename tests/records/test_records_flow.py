"""Records on a project started from the skeleton (a small workflow with every record
feature, en): deemed confirmation on the working-day calendar, objections in and after the
objection period, revised minutes, action items closed by a later meeting, and the guards
over them blocking with the named minutes or item, then passing."""

from __future__ import annotations

from pathlib import Path

import pytest
from records_helpers import (
    Docflow,
    docx_text,
    event_types,
    fails,
    minutes,
    normal,
    ok,
    pdf_text,
    records_workflow,
)


@pytest.fixture
def flow_ws(tmp_path: Path, docflow: Docflow) -> Path:
    """A skeleton workspace on the records workflow (en), created on 2026-04-01."""
    spec = records_workflow(tmp_path)
    ws = tmp_path / "ws"
    made = docflow(
        "init",
        str(ws),
        "--workflow",
        str(spec),
        "--locale",
        "en",
        env={"DOCFLOW_TODAY": "2026-04-01"},
    )
    assert made.code == 0, made.err
    return ws


def _meeting(docflow: Docflow, ws: Path, day: str, **fields: object) -> dict[str, object]:
    path = minutes(ws.parent / f"mm-{day}.yaml", date=day, **fields)
    return ok(docflow, ws, "meeting", "new", "--file", str(path), today=day)  # type: ignore[no-any-return]


def _confirmation(docflow: Docflow, ws: Path, day: str) -> dict[str, object]:
    [meeting] = ok(docflow, ws, "meeting", "list", today=day)
    return meeting["confirmation"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("issued", "deadline", "day_before"),
    [
        # Friday; Monday 6 April is a holiday in the workflow's calendar: Tue, Wed.
        pytest.param("2026-04-03", "2026-04-08", "2026-04-07", id="weekend-and-holiday"),
        # Thursday; Saturday 11 April is a worked day: Fri, Sat.
        pytest.param("2026-04-09", "2026-04-11", "2026-04-10", id="worked-saturday"),
        # Friday 10 April: Sat (worked), Mon.
        pytest.param("2026-04-10", "2026-04-13", "2026-04-11", id="over-a-sunday"),
    ],
)
def test_minutes_are_deemed_confirmed_after_n_working_days_not_a_day_earlier(
    docflow: Docflow, flow_ws: Path, issued: str, deadline: str, day_before: str
) -> None:
    ws = flow_ws
    view = _meeting(docflow, ws, issued)
    assert view["confirmation"]["state"] == "awaiting"  # type: ignore[index]
    assert view["confirmation"]["deadline"] == deadline  # type: ignore[index]
    for day in (day_before, deadline):
        assert _confirmation(docflow, ws, day)["state"] == "awaiting"
        [doc] = ok(docflow, ws, "status", today=day)["documents"]
        assert doc["awaiting"] == ["client"]
    after = _next_day(deadline)
    state = _confirmation(docflow, ws, after)
    assert (state["state"], state["deemed_on"], state["recorded"]) == ("deemed", deadline, False)
    status = ok(docflow, ws, "status", today=after)
    assert status["documents"][0]["awaiting"] == []
    assert [c["state"] for c in status["records"]["confirmations"]] == ["deemed"]
    human = docflow("-C", str(ws), "status", env={"DOCFLOW_TODAY": after})
    assert f"deemed confirmed on {deadline}" in human.out
    # A read records nothing; the first write records it, once.
    assert "document.deemed_confirmed" not in event_types(docflow, ws)
    ok(docflow, ws, "advance", "finish", today=after)
    ok(docflow, ws, "report", "--from", issued, "--to", after, today=after)
    types = event_types(docflow, ws)
    assert types.count("document.deemed_confirmed") == 1
    # Recorded before the step that came after the deadline.
    assert types.index("document.deemed_confirmed") < types.index("step")
    [event] = [e for e in ok(docflow, ws, "log") if e["type"] == "document.deemed_confirmed"]
    assert event["data"]["deadline"] == deadline and event["data"]["document"] == "MM-1"
    [doc] = [d for d in ok(docflow, ws, "docs", today=after) if d["id"] == "MM-1"]
    assert doc["status"] == "signed"


def _next_day(day: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def test_objection_on_the_last_day_stops_the_clock_and_revised_minutes_start_it_again(
    docflow: Docflow, flow_ws: Path
) -> None:
    ws = flow_ws
    _meeting(docflow, ws, "2026-04-03")  # deadline Wednesday 8 April
    objected = ok(
        docflow,
        ws,
        "object",
        "MM-1",
        "--party",
        "client",
        "--reason",
        "Decision 1 is not what we agreed",
        today="2026-04-08",
    )
    assert objected["confirmation"]["state"] == "objected"
    # The objection holds after the deadline: nothing is deemed.
    state = _confirmation(docflow, ws, "2026-04-20")
    assert (state["state"], state["objection"]) == ("objected", "Decision 1 is not what we agreed")
    ok(docflow, ws, "advance", "finish", today="2026-04-08")
    blocked = docflow(
        "-C", str(ws), "advance", "request_check", "--json", env={"DOCFLOW_TODAY": "2026-04-08"}
    )
    assert blocked.code == 3, blocked.err
    [blocker] = [b for b in blocked.json()["blockers"] if b["guard"] == "confirmed_in_phase"]
    assert blocker["document"] == "MM-1"
    assert "objected" in blocker["message"] and "docflow meeting edit MM-1" in blocker["message"]
    path = minutes(
        ws.parent / "fixed.yaml",
        date="2026-04-03",
        decisions=[{"text": "Go on as planned, with weekly reports."}],
    )
    revised = ok(docflow, ws, "meeting", "edit", "MM-1", "--file", str(path), today="2026-04-09")
    assert (revised["version"], revised["confirmation"]["state"]) == (2, "awaiting")
    assert revised["confirmation"]["deadline"] == "2026-04-11"  # Fri, worked Saturday
    assert (ws / "documents" / "MM-1-v2.pdf").is_file()
    ok(
        docflow,
        ws,
        "sign",
        "MM-1",
        "--party",
        "client",
        "--signer",
        "Ann Client",
        today="2026-04-10",
    )
    assert _confirmation(docflow, ws, "2026-04-10")["state"] == "confirmed"
    passed = ok(docflow, ws, "advance", "request_check", "--dry-run", today="2026-04-10")
    assert passed["to"] == "check.requested"
    assert event_types(docflow, ws).count("document.deemed_confirmed") == 0


@pytest.mark.parametrize(
    ("today", "dated"),
    [
        pytest.param("2026-04-09", None, id="day-after-deadline"),
        pytest.param("2026-04-09", "2026-04-08", id="backdated-into-the-period"),
        pytest.param("2026-04-20", "2026-04-07", id="long-after-backdated"),
    ],
)
def test_objection_after_the_deadline_is_refused_and_changes_nothing(
    docflow: Docflow, flow_ws: Path, tree_snapshot: object, today: str, dated: str | None
) -> None:
    ws = flow_ws
    _meeting(docflow, ws, "2026-04-03")
    before = tree_snapshot(ws)  # type: ignore[operator]
    args = ["object", "MM-1", "--party", "client", "--reason", "late"]
    args += ["--date", dated] if dated else []
    result = fails(docflow, ws, *args, today=today)
    assert result.code == 5, result.err
    assert "counts as confirmed by the client since 2026-04-08" in result.err
    assert "too late" in result.err and "Traceback" not in result.err
    assert tree_snapshot(ws) == before  # type: ignore[operator]


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        pytest.param(
            ["MM-9", "--party", "client", "--reason", "x"],
            4,
            "no document MM-9",
            id="unknown-document",
        ),
        pytest.param(
            ["MM-1", "--party", "vendor", "--reason", "x"],
            5,
            "not for the vendor to sign",
            id="party-not-a-signer",
        ),
        pytest.param(
            ["MM-1", "--party", "client", "--reason", "  "], 4, "needs a reason", id="blank-reason"
        ),
        pytest.param(
            ["MM-1", "--party", "client", "--reason", "x" * 2001],
            4,
            "over 2000 characters",
            id="reason-too-long",
        ),
        pytest.param(
            ["MM-1", "--party", "client", "--reason", "x", "--date", "2026-04-02"],
            4,
            "before MM-1 v1 was issued",
            id="before-issue",
        ),
        pytest.param(
            ["MM-1", "--party", "client", "--reason", "x", "--date", "2026-04-09"],
            4,
            "in the future",
            id="in-the-future",
        ),
        pytest.param(
            ["MM-1", "--party", "client", "--reason", "x", "--date", "8.4.2026"],
            2,
            "--date",
            id="bad-date",
        ),
        pytest.param(["MM-1", "--party", "boss", "--reason", "x"], 2, "--party", id="bad-party"),
    ],
)
def test_bad_objections_are_refused_and_change_nothing(
    docflow: Docflow, flow_ws: Path, tree_snapshot: object, args: list[str], code: int, words: str
) -> None:
    ws = flow_ws
    _meeting(docflow, ws, "2026-04-03")
    before = tree_snapshot(ws)  # type: ignore[operator]
    result = fails(docflow, ws, "object", *args, today="2026-04-06")
    assert result.code == code, result.err
    assert words in result.err and "Traceback" not in result.err
    assert tree_snapshot(ws) == before  # type: ignore[operator]


def test_action_items_open_overdue_and_closed_by_a_later_meeting(
    docflow: Docflow, flow_ws: Path
) -> None:
    ws = flow_ws
    items = [
        {
            "task": "Send the test plan",
            "party": "vendor",
            "owner": "Vic Vendor",
            "due": "2026-04-07",
        },
        {
            "task": "Name the key users",
            "party": "client",
            "owner": "Ann Client",
            "due": "2026-04-10",
        },
    ]
    _meeting(docflow, ws, "2026-04-03", action_items=items)
    listed = ok(docflow, ws, "actions", today="2026-04-07")
    assert [(a["id"], a["status"]) for a in listed] == [("MM-1#1", "open"), ("MM-1#2", "open")]
    overdue = ok(docflow, ws, "actions", "--overdue", today="2026-04-08")
    assert [(a["id"], a["party"], a["days_overdue"]) for a in overdue] == [("MM-1#1", "vendor", 1)]
    status = ok(docflow, ws, "status", today="2026-04-08")
    assert status["records"]["actions"]["overdue"] == {"client": 0, "vendor": 1}
    ok(docflow, ws, "advance", "finish", today="2026-04-08")
    blocked = docflow(
        "-C", str(ws), "advance", "request_check", "--json", env={"DOCFLOW_TODAY": "2026-04-09"}
    )
    assert blocked.code == 3
    guards = {b["guard"]: b for b in blocked.json()["blockers"]}
    assert set(guards) == {"no_overdue_actions"}  # MM-1 is deemed confirmed by now
    assert "MM-1#1" in guards["no_overdue_actions"]["message"]
    assert "Send the test plan" in guards["no_overdue_actions"]["message"]
    # The client's overdue item does not block: the guard is about the vendor's promises.
    _meeting(docflow, ws, "2026-04-13", closes=["MM-1#1"])
    after = {a["id"]: a for a in ok(docflow, ws, "actions", today="2026-04-13")}
    assert (after["MM-1#1"]["status"], after["MM-1#1"]["closed_by"]) == ("done", "MM-2")
    assert after["MM-1#2"]["status"] == "overdue"
    still = docflow(
        "-C", str(ws), "advance", "request_check", "--json", env={"DOCFLOW_TODAY": "2026-04-13"}
    )
    assert still.code == 3  # MM-2 awaits the client
    assert [b["document"] for b in still.json()["blockers"]] == ["MM-2"]
    ok(
        docflow,
        ws,
        "sign",
        "MM-2",
        "--party",
        "client",
        "--signer",
        "Ann Client",
        today="2026-04-13",
    )
    done = ok(docflow, ws, "advance", "request_check", today="2026-04-13")
    assert done["to"] == "check.requested"
    # As of an earlier day, the later meeting had not closed the item yet.
    then = ok(docflow, ws, "actions", "--overdue", "--date", "2026-04-08", today="2026-04-13")
    assert [(a["id"], a["days_overdue"]) for a in then] == [("MM-1#1", 1)]


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        pytest.param(
            ["meeting", "edit", "MM-9", "--file", "{mm}"], 4, "no document MM-9", id="edit-unknown"
        ),
        pytest.param(
            ["meeting", "edit", "PR-1", "--file", "{mm}"],
            4,
            "not the minutes of a recorded meeting",
            id="edit-a-report",
        ),
        pytest.param(
            ["meeting", "edit", "MM-1", "--file", "{missing}"],
            4,
            "cannot read the minutes file",
            id="edit-missing-file",
        ),
        pytest.param(
            ["meeting", "edit", "MM-2", "--file", "{mm}"],
            5,
            "MM-2 v1 is signed; it cannot be revised",
            id="edit-confirmed",
        ),
        pytest.param(
            ["meeting", "new", "--file", "{folder}"], 4, "minutes file", id="new-a-directory"
        ),
        pytest.param(["meeting", "new"], 2, "--file", id="new-without-file"),
        pytest.param(["actions", "--date", "2026-02-30"], 2, "--date", id="actions-bad-date"),
        pytest.param(
            ["meeting", "new", "--file", "{mm}"],
            5,
            "recorded already as MM-1; to correct its minutes: docflow meeting edit MM-1",
            id="same-meeting-twice",
        ),
        pytest.param(
            ["satisfaction", "record", "--file", "{mm}"],
            4,
            "missing required field 'respondent'",
            id="minutes-given-as-answers",
        ),
    ],
)
def test_bad_record_commands_are_refused_and_change_nothing(
    docflow: Docflow, flow_ws: Path, tree_snapshot: object, args: list[str], code: int, words: str
) -> None:
    ws = flow_ws
    _meeting(docflow, ws, "2026-04-03")
    _meeting(docflow, ws, "2026-04-06")
    ok(docflow, ws, "sign", "MM-2", "--party", "client", "--signer", "Ann", today="2026-04-06")
    ok(docflow, ws, "report", "--week", "2026-W14", today="2026-04-06")
    places = {
        "mm": str(ws.parent / "mm-2026-04-03.yaml"),
        "missing": str(ws.parent / "no.yaml"),
        "folder": str(ws.parent),
    }
    before = tree_snapshot(ws)  # type: ignore[operator]
    result = fails(docflow, ws, *[a.format(**places) for a in args], today="2026-04-06")
    assert result.code == code, result.err
    assert words in result.err and "Traceback" not in result.err
    assert tree_snapshot(ws) == before  # type: ignore[operator]


def test_hostile_text_in_minutes_is_printed_as_written(docflow: Docflow, flow_ws: Path) -> None:
    ws = flow_ws
    title = "<b>{{ 7*7 }}</b> {% if 1 %}x{% endif %}"
    view = _meeting(docflow, ws, "2026-04-03", title=title, topics=["<script>alert(1)</script>"])
    files = view["document"]["files"]  # type: ignore[index]
    for text in (pdf_text(ws / files["pdf"]), docx_text(ws / files["docx"])):
        assert normal("<b>{{ 7*7 }}</b> {% if 1 %}x{% endif %}") in text
        assert normal("<script>alert(1)</script>") in text
