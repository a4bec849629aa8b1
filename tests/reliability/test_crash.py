"""``docflow advance`` killed with SIGKILL at exact system calls (strace's fault injection):
during rendering, inside the store's transaction, at its commit, after it, and at the rename of
each document file. Afterwards the project is as before or as after the step, never between:
``verify`` is clean or names only missing files, ``render`` restores them, and running the step
again completes it (or says it was taken).

The syscall to kill at is found by a probe: one traced, undisturbed run of the same step on a
copy of the same project. Each run checks in its own trace that the call it was killed at is
the one meant.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from reliability_helpers import Project, docflow_argv

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed"),
]

STEP = "plan_survey"
FROM, TO = "contract.signed", "survey.planned"
DOCX, PDF = "SP-1-v1.docx", "SP-1-v1.pdf"
TRACED = "openat,rename,pwrite64,fdatasync,sendto"


@dataclass(frozen=True)
class Point:
    """Where to kill: the n-th call of ``syscall`` (on ``path`` only, when given)."""

    syscall: str
    when: int
    marker: str  # text the killed call shows in strace's output
    path: str | None = None


def _strace(project: Project, log: Path, *options: str) -> subprocess.CompletedProcess[str]:
    # Without -f: rendering and the store's calls happen in the command's own process, and
    # the helpers it starts (ldconfig, gcc for ctypes) would only slow tracing down.
    return subprocess.run(
        [
            "strace",
            "-qq",
            "-e",
            "signal=none",
            "-y",
            "-s",
            "64",
            "-o",
            str(log),
            *options,
            *docflow_argv("advance", STEP, "--json"),
        ],
        cwd=project.ws,
        env=project.env({"PYTHONDONTWRITEBYTECODE": "1"}),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _calls(lines: list[str], syscall: str, path: str | None = None) -> list[tuple[int, str]]:
    """(line number, line) of each traced call of ``syscall`` (touching ``path``, when given)."""
    return [
        (i, line)
        for i, line in enumerate(lines)
        if line.startswith(f"{syscall}(")
        and (path is None or path in line.split(",", 1)[0] or f'"{path}"' in line)
    ]


def _nth(calls: list[tuple[int, str]], marker: str, after: str | None = None) -> int:
    """1-based position in ``calls`` of the first call showing ``marker`` (after ``after``)."""
    start = 0
    if after is not None:
        start = next(n for n, (_i, c) in enumerate(calls) if after in c) + 1
    found = [n + 1 for n, (_i, c) in enumerate(calls) if n >= start and marker in c]
    assert found, f"the probe made no call showing {marker!r}"
    return found[0]


def plan_points(backend: str, lines: list[str], ws: Path) -> dict[str, Point]:
    """The kill points of one backend, numbered from the probe's trace."""
    style = str(Path(_style_css()))
    renames = _calls(lines, "rename")
    if backend == "sqlite":
        wal = str(ws / ".docflow" / "docflow.db-wal")
        stored = _calls(lines, "pwrite64", wal)[0][0]
    else:
        stored = next(i for i, c in _calls(lines, "sendto") if "INSERT INTO blobs" in c)
    # The stylesheet is read while the document is rendered, before the step's rows and files
    # are written; the command reads the template files again after it (to say whether its
    # documents match the data), which is no longer rendering.
    written = min(stored, renames[0][0])
    openats = [c for c in _calls(lines, "openat", style) if c[0] < written]
    assert openats, "the probe read no stylesheet before writing the step"
    points = {
        "rendering": Point("openat", len(openats), "style.css", style),
        "rename_docx": Point("rename", _nth(renames, DOCX), DOCX),
        "rename_pdf": Point("rename", _nth(renames, PDF), PDF),
    }
    if backend == "sqlite":
        wal = str(ws / ".docflow" / "docflow.db-wal")
        writes = _calls(lines, "pwrite64", wal)
        syncs = _calls(lines, "fdatasync", wal)
        # The commit's frames end where the checkpoint (the last sync of the WAL) begins.
        commit_writes = [w for w in writes if w[0] < syncs[-1][0]]
        points["store_mid_transaction"] = Point(
            "pwrite64", len(commit_writes) // 2, "docflow.db-wal", wal
        )
        points["store_commit_frame"] = Point("pwrite64", len(commit_writes), "docflow.db-wal", wal)
        points["store_synced_after_commit"] = Point("fdatasync", len(syncs), "docflow.db-wal", wal)
    else:
        sends = _calls(lines, "sendto")
        points["store_mid_transaction"] = Point(
            "sendto", _nth(sends, "INSERT INTO blobs"), "INSERT INTO blobs"
        )
        points["store_commit"] = Point(
            "sendto", _nth(sends, "COMMIT", after="INSERT INTO blobs"), "COMMIT"
        )
    return points


def _style_css() -> Path:
    from docflow.resources import data_path

    return data_path("doc_templates") / "style.css"


# point -> (the project afterwards: "before" or "after" the step, files left missing)
OUTCOMES: dict[str, tuple[str, set[str]]] = {
    "rendering": ("before", set()),
    "store_mid_transaction": ("before", set()),
    "store_commit_frame": ("before", set()),
    "store_commit": ("before", set()),
    "store_synced_after_commit": ("after", {DOCX, PDF}),
    "rename_docx": ("after", {DOCX, PDF}),
    "rename_pdf": ("after", {PDF}),
}
CASES = [
    pytest.param(
        backend,
        point,
        id=f"{backend}-{point}",
        marks=[pytest.mark.postgres] if backend == "postgresql" else [],
    )
    for backend, points in (
        (
            "sqlite",
            [
                "rendering",
                "store_mid_transaction",
                "store_commit_frame",
                "store_synced_after_commit",
                "rename_docx",
                "rename_pdf",
            ],
        ),
        # Files are written the same way on both stores: the PDF's rename only on SQLite.
        ("postgresql", ["rendering", "store_mid_transaction", "store_commit", "rename_docx"]),
    )
    for point in points
]

_PROBES: dict[str, dict[str, Point]] = {}


@pytest.fixture
def kill_points(
    backend: str, project_at: Callable[..., Project], tmp_path: Path
) -> dict[str, Point]:
    """The kill points of the backend (probed once per session)."""
    if backend not in _PROBES:
        probe = project_at(FROM, tmp_path / "probe")
        log = tmp_path / "probe.strace"
        done = _strace(probe, log, "-e", f"trace={TRACED}")
        assert done.returncode == 0, done.stderr
        lines = [re.sub(r"^\d+ +", "", x) for x in log.read_text().splitlines()]
        _PROBES[backend] = plan_points(backend, lines, probe.ws)
    return _PROBES[backend]


@pytest.mark.parametrize(("backend", "point"), CASES)
def test_advance_killed_leaves_the_project_before_or_after(
    backend: str,
    point: str,
    kill_points: dict[str, Point],
    project_at: Callable[..., Project],
    tmp_path: Path,
) -> None:
    p = project_at(FROM)
    where = kill_points[point]
    if where.path and "docflow.db-wal" in where.path:
        where = Point(
            where.syscall, where.when, where.marker, str(p.ws / ".docflow" / "docflow.db-wal")
        )
    log = tmp_path / "killed.strace"
    options = [
        "-e",
        f"trace={where.syscall}",
        "-e",
        f"inject={where.syscall}:signal=SIGKILL:when={where.when}",
    ]
    if where.path:
        options += ["-P", where.path]

    killed = _strace(p, log, *options)

    assert killed.returncode in (-9, 137), (killed.returncode, killed.stderr)
    unfinished = [x for x in log.read_text().splitlines() if x.endswith("= ?")]
    assert unfinished and where.marker in unfinished[-1], unfinished[-1:]
    side, missing = OUTCOMES[point]

    report = p.verify()
    problems = report["problems"]
    assert {x["kind"] for x in problems} <= {"file_missing"}, problems
    assert {Path(x["file"]).name for x in problems} == missing
    assert p.ok("status")["state"] == (FROM if side == "before" else TO)

    restored = p.ok("render")["restored"]
    assert {Path(f).name for f in restored} == missing

    again = p.run("advance", STEP, "--json")
    if side == "before":
        assert again.code == 0, again.err
        assert again.json()["to"] == TO
    else:
        assert again.code == 5 and TO in again.err, again.err
    assert len(p.steps(STEP)) == 1
    assert p.files() == [DOCX, PDF]
    final = p.verify()
    assert final["ok"] and final["documents"] == 1, final
