"""The schema revisions this docflow knows, oldest first, without importing Alembic.

``ensure_schema`` runs on every command that touches the store; it compares the store's
``alembic_version`` with this list instead of loading Alembic's script directory. A test
checks that the list equals the revisions under ``store/migrations/versions``.
"""

from __future__ import annotations

__all__ = ["HEAD", "REVISIONS"]

REVISIONS: tuple[str, ...] = ("0001_initial", "0002_job_queue")
HEAD: str = REVISIONS[-1]
