"""Template files confined to their folders: the Jinja loader of every document.

A template (the kind template and whatever it includes, imports or extends, and the Jinja in
frame.docx) is read only from inside the template folders: its real path, symbolic links
resolved, must lie in one of them, as for every file the PDF renderer fetches
(:mod:`docflow.render.fetcher`). A name with ``..``, an absolute name, a backslash and a
link leading elsewhere are each a TemplateError naming the file (exit 4); a template file
over :data:`MAX_TEMPLATE_BYTES` or that is not a regular file is refused too.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader

from docflow.errors import TemplateError

__all__ = ["MAX_TEMPLATE_BYTES", "ConfinedLoader"]

MAX_TEMPLATE_BYTES = 4 * 1024 * 1024


class ConfinedLoader(FileSystemLoader):
    """A FileSystemLoader that reads only regular files whose real path is in its folders."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__([str(root) for root in roots], encoding="utf-8")
        self.roots = tuple(root.resolve() for root in roots)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The source of ``template``, refusing names and files outside the folders."""
        from jinja2 import TemplateNotFound

        pieces = [piece for piece in template.split("/") if piece not in ("", ".")]
        if template.startswith("/") or ".." in pieces or "\x00" in template or "\\" in template:
            raise TemplateError(
                f"template name {template[:80]!r} is not allowed: name a file inside the "
                "template folders by a relative path without '..'",
                template[:80],
            )
        for root in self.searchpath:
            candidate = posixpath.join(root, *pieces)
            if os.path.isfile(candidate):
                return self._read(candidate, template)
        looked = ", ".join(self.searchpath)
        raise TemplateNotFound(template, f"{template!r} not found in {looked}")

    def _read(self, candidate: str, template: str) -> tuple[str, str, Callable[[], bool]]:
        real = Path(candidate).resolve()
        if not any(real.is_relative_to(root) for root in self.roots):
            raise TemplateError(
                f"{candidate} leads outside the template folders (to {real}); templates "
                "are read only from inside them",
                template,
            )
        with open(real, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise TemplateError(f"{candidate} is not a regular file", template)
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
        if len(data) > MAX_TEMPLATE_BYTES:
            raise TemplateError(
                f"{candidate} is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MiB", template
            )
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateError(f"{candidate} is not UTF-8 text", template) from exc
        mtime = os.path.getmtime(real)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(real) == mtime
            except OSError:
                return False

        return source, os.path.normpath(candidate), uptodate
