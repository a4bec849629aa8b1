"""Fixtures of the spec tests: the registry stand-in and placeholder template folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from spec_helpers import fake_guard_check

from docflow.spec.workflow import GuardSpec


@pytest.fixture
def guard_check() -> Callable[[GuardSpec], list[str]]:
    """The stand-in for the guards registry's check."""
    return fake_guard_check


@pytest.fixture
def fixture_templates(tmp_path: Path) -> Path:
    """Placeholder templates for the small workflows under tests/spec/workflows/."""
    root = tmp_path / "templates"
    (root / "en").mkdir(parents=True)
    for name in ("note", "annex"):
        (root / "en" / f"{name}.html.j2").write_text("", encoding="utf-8")
    return root
