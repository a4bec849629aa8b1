"""Row records: a checkpoint event on every project's chain, holding the rows it has now.

From this revision on, every event records the row changes it made (``docflow.store.ledger``)
and ``verify`` replays them; a project registered earlier starts its records here.

Revision ID: 0002_row_checkpoint
Revises: 0001_initial
Create Date: 2026-12-08
"""

from __future__ import annotations

from alembic import op

from docflow.store.checkpoint import checkpoint_all
from docflow.store.sql import AlchemyExecutor

revision: str = "0002_row_checkpoint"
down_revision: str | None = "0001_initial"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Append the checkpoint event to every project's chain."""
    checkpoint_all(AlchemyExecutor(op.get_bind()))


def downgrade() -> None:
    """Nothing to undo: the checkpoints stay in the chains, which never lose an event."""
