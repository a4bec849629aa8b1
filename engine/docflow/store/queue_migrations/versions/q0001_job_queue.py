"""The job queue on PostgreSQL: procrastinate's schema and the outcomes docflow records.

Revision ID: q0001_job_queue
Revises:
Create Date: 2026-12-06

Rendering jobs (and later sealing and e-mail jobs) are queued in the same PostgreSQL
database as the projects, so that a command queues a job in the transaction that changes
the state it is about. procrastinate's own schema (its tables, types, functions and
triggers, as the pinned procrastinate version ships it) is created here, in the upgrade's
transaction; ``job_outcomes`` keeps what each finished job did or the error it failed
with (procrastinate keeps a job's status, not its error). These revisions run on PostgreSQL
stores only (an SQLite store renders in the command's own processes), after the store's own.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "q0001_job_queue"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create procrastinate's schema and the job_outcomes table (PostgreSQL only)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from procrastinate.schema import SchemaManager

    # The schema is plain SQL with no parameters: run it as is, not through text(), whose
    # ":name" parsing would misread its casts.
    bind.exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))
    op.create_table(
        "job_outcomes",
        sa.Column(
            "job_id",
            sa.BigInteger,
            sa.ForeignKey("procrastinate_jobs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("task", sa.String(200), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )


_DROP_PROCRASTINATE = """
DO $$
DECLARE item record;
BEGIN
    FOR item IN SELECT p.oid::regprocedure AS name FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%%'
    LOOP
        EXECUTE 'DROP FUNCTION ' || item.name || ' CASCADE';
    END LOOP;
END
$$;
"""


def downgrade() -> None:
    """Drop the job queue, every queued job with it (PostgreSQL only)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.drop_table("job_outcomes")
    for table in ("events", "periodic_defers", "jobs", "workers"):
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS procrastinate_{table} CASCADE")
    bind.exec_driver_sql(_DROP_PROCRASTINATE)
    for kind in ("job_status", "job_event_type", "job_to_defer_v1"):
        bind.exec_driver_sql(f"DROP TYPE IF EXISTS procrastinate_{kind} CASCADE")
