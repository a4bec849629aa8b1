"""Change requests at the library level: ids of pending additions, approval re-checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from docflow.errors import Conflict, InvalidInput
from docflow.runtime.changes import approve, build_change, decide, file_change
from docflow.runtime.session import open_session
from docflow.runtime.workspace import Workspace


def _file(ws: Path, **kw: object) -> dict[str, object]:
    session = open_session(Workspace(ws), None, "pm")
    args = {
        "file": None,
        "title": "t",
        "reason": "r",
        "adds": [],
        "modifies": [],
        "removes": [],
        "days": None,
        "cost": None,
    }
    args.update(kw)
    return file_change(session, build_change(session, **args))  # type: ignore[arg-type]


def test_pending_additions_get_distinct_ids(confirmed_copy: Path) -> None:
    first = _file(confirmed_copy, adds=["Kiosk"])
    second = _file(confirmed_copy, adds=["Mobile app"])
    ids = [c["body"]["adds"][0]["id"] for c in (first, second)]  # type: ignore[index]
    assert ids[0] != ids[1]


def test_approval_rechecks_against_approved_changes(confirmed_copy: Path) -> None:
    ws = Workspace(confirmed_copy)
    session = open_session(ws, None, "pm")
    target = session.current_requirements()[0].id
    _file(confirmed_copy, removes=[target])
    _file(confirmed_copy, modifies=[f"{target}:priority=could"])
    approve(open_session(ws, None, "pm"), "CR-1", None)
    with pytest.raises(InvalidInput, match="CR-2"):
        approve(open_session(ws, None, "pm"), "CR-2", None)
    decide(open_session(ws, None, "pm"), "CR-2", "reject", "superseded by CR-1")
    with pytest.raises(Conflict, match="rejected"):
        approve(open_session(ws, None, "pm"), "CR-2", None)


def test_reason_is_required_to_reject(confirmed_copy: Path) -> None:
    _file(confirmed_copy, adds=["x"])
    with pytest.raises(InvalidInput, match="--reason"):
        decide(open_session(Workspace(confirmed_copy), None, "pm"), "CR-1", "reject", " ")


def test_effective_change_warns_when_project_yaml_cannot_follow(confirmed_copy: Path) -> None:
    from docflow.runtime.signing import SignRequest, sign

    ws = Workspace(confirmed_copy)
    target = open_session(ws, None, "pm").current_requirements()[1].id
    _file(confirmed_copy, modifies=[f"{target}:priority=could"])
    approved = approve(open_session(ws, None, "pm"), "CR-1", None)
    doc_id = approved["document"]["id"]  # type: ignore[index]
    # The PM deletes the requirement the change edits before the annex is signed.
    text = ws.project_file.read_text("utf-8")
    start = text.index(f"- id: {target}")
    end = text.index("- id:", start + 1)
    ws.project_file.write_text(text[:start] + text[end:], "utf-8")
    sign(open_session(ws, None, "pm"), SignRequest(doc_id, "client", "A"))
    view = sign(open_session(ws, None, "pm"), SignRequest(doc_id, "vendor", "B"))
    assert view["change_effective"] == "CR-1"
    assert "project.yaml could not be updated" in view["warning"]
    session = open_session(ws, None, "pm")
    assert [c.status for c in session.changes] == ["effective"]
    assert any(d.id == target and d.kind == "removed" for d in session.drift())
