"""Render snapshots: the data a document version was made from, stored beside its files.

A snapshot holds the document's metadata, the rendered page HTML's hash, the template
fingerprint, the whole template context and what the template read of it
(:mod:`docflow.documents.reads`), as canonical JSON under ``"v": 1``. Re-rendering
reads it back to tell whether anything changed. The reader tolerates what later versions add
(unknown fields are ignored, missing ones take their defaults), so a field added to
:class:`docflow.render.DocMeta` never breaks re-rendering of documents issued before it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docflow.documents.reads import Read, decode_reads, encode_reads
from docflow.errors import IntegrityFailure
from docflow.store.chain import canonical_json

if TYPE_CHECKING:
    from docflow.render import DocMeta

__all__ = ["SNAPSHOT_VERSION", "StoredSnapshot", "dump_snapshot", "load_snapshot", "meta_from"]

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class StoredSnapshot:
    """A snapshot as read back: which format it was written in, and what it holds."""

    version: int
    meta: DocMeta
    html_sha256: str | None
    templates: str | None
    context: Mapping[str, Any]
    reads: tuple[Read, ...] | None = None  # None: written before reads were recorded


def dump_snapshot(
    meta: DocMeta,
    html_sha256: str,
    templates: str,
    context: Mapping[str, Any],
    reads: Sequence[Read] | None = None,
) -> bytes:
    """The stored bytes of a snapshot (canonical JSON, so equal data gives equal bytes)."""
    body: dict[str, Any] = {
        "v": SNAPSHOT_VERSION,
        "meta": dataclasses.asdict(meta),
        "html_sha256": html_sha256,
        "templates": templates,
        "context": context,
    }
    if reads is not None:
        body["reads"] = encode_reads(reads)
    return canonical_json(body).encode("utf-8")


def meta_from(stored: Mapping[str, Any]) -> DocMeta:
    """A DocMeta from its stored form, keeping only the fields this version knows."""
    from docflow.render import DocMeta

    fields = {f.name: f for f in dataclasses.fields(DocMeta)}
    values = {k: v for k, v in stored.items() if k in fields}
    if isinstance(values.get("issued_on"), str):
        values["issued_on"] = dt.date.fromisoformat(values["issued_on"])
    if "signers" in values:
        values["signers"] = tuple(values["signers"])
    missing = [
        name
        for name, f in fields.items()
        if name not in values
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise IntegrityFailure(
            f"the stored snapshot of {stored.get('id', 'a document')} lacks {', '.join(missing)}"
        )
    return DocMeta(**values)


def load_snapshot(blob: bytes) -> StoredSnapshot:
    """Read a stored snapshot of any version (those before ``v`` count as version 0)."""
    try:
        body = json.loads(blob)
        meta = body["meta"]
    except (ValueError, KeyError, TypeError) as exc:
        raise IntegrityFailure(f"a stored render snapshot cannot be read: {exc}") from exc
    return StoredSnapshot(
        version=int(body.get("v", 0)),
        meta=meta_from(meta),
        html_sha256=body.get("html_sha256"),
        templates=body.get("templates"),
        context=body.get("context") or {},
        reads=_reads_of(body.get("reads")),
    )


def _reads_of(data: Any) -> tuple[Read, ...] | None:
    reads = decode_reads(data)
    return tuple(reads) if reads is not None else None
