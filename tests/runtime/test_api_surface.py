"""The application API is a contract: its names are pinned, and every operation returns a
typed, frozen result whose ``to_dict()`` is JSON."""

from __future__ import annotations

import dataclasses
import inspect
import json
import subprocess
import sys
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from docflow import api

PUBLIC = [
    "ActionItem",
    "ActionSummary",
    "AdvanceResult",
    "BatchReport",
    "BatchSummary",
    "ChangeEdit",
    "ChangeRequest",
    "ChangeRequestSpec",
    "ChangeSummary",
    "ChangeView",
    "Check",
    "ClientExport",
    "Confirmation",
    "DemoResult",
    "DifferenceView",
    "DoctorReport",
    "DocumentNote",
    "DocumentView",
    "DriftView",
    "EmptyField",
    "InitResult",
    "LegalExport",
    "LinkPage",
    "LogEvent",
    "LogQuery",
    "MeetingView",
    "MinutesSpec",
    "NewRequirement",
    "ObjectionResult",
    "PlannedDocument",
    "Portal",
    "PortalForm",
    "Project",
    "ProjectOutcome",
    "ProjectSummary",
    "ProjectsPage",
    "RecordFile",
    "RecordsSummary",
    "RenderReport",
    "RenderWorker",
    "ReportView",
    "RequirementChange",
    "RerenderedVersion",
    "SentFile",
    "SatisfactionView",
    "ScoresSpec",
    "SignRequest",
    "SignResult",
    "SignatureOutcome",
    "SignatureView",
    "SigningLink",
    "StatusView",
    "StepView",
    "StoreUpgrade",
    "TemplateFile",
    "Translation",
    "TranslationView",
    "Upload",
    "VerifyReport",
    "VoidResult",
    "Withdrawal",
    "Visitor",
    "WorkflowCheck",
    "WorkflowSpec",
    "WorkflowUpgrade",
    "Workspace",
    "copy_template",
    "demo",
    "doctor",
    "draw_workflow",
    "init",
    "list_templates",
    "list_workflows",
    "load_workflow",
    "projects",
    "read_change_file",
    "read_minutes_file",
    "read_scores_file",
    "render_projects",
    "render_worker",
    "upgrade_store",
    "validate_workflow",
]

# Operations whose result is plain data by nature (names, paths, a drawing, a model).
PLAIN = {
    "copy_template": list[str],
    "list_workflows": list[str],
    "draw_workflow": str | bytes,
}


def test_public_names_are_pinned() -> None:
    assert sorted(api.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert getattr(api, name) is not None, name


def test_importing_the_api_loads_no_use_case() -> None:
    code = (
        "import sys, docflow.api; print(sorted(m for m in sys.modules if m.startswith('docflow.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout.replace("'", '"'))
    assert not [
        m for m in loaded if m.startswith(("docflow.app", "docflow.render", "docflow.sign"))
    ]


def _results(annotation: Any) -> list[type]:
    """The result classes an annotation names (through tuples, lists and unions)."""
    origin = typing.get_origin(annotation)
    if origin is None:
        return [annotation] if isinstance(annotation, type) else []
    return [cls for arg in typing.get_args(annotation) for cls in _results(arg) if arg is not ...]


def _operations() -> list[tuple[str, Any]]:
    project_ops = [
        (f"Project.{name}", member)
        for name, member in inspect.getmembers(api.Project, inspect.isfunction)
        if not name.startswith("_")
    ]
    functions = [
        (name, getattr(api, name))
        for name in PUBLIC
        if inspect.isfunction(getattr(api, name)) and name != "render_worker"
    ]
    return project_ops + functions


@pytest.mark.parametrize(("name", "function"), [pytest.param(n, f, id=n) for n, f in _operations()])
def test_every_operation_returns_a_typed_result(name: str, function: Any) -> None:
    # The API names its result types for type checkers only; resolve them through the API.
    names = {n: getattr(api, n) for n in PUBLIC}
    hints = typing.get_type_hints(function, localns=names)
    returned = hints["return"]
    short = name.rsplit(".", 1)[-1]
    if short in PLAIN:
        assert returned == PLAIN[short]
        return
    classes = _results(returned)
    assert classes, f"{name} returns {returned}"
    for cls in classes:
        if issubclass(cls, BaseModel):  # a frozen specification model (a workflow, a change)
            assert cls.model_config.get("frozen"), f"{cls.__name__} is not frozen"
            continue
        assert dataclasses.is_dataclass(cls), f"{name} returns {cls}"
        assert cls.__dataclass_params__.frozen, f"{cls.__name__} is not frozen"  # type: ignore[attr-defined]
        assert callable(getattr(cls, "to_dict", None)), f"{cls.__name__} has no to_dict"


def test_from_store_reads_without_the_folder(example_workspace: Any, tmp_path: Any) -> None:
    project = api.Project.open(example_workspace, actor="tester")
    project.advance()
    url = f"sqlite:///{example_workspace / '.docflow' / 'docflow.db'}"
    remote = api.Project.from_store(project.code, url, actor="server")
    assert remote.workspace is None
    assert remote.status().to_dict() == project.status().to_dict()
    assert [e.type for e in remote.log()] == [e.type for e in project.log()]
    assert remote.verify().ok
    from docflow.errors import UsageError

    with pytest.raises(UsageError, match="workspace folder"):
        remote.advance()


def test_from_store_needs_a_recorded_step(example_workspace: Any) -> None:
    from docflow.errors import InvalidInput

    url = f"sqlite:///{example_workspace / '.docflow' / 'docflow.db'}"
    code = api.Project.open(example_workspace).code
    with pytest.raises(InvalidInput, match="no project data in the store yet"):
        api.Project.from_store(code, url)
    with pytest.raises(InvalidInput, match="no project 'NOPE'"):
        api.Project.from_store("NOPE", url)
