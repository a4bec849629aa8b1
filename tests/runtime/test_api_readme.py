"""The README's Python API example runs as written and prints what its comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _example() -> str:
    text = README.read_text("utf-8")
    section = text[text.index("## Python API") :]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None, "the Python API section has no example"
    return match.group(1)


def test_the_example_is_ten_lines_at_most() -> None:
    lines = [line for line in _example().splitlines() if line.strip()]
    assert len(lines) <= 10


def test_the_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DOCFLOW_DATABASE_URL", "DOCFLOW_TEMPLATES", "DOCFLOW_TODAY"):
        monkeypatch.delenv(name, raising=False)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(_example(), "README.md", "exec"), {})
    assert printed.getvalue().splitlines() == [
        "documents/SP-1-v1.pdf",
        "survey.in_progress",
        "survey.in_progress",
    ]
    assert (tmp_path / "his" / "documents" / "SP-1-v1.pdf").is_file()
