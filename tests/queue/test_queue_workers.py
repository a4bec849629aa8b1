"""Two `docflow worker` processes on one PostgreSQL store re-render 50 documents of five
projects once each, although one of them is killed with SIGKILL in the middle of a job: its
job is queued again and completed by the other, and running every job again renders nothing.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from queue_helpers import docflow_env, start_worker

from docflow.resources import data_path

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PROJECTS = 5
PER_PROJECT = 10
STALLED_AFTER = "5"


def _workflow(folder: Path) -> Path:
    """A workflow whose one step issues PER_PROJECT survey plans (kinds S01..S10)."""
    kinds = [f"S{k:02d}" for k in range(1, PER_PROJECT + 1)]
    lines = [
        "name: queue",
        "title: {zh-CN: 队列, en: Queue}",
        "locales: [zh-CN]",
        "initial: s0",
        "states:",
        "  s0: {phase: q, title: {zh-CN: 开始, en: Start}}",
        "  s1: {phase: q, title: {zh-CN: 已发出, en: Issued}}",
        "  done: {phase: q, title: {zh-CN: 完成, en: Done}, final: true}",
        "transitions:",
        "  - trigger: issue",
        "    source: s0",
        "    dest: s1",
        "    title: {zh-CN: 发出, en: Issue}",
        f"    emits: [{', '.join(kinds)}]",
        "  - {trigger: finish, source: s1, dest: done, title: {zh-CN: 完成, en: Finish}}",
        "documents:",
    ]
    for kind in kinds:
        lines += [
            f"  {kind}:",
            "    template: survey_plan",
            f"    title: {{zh-CN: 调研计划{kind}, en: Survey plan {kind}}}",
            "    signers: [client]",
        ]
    lines += ["change_control:", "  allowed_in: []", f"  annex_document: {kinds[0]}"]
    # `init --example` picks the example project by the workflow file's name.
    path = folder / "implementation.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _new_letterhead(ws: Path) -> None:
    local = ws / "templates"
    local.mkdir(exist_ok=True)
    css = (data_path("doc_templates") / "style.css").read_text("utf-8")
    (local / "style.css").write_text(f"{css}\n/* new letterhead */\n", "utf-8")


def _docflow(store: str, *args: str) -> Any:
    proc = subprocess.run(
        [sys.executable, "-m", "docflow", "--store", store, *args],
        capture_output=True,
        text=True,
        env=docflow_env(),
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _wait(what: str, check: Callable[[], bool], timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _started(log: Path) -> bool:
    return log.is_file() and " started" in log.read_text("utf-8")


def _rerendered(store: Any, code: str) -> list[list[str]]:
    return [
        sorted(f"{d['id']} v{d['version']}" for d in event.data["documents"])
        for event in store.events(code)
        if event.type == "documents.rerendered"
    ]


def test_two_workers_render_each_document_once(pg_url: str, tmp_path: Path) -> None:
    from docflow.store import open_store

    workflow = _workflow(tmp_path / "wf")
    spaces = {}
    for code in [f"Q{n}" for n in range(1, PROJECTS + 1)] + ["GONE"]:
        ws = tmp_path / code
        init = ["init", str(ws), "--workflow", str(workflow), "--example", "--code", code]
        _docflow(pg_url, *init, "--json")
        if code == "GONE":
            shutil.rmtree(ws)
            continue
        issued = _docflow(pg_url, "-C", str(ws), "advance", "--json")
        assert len(issued["documents"]) == PER_PROJECT
        _new_letterhead(ws)
        spaces[code] = ws

    queued = _docflow(pg_url, "projects", "render", "--queue", "--json")
    assert sorted(j["code"] for j in queued["queued"]) == ["GONE", *sorted(spaces)]
    again = _docflow(pg_url, "projects", "render", "--queue", "--filter", "Q1", "--json")
    assert again["queued"] == [] and again["already_queued"] == ["Q1"]

    log_a, log_b = tmp_path / "a.log", tmp_path / "b.log"
    worker_a = start_worker(pg_url, log_a, "--stalled-after", STALLED_AFTER)
    worker_b = None
    try:
        _wait("worker A to start a job", lambda: _started(log_a))
        worker_b = start_worker(pg_url, log_b, "--stalled-after", STALLED_AFTER)
        _wait("worker B to start a job", lambda: _started(log_b))
        worker_a.send_signal(signal.SIGKILL)  # in the middle of its job
        assert worker_a.wait(timeout=60) == -signal.SIGKILL

        def finished() -> bool:
            counts = _docflow(pg_url, "jobs", "--json")["counts"]
            return bool(counts["succeeded"] + counts["failed"] == PROJECTS + 1)

        _wait("every job to end", finished)
        progress = _docflow(pg_url, "jobs", "--json")
        assert progress["counts"] == {
            "queued": 0,
            "doing": 0,
            "succeeded": PROJECTS,
            "failed": 1,
            "cancelled": 0,
        }
        [failure] = progress["failed"]
        assert failure["task"] == "render_project" and failure["key"] == "GONE"
        assert "has no project.yaml" in failure["error"]
        assert "queued again" in log_b.read_text("utf-8")

        # Every document has exactly one new version, recorded by one event per project.
        store = open_store(pg_url, None)
        for code, ws in spaces.items():
            versions = sorted((d.doc_id, d.version, d.status) for d in store.documents(code))
            expected = sorted(
                (f"S{k:02d}-1", v, "superseded" if v == 1 else "issued")
                for k in range(1, PER_PROJECT + 1)
                for v in (1, 2)
            )
            assert versions == expected, code
            assert _rerendered(store, code) == [
                sorted(f"S{k:02d}-1 v2" for k in range(1, PER_PROJECT + 1))
            ], code
            assert _docflow(pg_url, "-C", str(ws), "verify", "--json")["ok"], code
            assert all((ws / "documents" / f"S{k:02d}-1-v2.pdf").is_file() for k in (1, 10))

        # Running every job again renders nothing: the documents are unchanged.
        rerun = _docflow(pg_url, "projects", "render", "--queue", "--json")
        assert len(rerun["queued"]) == PROJECTS + 1
        _wait(
            "the second round",
            lambda: _docflow(pg_url, "jobs", "--json")["counts"]["succeeded"] == 2 * PROJECTS,
        )
        for code in spaces:
            assert len(_rerendered(store, code)) == 1, code
        store.close()
    finally:
        for worker in (worker_a, worker_b):
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
    assert worker_b is not None and worker_b.wait(timeout=120) == 0
