"""The schema revisions this docflow knows, oldest first, without importing Alembic.

``ensure_schema`` runs on every command that touches the store; it compares the store's
``alembic_version`` with this list instead of loading Alembic's script directory. A test
checks that the list equals the revisions under ``store/migrations/versions``.
"""

from __future__ import annotations

__all__ = ["HEAD", "QUEUE_HEAD", "QUEUE_REVISIONS", "REVISIONS"]

REVISIONS: tuple[str, ...] = ("0001_initial", "0002_row_checkpoint", "0100_portal")
HEAD: str = REVISIONS[-1]

# The job queue's schema on a PostgreSQL store (store/queue_migrations, own version table).
QUEUE_REVISIONS: tuple[str, ...] = ("q0001_job_queue",)
QUEUE_HEAD: str = QUEUE_REVISIONS[-1]
