"""A PM's own project for the tests of daily work: started from the skeleton (`docflow init`),
filled in as tests/templates/skeleton_fill.py does, walked along the main path to a state once
per test session and copied for each test.

The project code is WH-2026 (a warehouse system). Its requirements are not delivered when
the memo is signed, as in a real project.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

CODE = "WH-2026"
_FILL = Path(__file__).resolve().parents[1] / "templates" / "skeleton_fill.py"


def fill_skeleton(data: dict[str, Any], locale: str) -> None:
    """Fill the skeleton's data as a PM does (tests/templates/skeleton_fill.py)."""
    spec = importlib.util.spec_from_file_location("pm_skeleton_fill", _FILL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.fill_skeleton(data, locale)


def edit_project(ws: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change project.yaml as a PM would (through its data, not its text)."""
    path = ws / "project.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def start_skeleton(ws: Path, locale: str) -> Path:
    """`docflow init` (the skeleton) and the PM's data in it."""
    from docflow import api

    api.init(ws, locale=locale, code=CODE, actor="tester")
    edit_project(ws, lambda data: fill_skeleton(data, locale))
    return ws


def walk(ws: Path, until: str) -> None:
    """Take the project along the main path to ``until``, signing as each party."""
    from docflow.api import Workspace
    from docflow.app.demo import walk as demo_walk

    demo_walk(Workspace(ws), actor="tester", say=lambda _m: None, until=until)


@pytest.fixture(scope="session")
def skeleton_states(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """``get(locale, state)``: a skeleton project walked to ``state``, made once a session."""
    made: dict[tuple[str, str], Path] = {}

    def get(locale: str, state: str) -> Path:
        if (locale, state) not in made:
            ws = tmp_path_factory.mktemp(f"skeleton-{locale}-{state}") / "ws"
            start_skeleton(ws, locale)
            walk(ws, state)
            made[locale, state] = ws
        return made[locale, state]

    return get


@pytest.fixture
def skeleton_at(
    skeleton_states: Callable[[str, str], Path], tmp_path: Path
) -> Callable[[str, str], Path]:
    """``copy(locale, state)``: a private copy of a skeleton project at ``state``."""

    def copy(locale: str, state: str) -> Path:
        ws = tmp_path / f"ws-{locale}-{state}"
        shutil.copytree(skeleton_states(locale, state), ws)
        return ws

    return copy


def normal(text: str) -> str:
    """Text with line breaks undone: no whitespace next to CJK, one space elsewhere; word
    joiners and no-break spaces read as a reader sees them: nothing and a space."""
    import re

    text = text.replace("\u2060", "").replace("\u00a0", " ")
    text = re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text))
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def pdf_pages(path: Path | bytes) -> list[str]:
    """The text of each page of a PDF (pdftotext), normalised."""
    data = path if isinstance(path, bytes) else path.read_bytes()
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return [normal(page) for page in out.stdout.decode("utf-8").split("\f") if page.strip()]


def docx_text(path: Path | bytes) -> str:
    """The text of a DOCX's body, headers and footers, normalised."""
    from docx import Document

    data = path if isinstance(path, bytes) else path.read_bytes()
    document = Document(io.BytesIO(data))
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    return normal(
        " ".join(
            node.text or "" for part in parts for node in part.iter() if node.tag.endswith("}t")
        )
    )


def store_dump(ws: Path) -> dict[str, Any]:
    """The store's rows and the workspace's files, to prove a refused command changed nothing."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(ws / ".docflow" / "docflow.db")) as db:
        tables = {
            table: db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("projects", "events", "documents", "signatures", "counters")
        }
    files = {
        str(p.relative_to(ws)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(ws.rglob("*"))
        if p.is_file() and ".docflow" not in p.parts
    }
    return {"tables": tables, "files": files}
