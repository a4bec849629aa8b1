"""Fixtures of the PM tests: skeleton projects taken to a state once per session and copied
per test (helpers in pm_projects)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pm_projects import make_skeleton


@pytest.fixture(scope="session")
def skeleton_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Skeleton projects per (locale, state), built on first use."""
    return {}


@pytest.fixture
def skeleton_at(
    skeleton_templates: dict[tuple[str, str], Path],
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
) -> Callable[[str, str], Path]:
    """skeleton_at(locale, state): a private copy of a filled skeleton project at ``state``."""

    def make(locale: str, state: str) -> Path:
        key = (locale, state)
        if key not in skeleton_templates:
            folder = tmp_path_factory.mktemp(f"skeleton-{locale}-{state}")
            skeleton_templates[key] = make_skeleton(folder / "ws", locale, state)
        ws = tmp_path / f"ws-{locale}"
        shutil.copytree(skeleton_templates[key], ws)
        return ws

    return make
