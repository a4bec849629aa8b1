"""Recording rendered versions inside a write transaction, confirming their numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from docflow.documents.identity import DocId, version_files
from docflow.errors import Conflict

if TYPE_CHECKING:
    from docflow.documents.jobs import RenderedVersion
    from docflow.store.base import DocumentRow, WriteTx

__all__ = ["record_documents"]


def record_documents(tx: WriteTx, rendered: Sequence[RenderedVersion]) -> list[DocumentRow]:
    """Store rendered documents inside an open write transaction; return their rows.

    A first version takes its document and annex numbers from the store's gapless counters:
    a number other than the one the document was rendered with means another command took
    it meanwhile, a conflict (the command may simply run again).
    """
    from docflow.store.base import DocumentRow

    rows = []
    for version in rendered:
        meta = version.meta
        if meta.version == 1:
            got = tx.next_number(f"doc:{meta.code}")
            if got != DocId.parse(meta.id).number:
                raise Conflict(
                    f"document number {meta.id} was taken while this command ran; run it again"
                )
            if meta.annex is not None and tx.next_number("annex") != meta.annex:
                raise Conflict(f"annex number {meta.annex} was taken meanwhile; run it again")
        row = DocumentRow(
            doc_id=meta.id,
            version=meta.version,
            code=meta.code,
            template=meta.template,
            title=meta.title,
            status="issued",
            annex=meta.annex,
            issued_on=meta.issued_on.isoformat(),
            docx_sha256=tx.put_blob(version.docx),
            pdf_sha256=tx.put_blob(version.pdf),
            data_sha256=tx.put_blob(version.snapshot),
            signed_pdf_sha256=None,
            event_seq=tx.project.head_seq + 1,
            files=version_files(meta.id, meta.version),
        )
        tx.add_document(row)
        rows.append(row)
    return rows
