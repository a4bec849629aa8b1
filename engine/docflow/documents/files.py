"""The files of issued documents in the workspace: written after the commit, restored from
the store, and the probe that refuses to start a write when documents/ cannot be written."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from docflow.documents.identity import files_of
from docflow.errors import EnvironmentProblem
from docflow.runtime.workspace import Workspace, atomic_write, stale_temporaries

if TYPE_CHECKING:
    from docflow.runtime.session import Session
    from docflow.store.base import DocumentRow

__all__ = ["check_writable", "restore_files", "write_document_files"]


def check_writable(workspace: Workspace) -> None:
    """Fail before any change if documents/ cannot be written."""
    folder = workspace.documents_dir
    # Each process probes with its own name: concurrent commands must not delete each other's.
    probe = folder / f".docflow-write-check.{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write documents to {folder}: {exc.strerror or exc}; nothing was changed"
        ) from exc


def write_document_files(
    workspace: Workspace, doc: DocumentRow, blobs: Mapping[str, bytes]
) -> list[str]:
    """Write a document's files atomically; return the relative paths written."""
    written = []
    for ext, rel in doc.files.items():
        data = blobs.get(ext)
        if data is None:
            continue
        try:
            atomic_write(workspace.root / rel, data)
        except OSError as exc:
            raise EnvironmentProblem(
                f"the store recorded {doc.doc_id} but writing {rel} failed: "
                f"{exc.strerror or exc}; fix the folder and run `docflow render` to restore it"
            ) from exc
        written.append(rel)
    return written


def restore_files(session: Session, doc_ids: Sequence[str] | None = None) -> list[str]:
    """Write back every missing or altered file of documents that are not superseded.

    Temporary files that a killed command left in documents/ are removed first.
    """
    workspace = session.folder("restoring files")
    for leftover in stale_temporaries(workspace.documents_dir):
        leftover.unlink(missing_ok=True)
    restored = []
    # Every version that is not superseded: the newest ones, and a void one issued again.
    for doc in session.all_documents:
        if doc_ids and doc.doc_id not in doc_ids:
            continue
        if doc.status == "superseded":
            continue
        wanted = {"docx": doc.docx_sha256, "pdf": doc.pdf_sha256}
        if doc.signed_pdf_sha256:
            wanted["signed_pdf"] = doc.signed_pdf_sha256
        for ext, rel in files_of(doc).items():
            path = workspace.root / rel
            sha = wanted.get(ext)
            if sha is None:
                continue
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha:
                continue
            data = session.store.blob(sha)
            if data is None:
                continue
            atomic_write(path, data)
            restored.append(rel)
    return restored
