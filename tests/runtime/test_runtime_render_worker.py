"""The render worker lays out PDFs in a second process: the same bytes as without it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from docflow.documents.context import build_context
from docflow.documents.identity import DocId
from docflow.documents.jobs import RenderJob, job_for, make_meta, run_jobs
from docflow.documents.worker import RenderWorker, render_worker
from docflow.runtime.session import open_session
from docflow.runtime.workspace import Workspace


def _memo_jobs(ws: Path) -> list[RenderJob]:
    session = open_session(Workspace(ws), None, "tester")
    code = next(c for c, k in session.spec.documents.items() if k.template == "requirement_memo")
    meta = make_meta(session, DocId(code, 1), 1, 1, dt.date(2026, 11, 23))
    return [job_for(session, meta, build_context(session))]


def test_the_worker_gives_the_same_documents(example_workspace: Path) -> None:
    jobs = _memo_jobs(example_workspace)
    with render_worker() as worker:
        assert worker is not None
        by_worker = run_jobs(jobs, worker=worker)
        assert worker.running  # it stays for the next document
    assert by_worker == run_jobs(jobs)
    assert by_worker[0].pdf.startswith(b"%PDF-") and by_worker[0].docx.startswith(b"PK")


def test_a_failure_in_the_worker_is_laid_out_here(
    example_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docflow.render.pdf as pdf_module

    jobs = _memo_jobs(example_workspace)
    expected = run_jobs(jobs)
    real, parent = pdf_module.render_pdf, os.getpid()

    def broken_in_the_worker(*args: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("the worker broke")
        return real(*args)

    monkeypatch.setattr(pdf_module, "render_pdf", broken_in_the_worker)
    with render_worker() as worker:
        assert worker is not None
        assert run_jobs(jobs, worker=worker) == expected
        worker._process.join(timeout=30)
        assert not worker.running  # it stopped after the failure


def test_a_closed_worker_leaves_the_work_here(example_workspace: Path) -> None:
    jobs = _memo_jobs(example_workspace)
    worker = RenderWorker()
    worker.close()
    assert not worker.running
    assert run_jobs(jobs, worker=worker) == run_jobs(jobs)


def test_an_unused_worker_stops_at_once() -> None:
    with render_worker() as worker:
        assert worker is not None and worker.running
    assert not worker.running


def test_no_worker_when_disabled() -> None:
    with render_worker(enabled=False) as worker:
        assert worker is None


KILLED_COMMAND = """
import os, signal, sys
from docflow.documents.worker import render_worker
with render_worker() as worker:
    print(worker._process.pid, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_the_worker_ends_when_the_command_is_killed() -> None:
    import subprocess
    import sys
    import time

    proc = subprocess.run(
        [sys.executable, "-c", KILLED_COMMAND], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == -9
    pid = int(proc.stdout.split()[0])
    deadline = time.monotonic() + 30
    while not _ended(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ended(pid)


def _ignores_sigint(pid: int) -> bool:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (2 - 1)))  # SIGINT is signal 2
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_ctrl_c_is_left_to_the_command() -> None:
    import signal
    import time

    with render_worker() as worker:
        assert worker is not None
        deadline = time.monotonic() + 30
        while not _ignores_sigint(worker._process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(worker._process.pid, signal.SIGINT)
        worker._process.join(timeout=2)
        assert worker.running


def test_the_warm_up_asks_fontconfig_before_a_document_waits() -> None:
    """The Chinese-font check (an ``fc-list`` process) is made while the worker waits, so
    the first zh-CN document does not wait for it."""
    from docflow.documents.worker import _warm_up
    from docflow.render.fonts import has_chinese_font

    has_chinese_font.cache_clear()
    _warm_up(lambda: False)
    assert has_chinese_font.cache_info().currsize == 1


def test_the_warm_up_stops_at_the_step_during_which_a_page_arrives() -> None:
    """The worker asks before each step of the warm-up whether a page waits; once one
    does, no further step runs (here: the page arrives during the first step)."""
    from docflow.documents.worker import _warm_up
    from docflow.render.fonts import has_chinese_font

    has_chinese_font.cache_clear()
    asked: list[bool] = []

    def waiting() -> bool:
        asked.append(True)
        return len(asked) > 1

    _warm_up(waiting)
    assert len(asked) == 2
    assert has_chinese_font.cache_info().currsize == 0


def test_pypdf_loads_after_the_page_is_sent(
    example_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The background import of pypdf (for the signature fields) starts once the worker has
    the page, not while the command still makes it: the two would share one interpreter."""
    import docflow.sign

    events: list[str] = []
    monkeypatch.setattr(docflow.sign, "prepare_fields", lambda: events.append("pypdf"))
    jobs = _memo_jobs(example_workspace)
    with render_worker() as worker:
        assert worker is not None
        send = worker.start_pdf

        def sending(*args: Any) -> Any:
            events.append("page sent")
            return send(*args)

        monkeypatch.setattr(worker, "start_pdf", sending)
        run_jobs(jobs, worker=worker)
    assert events == ["page sent", "pypdf"]
