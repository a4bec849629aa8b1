"""Items kept in project.yaml that documents can be about: the entries of a declared list.

A workflow declares ``items: {session: {path: survey.sessions, key: date}}``; a document kind
``per: session`` is then issued once per entry of that list. An entry's key is its ``key``
field (or its position, 1, 2, ..., when the workflow names none), so that re-rendering finds
the same entry again after others were added.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docflow.documents.subjects import Subject
from docflow.errors import InvalidInput
from docflow.runtime.session import Session

__all__ = ["covered", "find_item", "items_of", "pending"]


def _resolve(data: Any, path: str) -> Any:
    node = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def items_of(session: Session, kind: str) -> list[Subject]:
    """Every entry of the list the workflow declares as item kind ``kind``, in list order."""
    declared = session.spec.items.get(kind)
    if declared is None:
        raise InvalidInput(f"workflow {session.spec.name} declares no item kind {kind!r}")
    entries = _resolve(session.data.model_dump(mode="python"), declared.path) or []
    if not isinstance(entries, list):
        raise InvalidInput(f"project.yaml: {declared.path} is not a list of {kind} items")
    subjects = []
    for index, entry in enumerate(entries, start=1):
        data = dict(entry) if isinstance(entry, Mapping) else {"value": entry}
        key = data.get(declared.key) if declared.key else index
        if key is None or str(key).strip() == "":
            continue  # an entry without its key is not an item yet (a guard says so)
        subjects.append(Subject(kind, str(key), data))
    return subjects


def find_item(session: Session, kind: str, key: str) -> Subject | None:
    """The entry of item kind ``kind`` whose key is ``key``, or None when it is gone."""
    return next((s for s in items_of(session, kind) if s.key == key), None)


def covered(session: Session, code: str) -> set[str]:
    """The subjects (``kind:key``) that live documents of kind ``code`` are about already."""
    from docflow.documents.snapshot import load_snapshot

    refs = set()
    for doc in session.documents:
        if doc.code != code or doc.status not in ("issued", "signed"):
            continue
        blob = session.store.blob(doc.data_sha256)
        subject = load_snapshot(blob).meta.subject if blob is not None else None
        if subject is not None:
            refs.add(subject)
    return refs


def pending(session: Session, code: str) -> list[Subject]:
    """The items of document kind ``code``'s item kind that no live document is about yet."""
    kind = session.spec.documents[code]
    if kind.per is None:
        return []
    done = covered(session, code)
    return [s for s in items_of(session, kind.per) if s.ref not in done]
