"""Where a project lives on disk: finding the workspace, its files and template folders."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from docflow.errors import UsageError
from docflow.resources import data_path

__all__ = ["PROJECT_FILE", "Workspace", "atomic_write", "stale_temporaries", "template_dirs"]

PROJECT_FILE = "project.yaml"
# The name atomic_write gives its temporary file: ".<name>.<pid>.tmp".
_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.tmp$")


@dataclass(frozen=True)
class Workspace:
    """A folder holding project.yaml, documents/ and .docflow/."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Workspace:
        """The workspace at ``start`` or its nearest parent holding project.yaml (like git)."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / PROJECT_FILE).is_file():
                return cls(folder)
        raise UsageError(f"no docflow workspace at {here} or any parent folder (no {PROJECT_FILE})")

    @property
    def project_file(self) -> Path:
        """The PM's project data."""
        return self.root / PROJECT_FILE

    @property
    def documents_dir(self) -> Path:
        """Where rendered files are written."""
        return self.root / "documents"

    def template_dirs(self) -> tuple[Path, ...]:
        """Template lookup order: workspace templates/, DOCFLOW_TEMPLATES, built-in."""
        return template_dirs(self.root)


def template_dirs(root: Path | None) -> tuple[Path, ...]:
    """Template lookup order: ``root``'s templates/ (when given), DOCFLOW_TEMPLATES, built-in."""
    dirs: list[Path] = []
    local = root / "templates" if root is not None else None
    if local is not None and local.is_dir():
        dirs.append(local)
    env = os.environ.get("DOCFLOW_TEMPLATES")
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    dirs.append(data_path("doc_templates"))
    return tuple(dirs)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The bytes go to a temporary name in the same folder, are fsynced, then renamed over the
    target; the folder is fsynced so the rename survives a crash.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_temporaries(folder: Path) -> list[Path]:
    """Temporary files that :func:`atomic_write` left in ``folder`` when its process died.

    A temporary file names the process that wrote it; one whose process still runs is being
    written and is left alone.
    """
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _TEMP_NAME.match(path.name)
        if match and path.is_file() and not _alive(int(match.group(1))):
            found.append(path)
    return sorted(found)
