"""The example lifecycle driven through ``docflow.api`` alone (no click) gives the same
documents, byte for byte, and the same JSON as the command line, step by step."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docflow import api

pytestmark = pytest.mark.slow

DATE = "2026-05-04"
ACTOR = "tester"
# Keys that hold the moment a record was written: the two runs write at different moments.
MOMENTS = {"at", "requested_at", "decided_at"}
# An added requirement is written into the change annex: it needs a description.
KIOSK = "Patients register and pay at a kiosk in the outpatient hall"

Action = tuple[str, ...]


def _next_action(project: api.Project) -> Action | None:
    """What the lifecycle does next: sign what is awaited, file and approve one change when
    changes open, else take the main path's next step (none that ends the project)."""
    status = project.status()
    for doc in status.documents:
        if doc.awaiting:
            return ("sign", doc.id, doc.awaiting[0])
    changes = project.changes()
    if status.changes.allowed and not changes:
        return ("change", "new")
    if any(c.status == "open" for c in changes):
        return ("change", "approve", "CR-1")
    spec = project.workflow
    for step in status.transitions:
        if step.ready and not spec.states[step.dest].final:
            return ("advance", step.trigger)
    return None


def _by_api(ws: Path, action: Action) -> dict[str, Any]:
    project = api.Project.open(ws, actor=ACTOR)
    if action[0] == "sign":
        return project.sign(api.SignRequest(action[1], action[2], f"{action[2]} signer")).to_dict()
    if action[:2] == ("change", "new"):
        request = api.ChangeRequest(
            title="Self-service kiosks",
            reason="Queues at peak hours",
            adds=(api.NewRequirement("Kiosk registration", description=KIOSK),),
        )
        return project.file_change(request).to_dict()
    if action[:2] == ("change", "approve"):
        return project.approve_change(action[2]).to_dict()
    return project.advance(action[1]).to_dict()


def _cli_args(action: Action) -> list[str]:
    if action[0] == "sign":
        return ["sign", action[1], "--party", action[2], "--signer", f"{action[2]} signer"]
    if action[:2] == ("change", "new"):
        return [
            "change",
            "new",
            "--title",
            "Self-service kiosks",
            "--reason",
            "Queues at peak hours",
            "--adds",
            "Kiosk registration",
            "--description",
            KIOSK,
        ]
    return list(action)


def _without_moments(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_moments(v) for k, v in value.items() if k not in MOMENTS}
    if isinstance(value, list):
        return [_without_moments(v) for v in value]
    return value


def _record_deliveries(ws: Path) -> None:
    """Mark every requirement delivered in project.yaml, as the vendor does once the work is
    delivered: acceptance waits for the requirement the change added."""
    project = ws / "project.yaml"
    text = project.read_text("utf-8")
    if "    delivered: false\n" in text:
        project.write_text(text.replace("    delivered: false\n", "    delivered: true\n"), "utf-8")


def _documents(ws: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ws / "documents").iterdir())}


def test_api_and_cli_give_the_same_lifecycle(
    tmp_path: Path, docflow: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCFLOW_TODAY", DATE)
    ws = tmp_path / "start"
    api.init(ws, example=True, actor=ACTOR)
    taken: list[Action] = []
    while True:
        _record_deliveries(ws)
        action = _next_action(api.Project.open(ws, actor=ACTOR))
        if action is None:
            break
        by_api, by_cli = tmp_path / f"api-{len(taken)}", tmp_path / f"cli-{len(taken)}"
        shutil.copytree(ws, by_api)
        shutil.copytree(ws, by_cli)
        lib = _by_api(by_api, action)
        run = docflow(*_cli_args(action), "--json", cwd=by_cli, env={"DOCFLOW_TODAY": DATE})
        assert run.code == 0, (action, run.err)
        assert _without_moments(run.json()) == _without_moments(lib), action
        assert _documents(by_cli) == _documents(by_api), action
        taken.append(action)
        ws = by_cli
    issued = {name.split("-v")[0] for name in _documents(ws)}
    assert {"SP-1", "RM-1", "CA-1", "DP-1", "AC-1", "CN-1", "MA-1"} <= issued
    assert api.Project.open(ws).state == "maintenance.active"
