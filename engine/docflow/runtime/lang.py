"""The language of a message: the project's locale, else the user's (``LANG``).

Every sentence docflow adds is written in both zh-CN and English; :func:`say` picks one. A
message about a project follows the project's locale; one given before any project is open
(a command-line value) follows ``LC_ALL`` / ``LC_MESSAGES`` / ``LANG``.
"""

from __future__ import annotations

import os

__all__ = ["say", "user_locale"]


def user_locale() -> str:
    """``zh-CN`` when the user's environment asks for Chinese, else ``en``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh-CN" if value.lower().startswith("zh") else "en"
    return "en"


def say(locale: str | None, zh: str, en: str) -> str:
    """``zh`` for a Chinese locale, else ``en``; ``locale`` None means the user's."""
    return zh if (locale or user_locale()).lower().startswith("zh") else en
