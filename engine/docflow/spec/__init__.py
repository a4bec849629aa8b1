"""What a workflow or a project is: frozen pydantic models, their loader and their checks.

The names below are the spec layer's public surface. Nothing here imports ruamel.yaml at
import time: YAML is read inside the loader functions.
"""

from __future__ import annotations

from docflow.spec.checks import check_workflow, validate_workflow_file
from docflow.spec.loader import (
    find_workflow,
    list_workflows,
    load_project,
    load_workflow,
    load_yaml_text,
    parse_project,
)
from docflow.spec.project import ProjectData
from docflow.spec.workflow import (
    ChangeControl,
    DocumentKind,
    GuardSpec,
    StateSpec,
    TransitionSpec,
    WorkflowSpec,
)
from docflow.spec.yamlio import LineMap

__all__ = [
    "ChangeControl",
    "DocumentKind",
    "GuardSpec",
    "LineMap",
    "ProjectData",
    "StateSpec",
    "TransitionSpec",
    "WorkflowSpec",
    "check_workflow",
    "find_workflow",
    "list_workflows",
    "load_project",
    "load_workflow",
    "load_yaml_text",
    "parse_project",
    "validate_workflow_file",
]
