"""Checks of what the machine must provide for rendering: a Chinese font and HarfBuzz."""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess

from docflow.errors import EnvironmentProblem

__all__ = ["has_chinese_font", "require_fonts", "warn_if_no_subsetting"]

LOGGER = logging.getLogger("docflow.render")
NO_CJK_FONT = "no Chinese font installed: install the Debian package fonts-noto-cjk"


@functools.cache
def has_chinese_font() -> bool:
    """True when fontconfig lists a font covering Chinese (``fc-list :lang=zh``)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


def require_fonts(locale: str) -> None:
    """Raise :class:`EnvironmentProblem` when ``locale`` needs a Chinese font that is missing."""
    if locale.startswith("zh") and not has_chinese_font():
        raise EnvironmentProblem(NO_CJK_FONT)


@functools.cache
def warn_if_no_subsetting() -> bool:
    """Log one warning when HarfBuzz font subsetting is missing; True when it is available.

    Without it WeasyPrint embeds whole CJK fonts (megabytes per PDF) or falls back to slower
    subsetting.
    """
    from docflow.render.libs import import_weasyprint

    import_weasyprint()
    from weasyprint.text import ffi

    available = getattr(ffi, "harfbuzz_subset", None) is not None
    if not available:
        LOGGER.warning(
            "HarfBuzz subsetting is not available: install the Debian package "
            "libharfbuzz-subset0 to keep PDFs small"
        )
    return available
