"""The checkpoint that starts the row records of a project registered before they existed.

Revision ``0002_row_checkpoint`` runs :func:`checkpoint_all` once: it appends to every
project's chain a ``store.checkpoint`` event whose record holds every row the project has at
that moment (``ledger``). From then on the chain accounts for every row change; what the rows
were before the checkpoint is taken as they stood (the chain of that time did not record them).
"""

from __future__ import annotations

from docflow.store.convert import project_row
from docflow.store.ledger import RECORD
from docflow.store.reconcile import ledger_of_rows, table_queries
from docflow.store.tx import Executor, insert_event, new_event, record_of
from docflow.store.urls import now

__all__ = ["CHECKPOINT", "checkpoint_all"]

CHECKPOINT = "store.checkpoint"


def checkpoint_all(ex: Executor, actor: str = "docflow") -> int:
    """Append a checkpoint event to every project's chain; return how many projects."""
    projects = ex.run("SELECT * FROM projects ORDER BY id", {})
    for row in projects:
        project = project_row(row)
        rows = [ex.run(query.sql, query.params) for query in table_queries(project.code)]
        ledger = ledger_of_rows(row, rows)
        effect = {"op": "checkpoint", "tables": ledger.snapshot()}
        data = {
            "reason": "the rows as they stood when the chain began to record them",
            RECORD: record_of(ledger, [effect]),
        }
        event = new_event(project, CHECKPOINT, actor, data)
        insert_event(ex, int(row["id"]), event)
        ex.run(
            "UPDATE projects SET version = :version, head_seq = :seq, head_hash = :hash, "
            "updated_at = :at WHERE id = :id",
            {
                "version": project.version + 1,
                "seq": event.seq,
                "hash": event.hash,
                "at": now(),
                "id": row["id"],
            },
        )
    return len(projects)
