"""An output folder that cannot be written and a disk that fills up: a clear error, a store that
is as before or as after the step, and a clean ``verify`` once the folder is fixed. Temporary
files a dead command left in the folder are cleared by ``render``.

Root ignores file permissions, so a read-only folder is a read-only tmpfs when running as root
(a mode 0555 folder otherwise); a full disk is a small tmpfs. Without ``mount`` those cases are
skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from reliability_helpers import Project

STEP = "plan_survey"
FROM, TO = "contract.signed", "survey.planned"
DOCX, PDF = "SP-1-v1.docx", "SP-1-v1.pdf"

Mount = Callable[[Path, str], None]


@pytest.fixture
def tmpfs() -> Iterator[Mount]:
    """tmpfs(where, options): mount a tmpfs (unmounted afterwards), or skip the test."""
    mounted: list[Path] = []

    def mount(where: Path, options: str) -> None:
        if shutil.which("mount") is None:
            pytest.skip("no mount command")
        where.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(where)

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount(where: Path, options: str) -> None:
    """Change the options of a mounted tmpfs (its files stay)."""
    subprocess.run(["mount", "-o", f"remount,{options}", str(where)], check=True)


def _unchanged(p: Project, version: int) -> None:
    status = p.ok("status")
    assert (status["state"], status["version"]) == (FROM, version)
    assert p.steps(STEP) == []
    assert p.verify()["ok"]


def _read_only(kind: str, folder: Path, tmpfs: Mount) -> Callable[[], None]:
    """Make documents/ unwritable; return what puts it right."""
    if kind == "documents_is_a_file":
        shutil.rmtree(folder)
        folder.write_text("not a folder")

        def fix() -> None:
            folder.unlink()
            folder.mkdir()

        return fix
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return lambda: folder.chmod(0o755)
    tmpfs(folder, "ro,size=1m")
    return lambda: remount(folder, "rw")


@pytest.mark.parametrize("kind", ["read_only_folder", "documents_is_a_file"])
def test_unwritable_documents_folder_changes_nothing(
    kind: str, project_at: Callable[..., Project], tmpfs: Mount
) -> None:
    p = project_at(FROM)
    version = p.ok("status")["version"]
    fix = _read_only(kind, p.ws / "documents", tmpfs)

    failed = p.run("advance", STEP, "--json")

    assert failed.code == 1, failed.err
    assert failed.json()["error"] == "environment"
    message = failed.err.strip()
    assert str(p.ws / "documents") in message and "nothing was changed" in message, message
    assert len(message.splitlines()) == 1
    _unchanged(p, version)

    fix()
    assert p.ok("advance", STEP)["to"] == TO
    assert p.files() == [DOCX, PDF]
    assert p.verify()["ok"]


def test_full_documents_disk_keeps_the_step_and_render_restores(
    project_at: Callable[..., Project], tmpfs: Mount
) -> None:
    p = project_at(FROM)
    folder = p.ws / "documents"
    tmpfs(folder, "size=128k")  # room for the DOCX, not for the PDF

    failed = p.run("advance", STEP, "--json")

    assert failed.code == 1, failed.err
    assert failed.json()["error"] == "environment"
    message = failed.err.strip()
    assert "SP-1" in message and "docflow render" in message, message
    # The step is recorded; only files are missing, and no temporary file is left behind.
    assert p.ok("status")["state"] == TO
    problems = p.verify()["problems"]
    assert {x["kind"] for x in problems} == {"file_missing"}
    missing = {Path(x["file"]).name for x in problems}
    assert PDF in missing and missing <= {DOCX, PDF}
    assert not [f for f in p.files() if f.startswith(".")]

    remount(folder, "size=16m")
    assert {Path(f).name for f in p.ok("render")["restored"]} == missing
    assert p.files() == [DOCX, PDF]
    assert p.verify()["ok"]
    assert len(p.steps(STEP)) == 1


@pytest.mark.parametrize("backend", ["sqlite"])
def test_full_disk_under_the_store_rolls_the_step_back(
    backend: str, project_at: Callable[..., Project], tmpfs: Mount, tmp_path: Path
) -> None:
    disk = tmp_path / "disk"
    tmpfs(disk, "size=8m")
    p = project_at(FROM, disk)
    version = p.ok("status")["version"]
    # Leave room for the store's reads, not for the step's documents (over 500 KB).
    free = os.statvfs(disk)
    filler = disk / "filler"
    filler.write_bytes(bytes(free.f_bavail * free.f_frsize - 200 * 1024))

    failed = p.run("advance", STEP, "--json")

    assert failed.code == 1, failed.err
    assert failed.json()["error"] == "environment"
    message = failed.err.strip()
    assert "store" in message and "full" in message, message
    _unchanged(p, version)

    filler.unlink()
    assert p.ok("advance", STEP)["to"] == TO
    assert p.files() == [DOCX, PDF]
    assert p.verify()["ok"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_render_removes_only_temporary_files_of_dead_processes(
    backend: str, project_at: Callable[..., Project]
) -> None:
    p = project_at(FROM)
    dead = subprocess.Popen(["true"])  # a process that has exited: nobody writes its file
    dead.wait()
    folder = p.ws / "documents"
    left = folder / f".{DOCX}.{dead.pid}.tmp"
    live = folder / f".{PDF}.{os.getpid()}.tmp"  # this test's own process is still running
    left.write_bytes(b"half a file")
    live.write_bytes(b"being written")

    assert p.ok("render")["restored"] == []

    assert not left.exists() and live.exists()
    assert p.verify()["ok"]
