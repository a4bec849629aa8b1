"""Objecting to minutes in the portal, on a project started from the skeleton: for a document
the client confirms by not objecting, the portal's decline is an objection (it stops the
deemed-confirmation clock, and the minutes are revised), refused once the deadline passed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from portal_helpers import SEAL_PASSWORD, csrf_of, token_of

import pki_support
from docflow import api

# Thursday 9 April 2026; three working days for the built-in minutes: Fri, Mon, Tue.
ISSUED, DEADLINE, AFTER = "2026-04-09", "2026-04-14", "2026-04-15"

MINUTES = """\
title: 需求调研启动会
date: 2026-04-09
place: 会议室1
participants:
  client: [{name: 王晓东, role: 信息中心主任}]
  vendor: [陈志远]
topics: [调研计划]
decisions: [{text: 按计划推进}]
action_items: []
"""


@pytest.fixture
def minutes_ws(
    tmp_path: Path, docflow: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A skeleton workspace (zh-CN, built-in workflow) with MM-1 issued on ISSUED."""
    monkeypatch.setenv("DOCFLOW_TODAY", ISSUED)
    ws = tmp_path / "ws"
    day = {"DOCFLOW_TODAY": ISSUED}
    assert docflow("init", str(ws), env=day).code == 0
    (tmp_path / "mm.yaml").write_text(MINUTES, "utf-8")
    made = docflow("-C", str(ws), "meeting", "new", "--file", str(tmp_path / "mm.yaml"), env=day)
    assert made.code == 0, made.err
    return ws


@pytest.fixture
def web(minutes_ws: Path, seal_pki: pki_support.Pki) -> Iterator[Any]:
    """A TestClient over a portal on the workspace's store."""
    from starlette.testclient import TestClient

    from docflow.web.app import ServeConfig, create_app

    url = f"sqlite:///{(minutes_ws / '.docflow' / 'docflow.db').resolve()}"
    portal = api.Portal.open(url, seal_p12=seal_pki.vendor_p12, password=SEAL_PASSWORD)
    config = ServeConfig(store_url=url, base_url="http://testserver")
    with TestClient(create_app(config, portal)) as client:
        yield client
    portal.close()


def _confirmation(ws: Path) -> Any:
    (meeting,) = api.Project.open(ws).meetings()
    return meeting.to_dict()["confirmation"]


def _types(ws: Path) -> list[str]:
    return [e.type for e in api.Project.open(ws).log()]


def test_objecting_in_the_portal_stops_the_clock_and_the_minutes_are_revised(
    web: Any, minutes_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = token_of(api.Project.open(minutes_ws, actor="pm").share("MM-1", "client"))
    monkeypatch.setenv("DOCFLOW_TODAY", DEADLINE)  # the last day is still in time
    page = web.get(f"/s/{token}").text
    assert "提出异议" in page and DEADLINE in page and "拒绝签署" not in page
    answer = web.post(
        f"/s/{token}/decline",
        data={"csrf": csrf_of(page), "signer": "王晓东", "reason": "第2项决定与会上所议不符"},
    )
    assert answer.status_code == 200 and "已提出异议" in answer.text
    state = _confirmation(minutes_ws)
    assert (state["state"], state["objection"]) == ("objected", "第2项决定与会上所议不符")
    events = api.Project.open(minutes_ws).log()
    assert [e.type for e in events[-2:]] == ["signature.declined", "document.objected"]
    objected = events[-1].data
    assert (objected["document"], objected["version"], objected["party"]) == ("MM-1", 1, "client")
    assert objected["on"] == DEADLINE and objected["link"] == events[-2].data["link"]
    # After the deadline the minutes are still objected, never deemed confirmed.
    monkeypatch.setenv("DOCFLOW_TODAY", AFTER)
    assert _confirmation(minutes_ws)["state"] == "objected"
    assert "document.deemed_confirmed" not in _types(minutes_ws)
    # The PM answers with revised minutes, which start a new clock.
    project = api.Project.open(minutes_ws, actor="pm")
    revised = project.revise_meeting(
        "MM-1",
        api.read_minutes_file(_minutes_file(minutes_ws)),
        reason="按客户意见修订第2项",
    )
    assert revised.to_dict()["version"] == 2
    assert _confirmation(minutes_ws)["state"] == "awaiting"
    assert api.Project.open(minutes_ws).verify().ok


def _minutes_file(ws: Path) -> Path:
    path = ws.parent / "mm-v2.yaml"
    path.write_text(MINUTES.replace("按计划推进", "调研范围增加仓储模块"), "utf-8")
    return path


def test_after_the_deadline_the_portal_offers_no_objection_and_refuses_one(
    web: Any, minutes_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = token_of(api.Project.open(minutes_ws, actor="pm").share("MM-1", "client"))
    monkeypatch.setenv("DOCFLOW_TODAY", AFTER)
    page = web.get(f"/s/{token}").text
    assert "视为确认" in page and 'action="/s/' + token + '/decline"' not in page
    before = _types(minutes_ws)
    answer = web.post(
        f"/s/{token}/decline",
        data={"csrf": csrf_of(page), "signer": "王晓东", "reason": "迟到的异议"},
    )
    assert answer.status_code == 409 and "已逾期" in answer.text
    assert _types(minutes_ws) == before
    assert _confirmation(minutes_ws)["state"] == "deemed"
    assert api.Project.open(minutes_ws).links()[0].state == "open"


def test_a_second_objection_is_refused_and_changes_nothing(
    web: Any, minutes_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client objected through the PM already; the portal refuses a second objection
    and keeps its link open (the client may still sign)."""
    project = api.Project.open(minutes_ws, actor="pm")
    token = token_of(project.share("MM-1", "client"))
    monkeypatch.setenv("DOCFLOW_TODAY", "2026-04-10")
    project.object("MM-1", "client", "电话中提出：第2项不符")
    page = web.get(f"/s/{token}").text
    before = _types(minutes_ws)
    answer = web.post(
        f"/s/{token}/decline",
        data={"csrf": csrf_of(page), "signer": "王晓东", "reason": "再次提出"},
    )
    assert answer.status_code == 409 and "甲方已对 MM-1 v1 提出过异议" in answer.text
    assert _types(minutes_ws) == before
    assert api.Project.open(minutes_ws).links()[0].state == "open"
