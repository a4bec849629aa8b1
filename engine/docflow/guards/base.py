"""What a guard is: a typed, parameterised check over a read-only project snapshot.

Guards never touch the store. The runtime hands them a :class:`Snapshot` (project data plus
document, signature and change facts) and they answer with every :class:`Blocker` they find,
each a sentence in the project's locale naming the ``project.yaml`` path or document to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict

from docflow.guards.facts import RecordFacts

__all__ = ["Blocker", "DocFacts", "GuardType", "Params", "Snapshot", "is_empty", "resolve"]


@dataclass(frozen=True)
class Blocker:
    """One reason a step may not happen yet."""

    guard: str
    message: str
    path: str | None = None
    document: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``blockers[]`` of ``status`` and ``advance``)."""
        return {
            "guard": self.guard,
            "message": self.message,
            "path": self.path,
            "document": self.document,
        }


@dataclass(frozen=True)
class DocFacts:
    """What guards may know about the newest live version of one document."""

    id: str
    code: str
    title: str
    version: int
    status: str
    signed_by: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Snapshot:
    """The read-only view of a project that guards evaluate."""

    data: Mapping[str, Any]
    locale: str
    documents: Mapping[str, DocFacts] = field(default_factory=dict)  # by document code
    document_titles: Mapping[str, str] = field(default_factory=dict)  # code -> localized title
    open_changes: tuple[str, ...] = ()
    # The current requirement set (baseline plus effective changes, delivery as project.yaml
    # records it); None means project.yaml's own list.
    requirements: tuple[Mapping[str, Any], ...] | None = None
    # Meetings and their confirmations, action items, the satisfaction survey.
    records: RecordFacts = field(default_factory=RecordFacts)

    def say(self, zh: str, en: str) -> str:
        """Pick the sentence for the language of messages (the project's unless chosen)."""
        from docflow.runtime.lang import message_locale

        return zh if message_locale(self.locale).startswith("zh") else en


class Params(BaseModel):
    """Base of every guard's parameter model: strict, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class GuardType(Protocol):
    """A kind of guard, registered by name (built-in or through entry points)."""

    name: ClassVar[str]
    params: ClassVar[type[Params]]

    def evaluate(self, params: Any, snap: Snapshot) -> list[Blocker]:
        """Return every blocker found (empty when the guard passes)."""
        ...


_MISSING = object()


def resolve(data: Any, path: str) -> Any:
    """Follow a dotted path (``contract.schedule.start``) through dicts; missing gives None."""
    node: Any = data
    for part in path.split("."):
        if isinstance(node, Mapping):
            node = node.get(part, _MISSING)
        else:
            node = getattr(node, part, _MISSING)
        if node is _MISSING:
            return None
    return node


def is_empty(value: Any) -> bool:
    """True for None, blank strings and empty collections (False and 0 count as given)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict | set | frozenset):
        return len(value) == 0
    return False
