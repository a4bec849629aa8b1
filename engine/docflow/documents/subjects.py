"""The subject of a document issued about one item: a change request, a meeting, a period.

A document kind declared ``per: <item kind>`` in the workflow is issued once per item and
numbered per kind like any other. Its template finds the item's data under ``subject`` (and
under the item kind's own name, e.g. ``change``); the document's metadata records the
subject's reference ``<item kind>:<key>`` so that re-rendering finds the same item again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docflow.errors import IntegrityFailure

__all__ = ["Subject", "parse_ref"]


@dataclass(frozen=True)
class Subject:
    """One item a document is about: its kind, its key within the kind, its template data."""

    kind: str
    key: str
    data: Mapping[str, Any]

    @property
    def ref(self) -> str:
        """The reference recorded in the document's metadata: ``<kind>:<key>``."""
        return f"{self.kind}:{self.key}"


def parse_ref(ref: str) -> tuple[str, str]:
    """``"change:CR-1"`` -> ("change", "CR-1"); the kind never holds a colon, the key may."""
    kind, sep, key = ref.partition(":")
    if not sep or not kind or not key:
        raise IntegrityFailure(f"{ref!r} is not a document subject (<item kind>:<key>)")
    return kind, key
