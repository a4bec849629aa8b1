"""Change requests at the library level: ids of pending additions, approval re-checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from docflow.api import ChangeRequest, NewRequirement, Project, RequirementChange, SignRequest
from docflow.errors import Conflict, InvalidInput


def _file(ws: Path, **kw: object) -> dict[str, object]:
    request = ChangeRequest(title="t", reason="r", **kw)  # type: ignore[arg-type]
    return Project.open(ws, actor="pm").file_change(request).to_dict()


def _requirement(ws: Path, index: int) -> str:
    from docflow.runtime.session import open_session
    from docflow.runtime.workspace import Workspace

    return open_session(Workspace(ws), None, "pm").ledger.current()[index].id


def test_pending_additions_get_distinct_ids(confirmed_copy: Path) -> None:
    first = _file(confirmed_copy, adds=(NewRequirement("Kiosk", "Kiosk described"),))
    second = _file(confirmed_copy, adds=(NewRequirement("Mobile app", "Mobile app described"),))
    ids = [c["body"]["adds"][0]["id"] for c in (first, second)]  # type: ignore[index]
    assert ids[0] != ids[1]


def test_added_requirements_keep_their_stated_fields(confirmed_copy: Path) -> None:
    added = NewRequirement(
        "Kiosk", description="Self-service", type="interface", priority="must", source="director"
    )
    body = _file(confirmed_copy, adds=(added,))["body"]
    [req] = body["adds"]  # type: ignore[index]
    assert (req["title"], req["type"], req["priority"], req["source"]) == (
        "Kiosk",
        "interface",
        "must",
        "director",
    )
    assert req["description"] == "Self-service" and req["id"]


def test_approval_rechecks_against_approved_changes(confirmed_copy: Path) -> None:
    target = _requirement(confirmed_copy, 0)
    _file(confirmed_copy, removes=(target,))
    _file(confirmed_copy, modifies=(RequirementChange(target, {"priority": "could"}),))
    project = Project.open(confirmed_copy, actor="pm")
    project.approve_change("CR-1")
    with pytest.raises(InvalidInput, match="CR-2"):
        project.approve_change("CR-2")
    project.reject_change("CR-2", "superseded by CR-1")
    with pytest.raises(Conflict, match="rejected"):
        project.approve_change("CR-2")


@pytest.mark.parametrize("decision", ["reject", "withdraw"])
def test_reason_is_required_to_decide(confirmed_copy: Path, decision: str) -> None:
    _file(confirmed_copy, adds=(NewRequirement("x", "x described"),))
    project = Project.open(confirmed_copy, actor="pm")
    decide = project.reject_change if decision == "reject" else project.withdraw_change
    with pytest.raises(InvalidInput, match="a reason is required") as caught:
        decide("CR-1", " ")
    assert "--" not in caught.value.message


def test_library_errors_name_fields_not_flags(confirmed_copy: Path) -> None:
    project = Project.open(confirmed_copy, actor="pm")
    with pytest.raises(InvalidInput, match="title and a reason") as caught:
        project.file_change(ChangeRequest(title=" ", reason="r"))
    assert "--" not in caught.value.message


def test_effective_change_warns_when_project_yaml_cannot_follow(confirmed_copy: Path) -> None:
    target = _requirement(confirmed_copy, 1)
    _file(confirmed_copy, modifies=(RequirementChange(target, {"priority": "could"}),))
    project = Project.open(confirmed_copy, actor="pm")
    approved = project.approve_change("CR-1")
    assert approved.document is not None
    doc_id = approved.document.id
    # The PM deletes the requirement the change edits before the annex is signed.
    project_file = confirmed_copy / "project.yaml"
    text = project_file.read_text("utf-8")
    start = text.index(f"- id: {target}")
    end = text.index("- id:", start + 1)
    project_file.write_text(text[:start] + text[end:], "utf-8")
    project.sign(SignRequest(doc_id, "client", "A"))
    result = project.sign(SignRequest(doc_id, "vendor", "B"))
    assert result.change_effective == "CR-1"
    assert result.warning is not None and "project.yaml could not be updated" in result.warning
    assert [c.status for c in project.changes()] == ["effective"]
    drift = project.status().changes.drift
    assert any(d.id == target and d.kind == "removed" for d in drift)
