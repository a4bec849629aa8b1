"""The command line is argument parsing and printing over ``docflow.api``: it imports nothing
else of docflow but its errors, and library errors never name its flags."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "engine" / "docflow"
ALLOWED = ("docflow.api", "docflow.errors", "docflow.cli")
FLAG = re.compile(r"--[a-z][a-z0-9-]+")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("docflow"):
            names += [node.module] if node.module != "docflow" else [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names if a.name.startswith("docflow")]
    return names


@pytest.mark.parametrize(
    "path",
    sorted((ENGINE / "cli").rglob("*.py")),
    ids=lambda p: str(p.relative_to(ENGINE)),
)
def test_the_cli_imports_only_the_api(path: Path) -> None:
    stray = [
        name
        for name in _imports(path)
        if name not in ("api", "__version__") and not name.startswith(ALLOWED)
    ]
    assert stray == []


def _raised_messages(path: Path) -> list[tuple[int, str]]:
    """The string constants inside every ``raise`` statement of a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            for part in ast.walk(node.exc):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found.append((node.lineno, part.value))
    return found


LIBRARY = [
    p
    for pkg in ("api", "app", "changes", "documents", "views", "runtime")
    for p in sorted((ENGINE / pkg).rglob("*.py"))
]


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ENGINE)))
def test_library_errors_name_no_flag(path: Path) -> None:
    flags = [(line, text) for line, text in _raised_messages(path) if FLAG.search(text)]
    assert flags == []


def test_the_changes_package_imports_nothing_itself() -> None:
    """Modules join docflow.changes from other work without touching its __init__."""
    body = ast.parse((ENGINE / "changes" / "__init__.py").read_text("utf-8")).body
    assert len(body) == 1 and isinstance(body[0], ast.Expr)
