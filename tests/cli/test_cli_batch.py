"""Batch rendering: ``docflow projects render`` across a shared store and ``render --all``.

Signed documents stay byte-identical, unsigned ones are re-rendered from the edited
templates, a broken project is reported without stopping the others, and nothing but the
summary is printed when the output is piped.
"""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docflow.resources import data_path

Run = Any  # the finished-process record of the root `docflow` fixture


PROGRESS_MARKS = ("\r", "\x1b[", "━")


def _project(root: Path, name: str, store: str, until: str) -> Path:
    from docflow import api
    from docflow.app.demo import walk

    ws = root / name
    api.init(ws, example=True, code=name, store=store, actor="tester")
    walk(api.Workspace(ws), store_url=store, actor="tester", say=lambda _m: None, until=until)
    return ws


def _new_letterhead(ws: Path, revision: int) -> None:
    local = ws / "templates"
    local.mkdir(exist_ok=True)
    css = (data_path("doc_templates") / "style.css").read_text("utf-8")
    (local / "style.css").write_text(f"{css}\n/* letterhead {revision} */\n", "utf-8")


def _files(ws: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((ws / "documents").iterdir())}


def _docs(docflow: Callable[..., Run], store: str, ws: Path) -> dict[str, tuple[int, str]]:
    result = docflow("--store", store, "-C", str(ws), "docs", "--json")
    assert result.code == 0, result.err
    return {d["id"]: (d["version"], d["status"]) for d in result.json()}


def _quiet(result: Run) -> None:
    for mark in PROGRESS_MARKS:
        assert mark not in result.out and mark not in result.err


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Path]]:
    """Four projects in one store: SIGNED (its survey plan signed), OPEN and BROKEN (issued,
    BROKEN's template fails) and GONE (its workspace deleted)."""
    root = tmp_path_factory.mktemp("batch")
    store = f"sqlite:///{root / 'shared.db'}"
    projects = {
        "SIGNED": _project(root, "SIGNED", store, "survey.in_progress"),
        "OPEN": _project(root, "OPEN", store, "survey.planned"),
        "BROKEN": _project(root, "BROKEN", store, "survey.planned"),
    }
    shutil.rmtree(_project(root, "GONE", store, "contract.drafting"))
    for ws in projects.values():
        _new_letterhead(ws, 1)
    broken = projects["BROKEN"] / "templates" / "zh-CN"
    broken.mkdir()
    (broken / "survey_plan.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block body %}{{ no_such.value }}{% endblock %}', "utf-8"
    )
    return store, projects


def test_projects_render_skips_signed_and_reports_failures(
    shared: tuple[str, dict[str, Path]], docflow: Callable[..., Run]
) -> None:
    """Signed files are untouched, unsigned ones get a new version, the broken one is named."""
    store, projects = shared
    signed_before = _files(projects["SIGNED"])
    assert _docs(docflow, store, projects["SIGNED"]) == {"SP-1": (1, "signed")}

    result = docflow("--store", store, "projects", "render", "--jobs", "2")

    assert result.code == 1, result.err
    _quiet(result)
    assert "failed BROKEN SP-1: " in result.out
    assert "failed GONE: its workspace " in result.out
    assert result.out.strip().splitlines()[-1] == (
        "4 project(s): 1 re-rendered, 0 file(s) restored, 1 unchanged, 1 failed, "
        "1 project(s) not rendered"
    )
    assert _files(projects["SIGNED"]) == signed_before
    assert _docs(docflow, store, projects["SIGNED"]) == {"SP-1": (1, "signed")}
    assert _docs(docflow, store, projects["OPEN"]) == {"SP-1": (2, "issued")}
    assert (projects["OPEN"] / "documents" / "SP-1-v2.pdf").is_file()
    assert _docs(docflow, store, projects["BROKEN"]) == {"SP-1": (1, "issued")}


def test_projects_render_filter_and_json(
    shared: tuple[str, dict[str, Path]], docflow: Callable[..., Run]
) -> None:
    """--filter picks projects by code; --json prints one document with a summary."""
    store, projects = shared
    _new_letterhead(projects["OPEN"], 2)

    result = docflow("--store", store, "projects", "render", "--filter", "open", "--json")

    assert result.code == 0, result.err
    _quiet(result)
    report = result.json()
    assert [p["code"] for p in report["projects"]] == ["OPEN"]
    assert report["summary"]["rerendered"] == 1
    assert report["projects"][0]["rerendered"][0]["id"] == "SP-1"


def test_render_all_piped_prints_only_the_summary(
    shared: tuple[str, dict[str, Path]], docflow: Callable[..., Run]
) -> None:
    """`render --all` in one workspace, piped: the documents and one summary line, no bar."""
    store, projects = shared
    _new_letterhead(projects["OPEN"], 3)

    # The example speaks Chinese; the lines' shape is the same in English.
    result = docflow(
        "--store", store, "--lang", "en", "-C", str(projects["OPEN"]), "render", "--all"
    )

    assert result.code == 0, result.err
    _quiet(result)
    lines = result.out.strip().splitlines()
    assert lines[0].strip().startswith("re-rendered SP-1 v")
    assert lines[-1].startswith("1 re-rendered, 0 file(s) restored, 0 unchanged, 0 failed in ")


def _on_terminal(args: list[str]) -> tuple[int, str]:
    """Run docflow with stdout and stderr on a pseudo-terminal; return its code and output."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env.update({"DOCFLOW_ACTOR": "tester", "TERM": "xterm-256color", "COLUMNS": "100"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "docflow", *args], stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def test_render_all_on_a_terminal_shows_progress(shared: tuple[str, dict[str, Path]]) -> None:
    """On a terminal the same command draws a progress bar before its summary."""
    store, projects = shared
    _new_letterhead(projects["OPEN"], 4)

    args = ["--store", store, "--lang", "en", "-C", str(projects["OPEN"]), "render", "--all"]
    code, output = _on_terminal(args)

    assert code == 0, output
    assert "rendering" in output and "━" in output
    assert "1 re-rendered, 0 file(s) restored, 0 unchanged, 0 failed in " in output
