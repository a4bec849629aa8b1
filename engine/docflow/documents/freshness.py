"""Whether an issued document still matches the current data, and what differs: no rendering.

Re-rendering decides by rendering the document again and comparing its page HTML. ``status``
must stay fast, so it compares data instead: the context a version was made from (stored in
its snapshot) against the context it would be made from now, at the paths its template read
(:mod:`docflow.documents.reads`). A difference at a read path is one the document shows. Two
things are not compared: ``documents`` (the list of the project's other documents, which
grows with every step; the kinds that cite another document read only its number) and, for
signed documents, template edits (a signed document is frozen; what matters is whether its
content still holds). The values every page prints through the document's metadata (project
name and code, contract number: ``documents.jobs.PRINTED_DATA``) count as read by every
document. Snapshots written before reads were recorded are compared whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docflow.documents.reads import Path, Read
from docflow.runtime.session import LIVE, Session

if TYPE_CHECKING:
    from docflow.documents.snapshot import StoredSnapshot
    from docflow.documents.subjects import Subject
    from docflow.store.base import DocumentRow

#: Finds the item a document is about as its data reads now (``app.subjects.find_subject``).
SubjectFinder = Callable[[Session, "DocumentRow", str | None], "Subject | None"]

__all__ = ["NOT_COMPARED", "Check", "Difference", "Freshness", "SubjectFinder", "compare"]

#: Context keys left out of the comparison (see the module docstring).
NOT_COMPARED = frozenset({"documents"})
_MISSING: Any = object()
Concrete = tuple[str | int, ...]


@dataclass(frozen=True)
class Difference:
    """One thing that differs: where in the context, how, and the values (JSON data)."""

    path: Concrete
    change: str  # changed | added | removed | count | template | unreadable
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class Check:
    """What differs for one document, with the two contexts it was found in (JSON data)."""

    differences: tuple[Difference, ...] = ()
    stored: Mapping[str, Any] | None = None
    current: Mapping[str, Any] | None = None


def _leaves(old: Any, new: Any, at: Concrete) -> Iterator[Difference]:
    """Every leaf that differs below ``at``; equal subtrees are skipped whole."""
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new)):
            yield from _leaves(old.get(key, _MISSING), new.get(key, _MISSING), (*at, key))
        return
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            yield Difference(at, "count", len(old), len(new))
        for index in range(min(len(old), len(new))):
            yield from _leaves(old[index], new[index], (*at, index))
        return
    yield _difference(at, old, new)


def _difference(at: Concrete, old: Any, new: Any) -> Difference:
    if old is _MISSING:
        return Difference(at, "added", None, new)
    if new is _MISSING:
        return Difference(at, "removed", old, None)
    return Difference(at, "changed", old, new)


def _general(path: Concrete) -> Path:
    """A concrete path as a read names it: list positions become ``None``."""
    return tuple(None if isinstance(s, int) else s for s in path)


class _Index:
    """The reads of a snapshot, indexed by mode for the question "was this read?"."""

    def __init__(self, reads: Sequence[Read]) -> None:
        self.value = {p for m, p in reads if m == "value"}
        self.shape = {p for m, p in reads if m == "shape"}
        self.whole = {p for m, p in reads if m == "whole"}

    def covers(self, diff: Difference) -> bool:
        """True when the template read what ``diff`` is about."""
        path = _general(diff.path)
        if any(path[:n] in self.whole for n in range(1, len(path) + 1)):
            return True
        if diff.change == "count":
            return path in self.shape
        if diff.change in ("added", "removed") and path[:-1] in self.shape:
            return True  # a key that appeared or went from a mapping whose keys were read
        return path in self.value


def compare(
    stored: Mapping[str, Any], current: Mapping[str, Any], reads: Sequence[Read] | None
) -> list[Difference]:
    """What differs between two contexts (JSON data) where the template read, in a stable
    order (everything that differs when ``reads`` is None).

    The contexts are walked once, equal subtrees skipped whole (an unchanged project costs one
    comparison per top-level key); each difference found is kept if a read covers it.
    """
    index = _Index(reads) if reads is not None else None
    found = []
    for key in sorted((set(stored) | set(current)) - NOT_COMPARED):
        for diff in _leaves(stored.get(key, _MISSING), current.get(key, _MISSING), (key,)):
            if index is None or index.covers(diff):
                found.append(diff)
    return found


@dataclass
class Freshness:
    """The freshness of a session's documents; builds each current context once."""

    session: Session
    find_subject: SubjectFinder | None = None
    _contexts: dict[tuple[str | None, int | None], Any] = field(default_factory=dict)
    _fingerprint: str | None = None

    def _current(self, doc: DocumentRow, stored: StoredSnapshot) -> Any:
        from docflow.documents.context import build_context
        from docflow.store.chain import jsonable

        ref = stored.meta.subject
        key = (ref, doc.annex)
        if key not in self._contexts:
            if self.find_subject is None:
                # Finding a document's subject again is the use cases' rule (app.subjects).
                from docflow.app.subjects import find_subject

                self.find_subject = find_subject
            subject = self.find_subject(self.session, doc, ref)
            self._contexts[key] = jsonable(build_context(self.session, subject, doc.annex))
        return self._contexts[key]

    def _templates(self) -> str:
        if self._fingerprint is None:
            from docflow.documents.jobs import templates_fingerprint

            self._fingerprint = templates_fingerprint(self.session.template_dirs())
        return self._fingerprint

    def check(self, doc: DocumentRow) -> Check:
        """What differs between ``doc`` as issued and the current data (nothing when it
        matches, and for documents that are superseded or void)."""
        from docflow.documents.snapshot import load_snapshot
        from docflow.errors import DocflowError, IntegrityFailure

        if doc.status not in LIVE:
            return Check()
        blob = self.session.store.blob(doc.data_sha256)
        try:
            stored = load_snapshot(blob) if blob is not None else None
        except IntegrityFailure:
            stored = None
        if stored is None:
            # Damage is verify's to report; status only says it cannot tell.
            return Check((Difference((), "unreadable"),))
        try:
            current = self._current(doc, stored)
        except DocflowError:
            # The item the document is about is gone from project.yaml: that is a difference.
            ref = stored.meta.subject or "subject"
            return Check((Difference(("subject",), "removed", ref, None),), stored.context)
        from docflow.documents.jobs import PRINTED_DATA

        # The page header prints the project's name and contract number from the document's
        # metadata, made from these context values: every document shows them.
        reads = None if stored.reads is None else [*stored.reads, *PRINTED_DATA]
        diffs = compare(stored.context, current, reads)
        if doc.status == "issued" and stored.templates != self._templates():
            diffs.append(Difference((), "template"))
        return Check(tuple(diffs), stored.context, current)
