"""Registering, reading and listing projects."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from docflow.errors import Conflict
from docflow.store import ProjectRow, Store
from docflow.store.chain import GENESIS_HASH


def test_create_project_returns_the_registered_row(store: Store, project: ProjectRow) -> None:
    assert project.code == "HIS-2026"
    assert project.name == "医院信息系统"
    assert (project.workflow, project.locale, project.state) == (
        "implementation",
        "zh-CN",
        "contract.drafting",
    )
    assert project.version == 1
    assert project.baseline is None
    assert project.head_seq == 1
    assert project.created_at == project.updated_at
    assert project.created_at.endswith("+00:00")
    assert store.get_project("HIS-2026") == project


def test_create_project_appends_the_created_event(store: Store, project: ProjectRow) -> None:
    (event,) = store.events("HIS-2026")
    assert (event.seq, event.type, event.actor) == (1, "project.created", "pm")
    assert event.prev_hash == GENESIS_HASH
    assert event.hash == project.head_hash
    assert event.data["state"] == "contract.drafting"
    assert event.data["data"] == {"contract": {"amount": "1200500.00"}}


def test_duplicate_code_is_a_conflict(store: Store, project: ProjectRow) -> None:
    with pytest.raises(Conflict, match="HIS-2026 is already in the store"):
        store.create_project(
            code="HIS-2026",
            name="other",
            workflow="implementation",
            locale="en",
            state="contract.drafting",
            workspace="/elsewhere",
            actor="pm",
            data={},
        )
    assert store.count_projects() == 1
    assert len(store.events("HIS-2026")) == 1


def test_get_project_unknown_is_none(store: Store) -> None:
    assert store.get_project("NOPE") is None
    assert store.events("NOPE") == []
    assert store.documents("NOPE") == []


def test_list_projects_pages_by_code(store: Store, make_project: Callable[..., ProjectRow]) -> None:
    for code in ["C-3", "A-1", "B-2", "E-5", "D-4"]:
        make_project(code)
    assert store.count_projects() == 5
    assert [p.code for p in store.list_projects()] == ["A-1", "B-2", "C-3", "D-4", "E-5"]
    assert [p.code for p in store.list_projects(limit=2, offset=1)] == ["B-2", "C-3"]
    assert store.list_projects(limit=10, offset=5) == []
