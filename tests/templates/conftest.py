"""Fixtures for the document templates; the contexts they give come from template_contexts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from template_contexts import EXAMPLES, build_context, build_request, project, workflow

from docflow.render.meta import RenderRequest
from docflow.spec.loader import load_project
from docflow.spec.project import ProjectData
from docflow.spec.workflow import WorkflowSpec


@pytest.fixture
def context_for() -> Callable[..., dict[str, Any]]:
    """Build the template context of one document kind (by code) and locale."""
    return build_context


@pytest.fixture
def request_for() -> Callable[..., RenderRequest]:
    """Build the render request of one document kind (by code) and locale."""
    return build_request


@pytest.fixture
def project_for() -> Callable[[str], ProjectData]:
    """The example project of a locale."""
    return project


@pytest.fixture
def workflow_spec() -> WorkflowSpec:
    """The built-in workflow."""
    return workflow()


@pytest.fixture
def skeleton_for() -> Callable[[str], ProjectData]:
    """The commented skeleton of a locale (every section present, every value empty)."""
    return lambda locale: load_project(EXAMPLES / f"skeleton.{locale}.yaml")
