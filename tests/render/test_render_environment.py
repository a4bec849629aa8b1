"""What rendering needs from the machine: HarfBuzz subsetting and WeasyPrint's version."""

from __future__ import annotations

import logging

import pytest

from docflow.errors import EnvironmentProblem
from docflow.render import fonts, pdf


def test_warns_once_without_harfbuzz_subsetting(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A missing libharfbuzz-subset is logged once, naming the package to install."""
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    fonts.warn_if_no_subsetting.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="docflow.render"):
            assert fonts.warn_if_no_subsetting() is False
            assert fonts.warn_if_no_subsetting() is False
    finally:
        fonts.warn_if_no_subsetting.cache_clear()
    messages = [r.getMessage() for r in caplog.records if r.name == "docflow.render"]
    assert len(messages) == 1 and "libharfbuzz-subset0" in messages[0]


def test_old_weasyprint_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint before 70 is an EnvironmentProblem that says what to upgrade."""
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "65.1")
    with pytest.raises(EnvironmentProblem, match=r"WeasyPrint 65\.1 is too old"):
        pdf._weasyprint()
