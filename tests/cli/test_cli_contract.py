"""The JSON keys DESIGN.md promises to scripts, pinned; CLI output equals library output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docflow

STATUS_KEYS = {"state", "phase", "transitions", "documents", "changes"}
TRANSITION_KEYS = {"trigger", "dest", "ready", "blockers"}
DOCUMENT_KEYS = {"id", "kind", "version", "status", "annex", "files", "awaiting"}


def test_public_api_is_pinned() -> None:
    assert sorted(docflow.__all__) == sorted(
        [
            "Blocked",
            "Conflict",
            "DocflowError",
            "IntegrityFailure",
            "InvalidInput",
            "SpecError",
            "UsageError",
            "__version__",
        ]
    )


def test_status_and_advance_keys(example_workspace: Path, docflow: Callable[..., Any]) -> None:
    ws = example_workspace
    status = docflow("status", "--json", cwd=ws).json()
    assert set(status) >= STATUS_KEYS
    assert "ratio" in status["changes"]
    for t in status["transitions"]:
        assert set(t) >= TRANSITION_KEYS
    assert docflow("advance", "sign_contract", cwd=ws).code == 0
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 0, r.err
    adv = r.json()
    assert {"from", "to", "documents"} <= set(adv)
    for d in adv["documents"]:
        assert set(d) >= DOCUMENT_KEYS
        assert {"docx", "pdf"} <= set(d["files"])
    status = docflow("status", "--json", cwd=ws).json()
    for d in status["documents"]:
        assert set(d) >= DOCUMENT_KEYS


def test_log_and_verify_keys(example_workspace: Path, docflow: Callable[..., Any]) -> None:
    log = docflow("log", "--json", cwd=example_workspace).json()
    assert isinstance(log, list) and log
    assert {"seq", "at", "actor", "type"} <= set(log[0])
    verify = docflow("verify", "--json", cwd=example_workspace).json()
    assert verify["ok"] is True and verify["problems"] == []


def test_cli_status_equals_library(example_workspace: Path, docflow: Callable[..., Any]) -> None:
    import json

    from docflow.api import Project

    cli = docflow("status", "--json", cwd=example_workspace).json()
    status = Project.open(example_workspace, actor="tester").status()
    lib = json.loads(json.dumps(status.to_dict(), default=str))
    assert cli == lib


def test_json_error_document(example_workspace: Path, docflow: Callable[..., Any]) -> None:
    r = docflow("advance", "nope", "--json", cwd=example_workspace)
    body = r.json()
    assert set(body) >= {"error", "message"} and r.code == 2
