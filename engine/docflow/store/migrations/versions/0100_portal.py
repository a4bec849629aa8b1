"""The signing portal: links, declines, completion certificates, accounts, sessions and
rate-limit counters.

Revision ID: 0100_portal
Revises: 0001_initial
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0100_portal"
down_revision: str | None = "0002_row_checkpoint"
branch_labels: str | None = None
depends_on: str | None = None

_TIME = 40
_SHA = 64


def _project_fk() -> sa.Column[int]:
    return sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False)


def upgrade() -> None:
    """Create the portal's tables."""
    op.create_table(
        "links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("link_id", sa.String(32), nullable=False),
        sa.Column("token_sha256", sa.String(_SHA), nullable=False),
        _project_fk(),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("party", sa.String(32), nullable=False),
        sa.Column("email", sa.Text, nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(_TIME), nullable=False),
        sa.Column("expires_at", sa.String(_TIME), nullable=False),
        sa.Column("revoked_at", sa.String(_TIME), nullable=True),
        sa.Column("revoked_by", sa.String(200), nullable=True),
        sa.Column("used_at", sa.String(_TIME), nullable=True),
        sa.Column("viewed_at", sa.String(_TIME), nullable=True),
        sa.Column("code_sha256", sa.String(_SHA), nullable=True),
        sa.Column("code_expires_at", sa.String(_TIME), nullable=True),
        sa.Column("code_attempts", sa.Integer, nullable=False),
    )
    op.create_index("ix_links_link_id", "links", ["link_id"], unique=True)
    op.create_index("ix_links_token", "links", ["token_sha256"], unique=True)
    op.create_index("ix_links_project", "links", ["project_id", "doc_id"])
    op.create_table(
        "declines",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _project_fk(),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("party", sa.String(32), nullable=False),
        sa.Column("signer", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("link_id", sa.String(32), nullable=True),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.Column("user_agent", sa.Text, nullable=True),
        sa.Column("at", sa.String(_TIME), nullable=False),
    )
    op.create_index("ix_declines_project", "declines", ["project_id", "doc_id"])
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _project_fk(),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(_SHA), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("made_at", sa.String(_TIME), nullable=False),
        sa.UniqueConstraint("project_id", "doc_id", "version", name="uq_certificates_version"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(_TIME), nullable=False),
    )
    op.create_index("ix_users_name", "users", ["name"], unique=True)
    op.create_table(
        "web_sessions",
        sa.Column("token_sha256", sa.String(_SHA), primary_key=True),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(_TIME), nullable=False),
        sa.Column("expires_at", sa.String(_TIME), nullable=False),
    )
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(_SHA), primary_key=True),
        sa.Column("slot", sa.Integer, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    """Drop the portal's tables."""
    op.drop_index("ix_users_name", table_name="users")
    for table in ("rate_limits", "web_sessions", "users", "certificates"):
        op.drop_table(table)
    op.drop_index("ix_declines_project", table_name="declines")
    op.drop_table("declines")
    for index in ("ix_links_project", "ix_links_token", "ix_links_link_id"):
        op.drop_index(index, table_name="links")
    op.drop_table("links")
