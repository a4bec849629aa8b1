"""What checking a project's rows against its chain head costs, next to the commands it guards.

``python tests/store/row_check_cost.py [--store URL] [--documents N] [--runs R]`` makes R example
projects (in their own SQLite files, or in the PostgreSQL store named), takes each to
``survey.planned``, optionally adds N more document versions with a signature each (a
long-running project), and then times in this one run:

- ``check_rows``: the read-side check every command makes when it opens the project;
- ``check_before_write``: the same check inside a write transaction (one lock, no writes);
- ``docflow sign`` (a recorded signature) and ``docflow advance`` (issue_requirement_memo: one
  PDF and DOCX), run as the real command on ``--runs`` fresh projects.

It prints each median and the two checks' share of ``sign`` and ``advance``. Times on a shared
machine are noisy: compare the ratios, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _median_ms(run: Callable[[], Any], times: int) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _docflow(ws: Path, *args: str, url: str | None) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env["DOCFLOW_ACTOR"] = "bench"
    if url:
        env["DOCFLOW_DATABASE_URL"] = url
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "docflow", *args], cwd=ws, env=env, capture_output=True, text=True
    )
    elapsed = (time.perf_counter() - start) * 1000
    assert proc.returncode == 0, proc.stderr
    return elapsed


def _grow(store: Any, code: str, documents: int) -> None:
    """Add `documents` document versions, each with a client signature, in one write each."""
    from docflow.store import DocumentRow, SignatureRow

    for n in range(documents):
        project = store.get_project(code)
        with store.write(code, project.version) as tx:
            doc_id = f"XX-{n + 1}"
            tx.add_document(
                DocumentRow(
                    doc_id=doc_id,
                    version=1,
                    code="XX",
                    template="survey_plan",
                    title="附加文件",
                    status="issued",
                    annex=None,
                    issued_on="2026-12-01",
                    docx_sha256="d" * 64,
                    pdf_sha256="p" * 64,
                    data_sha256="a" * 64,
                    signed_pdf_sha256=None,
                    event_seq=project.head_seq + 1,
                    files={"pdf": f"documents/{doc_id}-v1.pdf"},
                )
            )
            tx.add_signature(
                SignatureRow(
                    doc_id=doc_id,
                    version=1,
                    party="client",
                    signer="王晓东",
                    signed_on="2026-12-01",
                    method="recorded",
                    file_sha256=None,
                    file_name=None,
                    certificate=None,
                    trust=None,
                    actor="bench",
                    at="2026-12-01T08:00:00+00:00",
                )
            )
            tx.append_event("bench.document", "bench", {"document": doc_id})


def _project(root: Path, n: int, url: str | None, documents: int) -> tuple[Path, str]:
    """A fresh example project at survey.planned (SP-1 awaiting the client), grown."""
    from docflow.app.demo import walk
    from docflow.app.init import init_workspace
    from docflow.runtime.workspace import Workspace
    from docflow.store import open_store

    ws = root / f"ws{n}"
    code = f"COST-{uuid.uuid4().hex[:8]}"
    init_workspace(ws, example=True, code=code, store_url=url, actor="bench")
    walk(Workspace(ws), store_url=url, actor="bench", say=lambda _m: None, until="survey.planned")
    store = open_store(url, ws)
    try:
        _grow(store, code, documents)
    finally:
        store.close()
    return ws, code


def measure(url: str | None, documents: int, runs: int) -> dict[str, Any]:
    """The medians (ms) and ratios of one run."""
    from docflow.store import open_store
    from docflow.store.reconcile import check_before_write

    sign, advance = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs):
            ws, code = _project(Path(tmp), n, url, documents)
            sign.append(_docflow(ws, "sign", "SP-1", "--party", "client", "--signer", "x", url=url))
            _docflow(ws, "advance", "start_survey", url=url)
            # issue_requirement_memo: one PDF and one DOCX rendered, one write.
            advance.append(_docflow(ws, "advance", url=url))
        store = open_store(url, ws)

        def locked_check() -> None:
            # What StoreWrites.write does first: lock the project row, check the rows.
            with store._transaction() as ex:  # type: ignore[attr-defined]
                lock = f"SELECT * FROM projects WHERE code = :code{ex.for_update}"
                (row,) = ex.run(lock, {"code": code})
                check_before_write(row, lambda q: ex.run(q.sql, q.params))

        result: dict[str, Any] = {
            "documents": len(store.documents(code)),
            "events": len(store.events(code)),
            "check_rows_ms": round(_median_ms(lambda: store.check_rows(code), 50), 3),
            "check_before_write_ms": round(_median_ms(locked_check, 50), 3),
            "sign_ms": round(statistics.median(sign), 1),
            "advance_ms": round(statistics.median(advance), 1),
        }
        store.close()
    both = result["check_rows_ms"] + result["check_before_write_ms"]
    result["checks_per_sign"] = round(both / result["sign_ms"], 4)
    result["checks_per_advance"] = round(both / result["advance_ms"], 4)
    return result


def main() -> None:
    """Print the measurement as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="a PostgreSQL URL (default: the workspace's SQLite)")
    parser.add_argument("--documents", type=int, default=0, help="document versions to add")
    parser.add_argument("--runs", type=int, default=3, help="fresh projects to time")
    args = parser.parse_args()
    print(json.dumps(measure(args.store, args.documents, args.runs), indent=2))


if __name__ == "__main__":
    main()
