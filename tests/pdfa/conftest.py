"""Fixtures of the PDF/A tests: both locales' lifecycle workspaces, and their documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pdfa_lifecycle import LOCALES, Issued, issued_document, make_lifecycle, run_docflow


@pytest.fixture(scope="session")
def lifecycles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both locales' lifecycle workspaces (made once per test session)."""
    root = tmp_path_factory.mktemp("lifecycle")
    return {locale: make_lifecycle(root, locale, run_docflow) for locale in LOCALES}


@pytest.fixture(scope="session")
def issued(lifecycles: dict[str, Path]) -> Callable[[str, str], Issued]:
    """``issued(code, locale)``: that kind's issued document in that locale's lifecycle."""
    return lambda code, locale: issued_document(lifecycles[locale], code, locale)
