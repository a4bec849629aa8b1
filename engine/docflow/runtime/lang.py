"""The language of a message: the project's locale, else the user's (``LANG``).

Every sentence docflow adds is written in both zh-CN and English; :func:`say` picks one. A
message about a project follows the project's locale; one given before any project is open
(a command-line value) follows ``LC_ALL`` / ``LC_MESSAGES`` / ``LANG``.

What is printed for people may follow another language than the project's: ``--lang`` (or
``LANG`` naming zh or en) chooses it through :func:`chosen_locale`, and
:func:`set_message_locale` makes the sentences guards compute follow it. Documents never do:
their language is the project's.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar

__all__ = [
    "chosen_locale",
    "message_locale",
    "normalize_locale",
    "say",
    "set_message_locale",
    "sniff_locale",
    "user_locale",
]

# The language chosen for messages (None: each project's own).
_MESSAGES: ContextVar[str | None] = ContextVar("docflow_message_locale", default=None)
# True while a command prints JSON: messages there read as they always have, for machines.
_MACHINE: ContextVar[bool] = ContextVar("docflow_machine_messages", default=False)


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


def normalize_locale(value: str) -> str | None:
    """``zh-CN`` for zh, zh_CN, zh-CN.UTF-8...; ``en`` for en, en_US...; None otherwise."""
    low = value.strip().lower()
    if low.startswith("zh"):
        return "zh-CN"
    if low == "en" or low.startswith(("en_", "en-", "en.")):
        return "en"
    return None


def chosen_locale(option: str | None) -> str | None:
    """The language the user chose for messages: ``option`` (``--lang``), else the first of
    ``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` that is set, when it names zh or en; None when
    nothing was chosen (``C``, ``POSIX`` and unset choose nothing) and the project's locale
    applies."""
    if option:
        return normalize_locale(option)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return normalize_locale(value)
    return None


def set_message_locale(locale: str | None, *, machine: bool = False) -> None:
    """Make messages computed from now on speak ``locale`` (None: each project's own);
    ``machine`` (JSON output) keeps every message as JSON has always carried it."""
    _MESSAGES.set(locale)
    _MACHINE.set(machine)


def message_locale(project_locale: str, machine: str | None = None) -> str:
    """The language of a message about a project whose locale is ``project_locale``.

    ``machine`` is the language the message has in JSON output when it is not the
    project's (a sentence JSON has always carried in English says ``"en"``)."""
    if _MACHINE.get():
        return machine or project_locale
    return _MESSAGES.get() or project_locale


def sniff_locale(text: str) -> str | None:
    """The locale a project.yaml's text sets on its top-level ``locale:`` line, read without
    parsing (the file may not parse); None when no such line names zh or en."""
    found = re.search(r"^locale[ \t]*:[ \t]*[\"']?([A-Za-z_.-]+)", text, re.M)
    return normalize_locale(found.group(1)) if found else None
