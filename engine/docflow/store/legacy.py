"""What the events before a checkpoint say about the rows, checked against the checkpoint.

A project registered before events recorded their rows starts its records with a checkpoint
(``checkpoint``) that took the rows as they stood. The events before it still say much about
those rows, in the shapes docflow wrote them: ``project.created`` and ``step`` the state,
``signature`` each signature, ``step``, ``documents.rerendered`` and ``change.approved`` each
document version and its file hashes, ``document.signed``, ``documents.rerendered`` and
``change.withdrawn`` the statuses, and ``change.*`` each change request's status. Where they
say something, the checkpoint must agree: a row edited before the upgrade is named
(``table_mismatch``). What those events never held (counters, the baseline, a signed PDF's
hash, signature certificates) is taken from the checkpoint as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docflow.errors import Problem
from docflow.store.base import EventRow
from docflow.store.ledger import KEYS, row_label, sort_key

__all__ = ["legacy_problems"]

Key = tuple[Any, ...]
# What the old events say, as the ledger's tables: table -> key -> {column: value}.
Said = dict[str, dict[Key, dict[str, Any]]]

_CHANGE_STATUS = {
    "change.requested": "open",
    "change.approved": "approved",
    "change.rejected": "rejected",
    "change.withdrawn": "withdrawn",
    "change.effective": "effective",
}


def _document(said: Said, doc: Any, **columns: Any) -> None:
    if (
        isinstance(doc, dict)
        and isinstance(doc.get("id"), str)
        and isinstance(doc.get("version"), int)
    ):
        row = said["documents"].setdefault((doc["id"], doc["version"]), {"status": "issued"})
        row.update({k: v for k, v in columns.items() if isinstance(v, str)})


def _newest(said: Said, doc_id: str) -> Key | None:
    versions = [key for key in said["documents"] if key[0] == doc_id]
    return max(versions, key=sort_key) if versions else None


def _say(said: Said, event: EventRow) -> None:
    data, kind = event.data, event.type
    if kind == "project.created" or (kind == "step" and "to" in data):
        said["projects"][()] = {"state": data.get("state" if kind == "project.created" else "to")}
    if kind == "step":
        for doc in data.get("documents") or ():
            pdf, docx, snapshot = (
                doc.get(k) if isinstance(doc, dict) else None for k in ("pdf", "docx", "data")
            )
            _document(said, doc, pdf_sha256=pdf, docx_sha256=docx, data_sha256=snapshot)
    elif kind == "documents.rerendered":
        for doc in data.get("documents") or ():
            _document(said, doc, pdf_sha256=doc.get("pdf") if isinstance(doc, dict) else None)
            if isinstance(doc, dict) and isinstance(doc.get("supersedes"), int):
                old = said["documents"].get((doc.get("id"), doc["supersedes"]))
                if old is not None:
                    old["status"] = "superseded"
    elif kind == "signature" and isinstance(data.get("document"), str):
        key = (data["document"], data.get("version"), data.get("party"))
        columns = ("signer", "method", "signed_on", "file_sha256")
        said["signatures"][key] = {c: data.get(c) for c in columns if c in data}
    elif kind == "document.signed":
        row = said["documents"].get((data.get("document"), data.get("version")))
        if row is not None:
            row["status"] = "signed"
    if kind in _CHANGE_STATUS and isinstance(data.get("change"), str):
        said["change_requests"].setdefault((data["change"],), {})["status"] = _CHANGE_STATUS[kind]
        if kind == "change.approved":
            _document(said, {"id": data.get("document"), "version": 1})
        voided = _newest(said, data["voided"]) if isinstance(data.get("voided"), str) else None
        if kind == "change.withdrawn" and voided is not None:
            said["documents"][voided]["status"] = "void"


def legacy_problems(
    code: str, before: Sequence[EventRow], checkpoint_seq: int, tables: dict[str, Any]
) -> list[Problem]:
    """Where the checkpoint's `tables` differ from what the events `before` it say."""
    said: Said = {table: {} for table in KEYS}
    for event in before:
        if isinstance(event.data, dict):
            _say(said, event)
    problems: list[Problem] = []
    where = f"the events before the checkpoint at seq {checkpoint_seq}"
    for table, expected in said.items():
        rows = tables.get(table) if isinstance(tables, dict) else None
        have = {
            tuple(row.get(c) for c in KEYS[table]): row
            for row in rows or ()
            if isinstance(row, dict)
        }
        # A signature row that no event recorded was inserted: those events named them all.
        extra = set(have) - set(expected) if table == "signatures" else set()
        for key in sorted(set(expected) | extra, key=sort_key):
            label = row_label(table, key)
            path = f"{table}[{' '.join(str(k) for k in key) or code}]"
            if key not in have:
                detail = f"{label} is not in the store, but {where} record it"
            elif key not in expected:
                detail = f"{label} is in the store, but none of {where} records it"
            else:
                wrong = [c for c, v in expected[key].items() if have[key].get(c) != v]
                if not wrong:
                    continue
                column = wrong[0]
                path += f".{column}"
                detail = (
                    f"{label} has {column} {have[key].get(column)!r:.70} in the store, but "
                    f"{where} say {expected[key][column]!r:.70}"
                )
            problems.append(
                Problem(message=f"project {code}: {detail}", path=path, kind="table_mismatch")
            )
    return problems
