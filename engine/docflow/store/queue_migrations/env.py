"""Alembic environment of the job queue's schema (PostgreSQL stores only).

Its revisions are kept apart from the store's own (their own version table,
``queue_alembic_version``), so an SQLite store, which has no queue, never has to be upgraded
for them. It runs on the connection docflow hands it, inside the store upgrade's transaction.
"""

from __future__ import annotations

from alembic import context

config = context.config
VERSION_TABLE = "queue_alembic_version"


def run() -> None:
    """Run the queue's migrations on the given connection."""
    connection = config.attributes["connection"]
    context.configure(connection=connection, version_table=VERSION_TABLE)
    with context.begin_transaction():
        context.run_migrations()


run()
