"""Compiled templates are kept in the user's cache folder, private, and follow edits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from docflow.render import context

RENDER = """
import sys
from pathlib import Path
from docflow.render.context import build_environment
env = build_environment((Path(sys.argv[1]),), "en")
print(env.get_template("note.html.j2").render(name="Li"))
"""


def _render(templates: Path, cache: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    proc = subprocess.run(
        [sys.executable, "-c", RENDER, str(templates)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return proc.stdout.strip()


def test_cache_folder_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = context._cache_dir()
    assert folder == str(tmp_path / "docflow" / "templates")
    assert os.stat(folder).st_mode & 0o777 == 0o700


def test_a_folder_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "docflow" / "templates"
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert context._cache_dir() is None


def test_compiled_templates_persist_and_follow_edits(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    note = templates / "note.html.j2"
    note.write_text("Hello {{ name }}", encoding="utf-8")
    assert _render(templates, cache) == "Hello Li"
    [entry] = (cache / "docflow" / "templates").iterdir()
    written = entry.stat().st_mtime_ns
    assert _render(templates, cache) == "Hello Li"
    assert entry.stat().st_mtime_ns == written  # loaded, not compiled and written again

    note.write_text("Goodbye {{ name }}", encoding="utf-8")
    assert _render(templates, cache) == "Goodbye Li"

    for stale in (cache / "docflow" / "templates").iterdir():
        stale.write_bytes(b"not a compiled template")
    assert _render(templates, cache) == "Goodbye Li"
    assert entry.name.endswith(".cache")


def test_an_unusable_cache_folder_still_renders(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "note.html.j2").write_text("Hi {{ name }}", encoding="utf-8")
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    assert _render(templates, blocked) == "Hi Li"
