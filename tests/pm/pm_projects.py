"""Helpers of the PM tests: projects made from the skeleton (``docflow init DIR``), filled in as
a PM would, in both locales."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "templates"))

from skeleton_fill import fill_skeleton  # noqa: E402

LOCALES = [pytest.param("zh-CN", id="zh"), pytest.param("en", id="en")]
DATA = HERE / "data"


def edit_project(ws: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change project.yaml as a PM would (through its data, not its text)."""
    path = ws / "project.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def make_skeleton(
    ws: Path, locale: str, until: str | None, workflow: str = "implementation"
) -> Path:
    """A skeleton project, filled in, taken along the main path to ``until``."""
    from docflow import api
    from docflow.app.demo import walk

    api.init(ws, locale=locale, actor="tester", workflow=workflow)
    edit_project(ws, lambda data: fill_skeleton(data, locale))
    if until is not None:
        saved = os.environ.get("DOCFLOW_TODAY")
        os.environ["DOCFLOW_TODAY"] = "2026-05-04"
        try:
            walk(api.Workspace(ws), actor="tester", say=lambda _m: None, until=until)
        finally:
            if saved is None:
                os.environ.pop("DOCFLOW_TODAY", None)
            else:
                os.environ["DOCFLOW_TODAY"] = saved
    return ws
