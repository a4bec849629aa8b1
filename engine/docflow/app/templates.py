"""Template customisation: which template file wins, and copying a built-in one to edit."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from docflow.errors import Conflict, InvalidInput
from docflow.resources import data_path
from docflow.runtime.result import Result
from docflow.runtime.workspace import Workspace

__all__ = ["TemplateFile", "copy_template", "list_templates"]


@dataclass(frozen=True)
class TemplateFile(Result):
    """A template name and the file that is used for it (workspace, env or built-in)."""

    name: str
    source: str
    path: str


def _builtin_files() -> list[str]:
    root = data_path("doc_templates")
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and not p.relative_to(root).parts[0].startswith("_test")
    )


def list_templates(ws: Workspace) -> list[TemplateFile]:
    """Every built-in template name with the file that would be used for it."""
    dirs = ws.template_dirs()
    env_dirs = {Path(p) for p in os.environ.get("DOCFLOW_TEMPLATES", "").split(os.pathsep) if p}
    rows = []
    for name in _builtin_files():
        for folder in dirs:
            candidate = folder / name
            if candidate.is_file():
                source = (
                    "workspace"
                    if folder == ws.root / "templates"
                    else "env"
                    if folder in env_dirs
                    else "built-in"
                )
                rows.append(TemplateFile(name, source, str(candidate)))
                break
    return rows


def copy_template(
    ws: Workspace, kind: str, locale: str | None, *, force: bool = False
) -> list[str]:
    """Copy built-in files matching KIND into the workspace's templates/ folder."""
    names = [
        n
        for n in _builtin_files()
        if Path(n).name in (kind, f"{kind}.html.j2")
        and (locale is None or Path(n).parts[0] == locale or len(Path(n).parts) == 1)
    ]
    if not names:
        known = sorted({Path(n).name.removesuffix(".html.j2") for n in _builtin_files()})
        raise InvalidInput(f"no built-in template {kind!r} (known: {', '.join(known)})")
    written = []
    for name in names:
        target = ws.root / "templates" / name
        if target.exists() and not force:
            raise Conflict(f"{target} exists already")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data_path("doc_templates") / name, target)
        written.append(str(target.relative_to(ws.root)))
    return written
