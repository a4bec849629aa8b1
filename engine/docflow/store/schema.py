"""The store's tables as SQLAlchemy Core metadata (the Alembic revisions create the same).

Projects are looked up by their unique ``code``; every other table keys on ``project_id``
first, so reading one project's events, documents or signatures is an index range scan even
with thousands of projects. Times are UTC ISO-8601 strings, JSON columns hold plain JSON.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "blobs",
    "certificates",
    "change_requests",
    "counters",
    "declines",
    "documents",
    "events",
    "links",
    "metadata",
    "projects",
    "rate_limits",
    "signatures",
    "users",
    "web_sessions",
]

metadata = MetaData()

_TIME = 40  # "2026-11-24T07:46:45.123+00:00"
_SHA = 64

projects = Table(
    "projects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("workflow", String(200), nullable=False),
    Column("locale", String(16), nullable=False),
    Column("state", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("workspace", Text, nullable=False),
    Column("baseline", JSON(none_as_null=True), nullable=True),
    Column("head_seq", Integer, nullable=False),
    Column("head_hash", String(_SHA), nullable=False),
    Column("created_at", String(_TIME), nullable=False),
    Column("updated_at", String(_TIME), nullable=False),
    Index("ix_projects_code", "code", unique=True),
)

events = Table(
    "events",
    metadata,
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", String(_TIME), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("type", String(200), nullable=False),
    Column("data", JSON, nullable=False),
    Column("data_sha256", String(_SHA), nullable=False),
    Column("prev_hash", String(_SHA), nullable=False),
    Column("hash", String(_SHA), nullable=False),
    PrimaryKeyConstraint("project_id", "seq", name="pk_events"),
)

counters = Table(
    "counters",
    metadata,
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("value", Integer, nullable=False),
    PrimaryKeyConstraint("project_id", "name", name="pk_counters"),
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(_SHA), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("doc_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("code", String(32), nullable=False),
    Column("template", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("status", String(32), nullable=False),
    Column("annex", Integer, nullable=True),
    Column("issued_on", String(10), nullable=False),
    Column("docx_sha256", String(_SHA), nullable=False),
    Column("pdf_sha256", String(_SHA), nullable=False),
    Column("data_sha256", String(_SHA), nullable=False),
    Column("signed_pdf_sha256", String(_SHA), nullable=True),
    Column("event_seq", Integer, nullable=False),
    Column("files", JSON, nullable=False),
    UniqueConstraint("project_id", "doc_id", "version", name="uq_documents_version"),
)

signatures = Table(
    "signatures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("doc_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("party", String(32), nullable=False),
    Column("signer", Text, nullable=False),
    Column("signed_on", String(_TIME), nullable=False),
    Column("method", String(16), nullable=False),
    Column("file_sha256", String(_SHA), nullable=True),
    Column("file_name", Text, nullable=True),
    Column("certificate", Text, nullable=True),
    Column("trust", Text, nullable=True),
    Column("actor", String(200), nullable=False),
    Column("at", String(_TIME), nullable=False),
    UniqueConstraint("project_id", "doc_id", "version", "party", name="uq_signatures_party"),
    ForeignKeyConstraint(
        ["project_id", "doc_id", "version"],
        ["documents.project_id", "documents.doc_id", "documents.version"],
        name="fk_signatures_document",
    ),
)

change_requests = Table(
    "change_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("cr_id", String(64), nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(32), nullable=False),
    Column("body", JSON, nullable=False),
    Column("annex", Integer, nullable=True),
    Column("doc_id", String(64), nullable=True),
    Column("requested_by", String(200), nullable=False),
    Column("requested_at", String(_TIME), nullable=False),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", String(_TIME), nullable=True),
    Column("decision_reason", Text, nullable=True),
    UniqueConstraint("project_id", "cr_id", name="uq_change_requests_cr"),
)

# -- the signing portal ----------------------------------------------------------------------
# Links, declines and completion certificates belong to a project; accounts, their sessions
# and the rate-limit counters belong to the server. A link's token and a session's cookie are
# stored only as their sha256.

links = Table(
    "links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("link_id", String(32), nullable=False),
    Column("token_sha256", String(_SHA), nullable=False),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("doc_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("party", String(32), nullable=False),
    Column("email", Text, nullable=True),
    Column("created_by", String(200), nullable=False),
    Column("created_at", String(_TIME), nullable=False),
    Column("expires_at", String(_TIME), nullable=False),
    Column("revoked_at", String(_TIME), nullable=True),
    Column("revoked_by", String(200), nullable=True),
    Column("used_at", String(_TIME), nullable=True),
    Column("viewed_at", String(_TIME), nullable=True),
    Column("code_sha256", String(_SHA), nullable=True),
    Column("code_expires_at", String(_TIME), nullable=True),
    Column("code_attempts", Integer, nullable=False),
    Index("ix_links_link_id", "link_id", unique=True),
    Index("ix_links_token", "token_sha256", unique=True),
    Index("ix_links_project", "project_id", "doc_id"),
)

declines = Table(
    "declines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("doc_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("party", String(32), nullable=False),
    Column("signer", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("link_id", String(32), nullable=True),
    Column("ip", String(64), nullable=True),
    Column("user_agent", Text, nullable=True),
    Column("at", String(_TIME), nullable=False),
    Index("ix_declines_project", "project_id", "doc_id"),
)

certificates = Table(
    "certificates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project_id", Integer, ForeignKey("projects.id"), nullable=False),
    Column("doc_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),
    Column("sha256", String(_SHA), nullable=False),
    Column("file", Text, nullable=False),
    Column("made_at", String(_TIME), nullable=False),
    UniqueConstraint("project_id", "doc_id", "version", name="uq_certificates_version"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", String(_TIME), nullable=False),
    Index("ix_users_name", "name", unique=True),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_sha256", String(_SHA), primary_key=True),
    Column("user_name", String(200), nullable=False),
    Column("created_at", String(_TIME), nullable=False),
    Column("expires_at", String(_TIME), nullable=False),
)

rate_limits = Table(
    "rate_limits",
    metadata,
    Column("bucket", String(_SHA), primary_key=True),
    Column("slot", Integer, nullable=False),
    Column("hits", Integer, nullable=False),
)
