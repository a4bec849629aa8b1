"""The initial schema: projects, events, counters, blobs, documents, signatures, changes.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_TIME = 40
_SHA = 64


def _project_fk() -> sa.Column[int]:
    return sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False)


def upgrade() -> None:
    """Create every table of the store."""
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("workflow", sa.String(200), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("workspace", sa.Text, nullable=False),
        sa.Column("baseline", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("head_seq", sa.Integer, nullable=False),
        sa.Column("head_hash", sa.String(_SHA), nullable=False),
        sa.Column("created_at", sa.String(_TIME), nullable=False),
        sa.Column("updated_at", sa.String(_TIME), nullable=False),
    )
    op.create_index("ix_projects_code", "projects", ["code"], unique=True)
    op.create_table(
        "events",
        _project_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", sa.String(_TIME), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("data_sha256", sa.String(_SHA), nullable=False),
        sa.Column("prev_hash", sa.String(_SHA), nullable=False),
        sa.Column("hash", sa.String(_SHA), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "seq", name="pk_events"),
    )
    op.create_table(
        "counters",
        _project_fk(),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "name", name="pk_counters"),
    )
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(_SHA), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _project_fk(),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("template", sa.String(200), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("annex", sa.Integer, nullable=True),
        sa.Column("issued_on", sa.String(10), nullable=False),
        sa.Column("docx_sha256", sa.String(_SHA), nullable=False),
        sa.Column("pdf_sha256", sa.String(_SHA), nullable=False),
        sa.Column("data_sha256", sa.String(_SHA), nullable=False),
        sa.Column("signed_pdf_sha256", sa.String(_SHA), nullable=True),
        sa.Column("event_seq", sa.Integer, nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
        sa.UniqueConstraint("project_id", "doc_id", "version", name="uq_documents_version"),
    )
    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _project_fk(),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("party", sa.String(32), nullable=False),
        sa.Column("signer", sa.Text, nullable=False),
        sa.Column("signed_on", sa.String(_TIME), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("file_sha256", sa.String(_SHA), nullable=True),
        sa.Column("file_name", sa.Text, nullable=True),
        sa.Column("certificate", sa.Text, nullable=True),
        sa.Column("trust", sa.Text, nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.String(_TIME), nullable=False),
        sa.UniqueConstraint("project_id", "doc_id", "version", "party", name="uq_signatures_party"),
        sa.ForeignKeyConstraint(
            ["project_id", "doc_id", "version"],
            ["documents.project_id", "documents.doc_id", "documents.version"],
            name="fk_signatures_document",
        ),
    )
    op.create_table(
        "change_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _project_fk(),
        sa.Column("cr_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("annex", sa.Integer, nullable=True),
        sa.Column("doc_id", sa.String(64), nullable=True),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("requested_at", sa.String(_TIME), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.String(_TIME), nullable=True),
        sa.Column("decision_reason", sa.Text, nullable=True),
        sa.UniqueConstraint("project_id", "cr_id", name="uq_change_requests_cr"),
    )


def downgrade() -> None:
    """Drop every table of the store."""
    for table in ("change_requests", "signatures", "documents", "blobs", "counters", "events"):
        op.drop_table(table)
    op.drop_index("ix_projects_code", table_name="projects")
    op.drop_table("projects")
