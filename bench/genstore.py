"""Fill a docflow store with many projects and events, for the scale benchmark.

``python -m bench.genstore URL --projects 5000 --events 500000`` adds projects ``GEN-00001``...
(each in ``contract.drafting`` of the built-in workflow, with an event chain whose hashes are
valid) until the store holds that many projects and events. Rows go in with bulk inserts:
building 500,000 events through docflow's commands would take hours and measure nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

__all__ = ["fill_store", "main"]

_TYPES = ("project.created", "data.changed", "step.taken", "document.issued", "signature.recorded")
_BATCH = 20_000


def _events_for(
    project_id: int, count: int, start: dt.datetime
) -> tuple[list[dict[str, Any]], int, str]:
    from docflow.store.chain import GENESIS_HASH, canonical_json, event_hash, sha256_hex

    rows, prev = [], GENESIS_HASH
    for seq in range(1, count + 1):
        at = (start + dt.timedelta(minutes=seq)).isoformat(timespec="milliseconds")
        kind = _TYPES[0] if seq == 1 else _TYPES[1 + seq % (len(_TYPES) - 1)]
        data = {"n": seq, "note": f"generated event {seq} of project {project_id}"}
        digest = event_hash(seq, at, "generator", kind, data, prev)
        rows.append(
            {
                "project_id": project_id,
                "seq": seq,
                "at": at,
                "actor": "generator",
                "type": kind,
                "data": data,
                "data_sha256": sha256_hex(canonical_json(data)),
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    return rows, count, prev


def fill_store(url: str, projects: int, events: int) -> dict[str, int]:
    """Add generated projects and events until the store holds ``projects`` and ``events``."""
    from sqlalchemy import func, insert, select, update

    from docflow.store import open_store
    from docflow.store.engine import make_engine
    from docflow.store.schema import events as events_table
    from docflow.store.schema import projects as projects_table

    open_store(url, None).ensure_schema()
    engine = make_engine(url)
    with engine.begin() as conn:
        have_projects = int(
            conn.execute(select(func.count()).select_from(projects_table)).scalar_one()
        )
        have_events = int(conn.execute(select(func.count()).select_from(events_table)).scalar_one())
    todo = max(0, projects - have_projects)
    left = max(0, events - have_events)
    start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    stamp = start.isoformat(timespec="milliseconds")
    pending: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for index in range(todo):
            per = max(1, left // (todo - index)) if left else 1
            left -= per
            code = f"GEN-{have_projects + index + 1:05d}"
            project_id = conn.execute(
                insert(projects_table)
                .values(
                    code=code,
                    name=f"生成项目 {code}",
                    workflow="implementation",
                    locale="zh-CN",
                    state="contract.drafting",
                    version=1,
                    workspace=f"/nonexistent/{code}",
                    baseline=None,
                    head_seq=0,
                    head_hash="",
                    created_at=stamp,
                    updated_at=stamp,
                )
                .returning(projects_table.c.id)
            ).scalar_one()
            rows, head_seq, head_hash = _events_for(int(project_id), per, start)
            pending.extend(rows)
            conn.execute(
                update(projects_table)
                .where(projects_table.c.id == project_id)
                .values(head_seq=head_seq, head_hash=head_hash, version=1 + head_seq)
            )
            if len(pending) >= _BATCH:
                conn.execute(insert(events_table), pending)
                pending = []
        if pending:
            conn.execute(insert(events_table), pending)
    with engine.begin() as conn:
        total_projects = int(
            conn.execute(select(func.count()).select_from(projects_table)).scalar_one()
        )
        total_events = int(
            conn.execute(select(func.count()).select_from(events_table)).scalar_one()
        )
    engine.dispose()
    return {"projects": total_projects, "events": total_events}


def main(argv: list[str] | None = None) -> None:
    """Command line: URL, --projects, --events."""
    parser = argparse.ArgumentParser(prog="python -m bench.genstore", description=__doc__)
    parser.add_argument("url", help="store URL, e.g. sqlite:////tmp/big.db")
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--events", type=int, default=500_000)
    args = parser.parse_args(argv)
    print(fill_store(args.url, args.projects, args.events))


if __name__ == "__main__":
    main()
