"""The page frame around a document's body: running header text and page-footer words.

The footer words come from ``labels.page`` ({before, middle, after}) when a labels file sets
them, else from the built-in table below; both renderers use the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PageWords", "page_words"]

_BUILTIN = {
    "zh-CN": ("第 ", " 页 共 ", " 页"),
    "en": ("Page ", " of ", ""),
}


@dataclass(frozen=True)
class PageWords:
    """Footer text around the two numbers: ``before N middle M after``."""

    before: str
    middle: str
    after: str


def page_words(locale: str, labels: Mapping[str, Any]) -> PageWords:
    """The page-footer words of ``locale``, overridden by ``labels.page``."""
    before, middle, after = _BUILTIN.get(locale, _BUILTIN["en"])
    own = labels.get("page")
    if isinstance(own, Mapping):
        before = str(own.get("before", before))
        middle = str(own.get("middle", middle))
        after = str(own.get("after", after))
    return PageWords(before, middle, after)
