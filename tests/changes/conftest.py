"""Fixtures of the change-control tests: a baseline requirement set and data file copies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from change_helpers import DATA, req

from docflow.spec.project import Requirement


@pytest.fixture
def baseline() -> list[Requirement]:
    """Five requirements of three types, as confirmed in a memo."""
    return [
        req("FR-001", "门诊挂号", priority="must"),
        req("FR-002", "门诊收费"),
        req("FR-003", "药房发药", priority="could"),
        req("NFR-001", "响应时间", type="non_functional", priority="must"),
        req("IR-001", "医保接口", type="interface"),
    ]


@pytest.fixture
def data_file(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a file of tests/changes/data into tmp_path and return the copy's path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        target.write_bytes((DATA / name).read_bytes())
        return target

    return copy
