"""The portal's row types: links, declines, certificates, accounts and web sessions.

Frozen dataclasses of plain values, like the project rows of :mod:`docflow.store.base`;
times are UTC ISO-8601 strings. ``project`` is the project's code (the tables keep its id).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["CertificateRow", "DeclineRow", "LinkRow", "UserRow", "WebSessionRow", "row_of"]

T = TypeVar("T")


def row_of(cls: type[T], row: Mapping[str, Any]) -> T:
    """A database row as the dataclass ``cls`` (columns it does not name are left out)."""
    fields: Any = getattr(cls, "__dataclass_fields__")  # noqa: B009 -- typed as a dataclass
    return cls(**{name: row[name] for name in fields})


@dataclass(frozen=True)
class LinkRow:
    """One signing link: a token (kept as its sha256) for one party of one document version."""

    link_id: str
    token_sha256: str
    project: str
    doc_id: str
    version: int
    party: str
    email: str | None
    created_by: str
    created_at: str
    expires_at: str
    revoked_at: str | None
    revoked_by: str | None
    used_at: str | None
    viewed_at: str | None
    code_sha256: str | None
    code_expires_at: str | None
    code_attempts: int


@dataclass(frozen=True)
class DeclineRow:
    """A party that declined to sign a document version, and why."""

    project: str
    doc_id: str
    version: int
    party: str
    signer: str
    reason: str
    link_id: str | None
    ip: str | None
    user_agent: str | None
    at: str


@dataclass(frozen=True)
class CertificateRow:
    """The completion certificate of a fully signed document version (its blob by sha256)."""

    project: str
    doc_id: str
    version: int
    sha256: str
    file: str
    made_at: str


@dataclass(frozen=True)
class UserRow:
    """A PM account of the dashboard; the password is kept as an argon2 hash."""

    name: str
    password_hash: str
    created_by: str
    created_at: str


@dataclass(frozen=True)
class WebSessionRow:
    """A dashboard login; the cookie is kept as its sha256."""

    token_sha256: str
    user_name: str
    created_at: str
    expires_at: str
