"""Ids and parties as people type them, in their one canonical form.

``sp-1``, ``SP1``, ``sp 01`` all mean document ``SP-1``; ``cr-3`` means ``CR-3``; ``Client``,
``甲方``, ``甲`` and ``Party A`` mean the party ``client``, ``乙方`` and ``Party B`` the
``vendor``. Every command and the library's :class:`docflow.api.Project` read ids and parties
through these functions, so what one command accepts, all accept.
"""

from __future__ import annotations

import re
import unicodedata

from docflow.errors import UsageError

__all__ = ["PARTY_NAMES", "change_id", "doc_id", "party"]

_ID = re.compile(r"^([A-Za-z][A-Za-z0-9]{0,7}?)[\s_-]*0*(\d+)$")

#: The words accepted for each party (compared case-insensitively).
PARTY_NAMES: dict[str, tuple[str, ...]] = {
    "client": ("client", "甲方", "甲", "party a", "party-a", "a"),
    "vendor": ("vendor", "乙方", "乙", "party b", "party-b", "b"),
}


def doc_id(text: str) -> str:
    """``sp-1``/``SP1``/``Sp-01`` -> ``SP-1``; anything else comes back stripped, unchanged."""
    value = unicodedata.normalize("NFKC", text).strip()
    match = _ID.match(value)
    if match is None:
        return value
    return f"{match.group(1).upper()}-{int(match.group(2))}"


def change_id(text: str) -> str:
    """``cr-3``/``CR3``/``3`` -> ``CR-3``."""
    value = unicodedata.normalize("NFKC", text).strip()
    if value.isdigit():
        return f"CR-{int(value)}"
    return doc_id(value)


def party(text: str) -> str:
    """``Client``/``甲方``/``Party A`` -> ``client``; ``乙方``/``Party B`` -> ``vendor``.

    Raises UsageError naming the accepted words for anything else.
    """
    value = " ".join(unicodedata.normalize("NFKC", text).strip().lower().split())
    for name, words in PARTY_NAMES.items():
        if value in words:
            return name
    raise UsageError(f"unknown party {text!r}: client (甲方, Party A) or vendor (乙方, Party B)")
