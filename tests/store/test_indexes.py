"""Every read the store makes is answered from an index, never a table scan.

The store must stay quick with thousands of projects and hundreds of thousands of events, so
each read query is EXPLAINed on both backends. PostgreSQL gets ``enable_seqscan = off``: it
then picks an index whenever one can serve the query, and a Seq Scan means there is none.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from docflow.store import Store
from docflow.store import queries as q

QUERIES = [
    pytest.param(q.project_query("HIS-2026"), id="get_project"),
    pytest.param(q.list_query(100, 200), id="list_projects"),
    pytest.param(q.events_query("HIS-2026", 10), id="events"),
    pytest.param(q.documents_query("HIS-2026"), id="documents"),
    pytest.param(q.document_query("HIS-2026", "SP-1", None), id="document-newest"),
    pytest.param(q.document_query("HIS-2026", "SP-1", 2), id="document-version"),
    pytest.param(q.signatures_query("HIS-2026"), id="signatures"),
    pytest.param(q.changes_query("HIS-2026"), id="changes"),
    pytest.param(q.blob_query("0" * 64), id="blob"),
]


def _plan(url: str, query: q.Query) -> list[str]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                explain = sa.text(f"EXPLAIN QUERY PLAN {query.sql}")
                return [row[3] for row in conn.execute(explain, query.params)]
            conn.exec_driver_sql("SET enable_seqscan = off")
            return [row[0] for row in conn.execute(sa.text(f"EXPLAIN {query.sql}"), query.params)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("query", QUERIES)
def test_read_uses_an_index(store: Store, query: q.Query) -> None:
    plan = _plan(store.url, query)
    scans = [
        line
        for line in plan
        if "Seq Scan" in line or (line.startswith("SCAN ") and "INDEX" not in line)
    ]
    assert scans == [], "\n".join(plan)
