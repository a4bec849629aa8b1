"""Integrity check: the event chain, the stored documents, and the files on disk.

A hash chain shows edits but not a chain rebuilt by someone with write access, so each
issued PDF carries the chain head of its moment ("docflow-anchor:<seq>:<hash>"); the copies
on disk, outside the store, are compared against the chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docflow.documents.identity import files_of
from docflow.errors import Problem
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.sign import read_anchor as _anchor
from docflow.sign import recheck_signed_file
from docflow.sign.types import IN_FILE

if TYPE_CHECKING:
    from docflow.store.anchors import Anchor

__all__ = ["VerifyReport", "verify"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class VerifyReport(Result):
    """What verify checked and every problem it found (``ok`` when there is none)."""

    ok: bool
    project: str
    events: int
    documents: int
    files_checked: int
    chain_seq: int
    chain_head: str
    problems: tuple[Problem, ...]

    def to_dict(self) -> dict[str, object]:
        """The JSON of ``verify --json``: ``ok``, ``problems[].kind`` and the counts."""
        data = super().to_dict()
        problems = data.pop("problems")
        data["chain"] = {"seq": data.pop("chain_seq"), "head": data.pop("chain_head")}
        data["problems"] = problems
        return data


def verify(session: Session, anchors: Sequence[Anchor] = ()) -> VerifyReport:
    """Every problem found in the store, and in the workspace's files when it has a folder.

    `anchors` are chain heads recorded elsewhere (``docflow.store.anchors``) that the chain
    must still hold."""
    from docflow.store.anchors import check_anchors

    store = session.store
    root = session.workspace.root if session.workspace is not None else None
    # The store's own check: its file, the event chain, the rows against the chain.
    problems: list[Problem] = list(store.verify_project(session.code))
    events = {e.seq: e for e in store.events(session.code)}
    problems += check_anchors(session.code, events.values(), anchors)
    last = max(events, default=0)
    if last != session.row.head_seq:
        problems.append(
            Problem(
                f"the event log ends at seq {last} but the project's head is seq "
                f"{session.row.head_seq}",
                kind="event_chain",
            )
        )
    checked_files = 0
    for doc in session.all_documents:
        stored = {"docx": doc.docx_sha256, "pdf": doc.pdf_sha256, "data": doc.data_sha256}
        if doc.signed_pdf_sha256:
            stored["signed_pdf"] = doc.signed_pdf_sha256
        for what, sha in stored.items():
            blob = store.blob(sha)
            if blob is None:
                problems.append(
                    Problem(
                        f"the stored {what} of {doc.doc_id} v{doc.version} is missing",
                        kind="blob_missing",
                        path=f"{doc.doc_id}/v{doc.version}",
                    )
                )
            elif _sha(blob) != sha:
                problems.append(
                    Problem(
                        f"the stored {what} of {doc.doc_id} v{doc.version} does not match "
                        "its sha256",
                        kind="blob_modified",
                        path=f"{doc.doc_id}/v{doc.version}",
                    )
                )
        if doc.signed_pdf_sha256:  # every signature in the signed PDF, checked again
            issued, signed = store.blob(doc.pdf_sha256), store.blob(doc.signed_pdf_sha256)
            digital = [
                s.party
                for s in session.signatures
                if (s.doc_id, s.version) == (doc.doc_id, doc.version) and s.method in IN_FILE
            ]
            for message in recheck_signed_file(issued or b"", signed or b"", digital):
                problems.append(
                    Problem(
                        f"the signed PDF of {doc.doc_id} v{doc.version} does not verify: "
                        + message,
                        kind="signature_invalid",
                        path=f"{doc.doc_id}/v{doc.version}",
                    )
                )
        if doc.status == "superseded" or root is None:
            continue
        for ext, rel in files_of(doc).items():
            path = root / rel
            checked_files += 1
            if not path.is_file():
                problems.append(
                    Problem(
                        f"{rel} is missing (rendering restores it from the store)",
                        kind="file_missing",
                        file=rel,
                    )
                )
                continue
            data = path.read_bytes()
            if _sha(data) != stored[ext]:
                problems.append(
                    Problem(
                        f"{rel} differs from the issued {doc.doc_id} v{doc.version}",
                        kind="file_modified",
                        file=rel,
                    )
                )
                continue
            if ext == "pdf":
                anchor = _anchor(data)
                if anchor:
                    seq, head = anchor
                    event = events.get(seq)
                    if seq and (event is None or event.hash != head):
                        problems.append(
                            Problem(
                                f"{rel} was issued at event {seq} (hash {head[:12]}…), which the "
                                "event log no longer holds: the log was rewritten",
                                kind="anchor_mismatch",
                                file=rel,
                            )
                        )
    for sig in session.signatures:
        if sig.file_sha256:
            blob = store.blob(sig.file_sha256)
            if blob is None or _sha(blob) != sig.file_sha256:
                problems.append(
                    Problem(
                        f"the {sig.method} file of {sig.party}'s signature on {sig.doc_id} is "
                        "missing or altered in the store",
                        kind="signature_file",
                        path=f"{sig.doc_id}/{sig.party}",
                    )
                )
    from docflow.app.certificates import certificate_problems

    problems.extend(certificate_problems(session))
    return VerifyReport(
        ok=not problems,
        project=session.code,
        events=len(events),
        documents=len(session.all_documents),
        files_checked=checked_files,
        chain_seq=session.row.head_seq,
        chain_head=session.row.head_hash,
        problems=tuple(problems),
    )
