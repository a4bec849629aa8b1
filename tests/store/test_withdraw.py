"""Withdrawing a signature in the store: the row goes, the signed file goes back, a party that
has not signed is a conflict; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from store_rows import document_row, signature_row

from docflow.errors import Conflict
from docflow.store import ProjectRow, Store


def test_a_withdrawn_signature_leaves_the_document_as_before(
    store: Store, project: ProjectRow
) -> None:
    with store.write("HIS-2026", None) as tx:
        tx.add_document(document_row())
        tx.add_signature(signature_row("client", method="digital", file_sha256="c" * 64))
        tx.set_signed_file("SP-1", 1, "c" * 64)
        tx.set_document_status("SP-1", 1, "signed")
        tx.append_event("signature", "pm", {})
    with store.write("HIS-2026", None) as tx:
        tx.remove_signature("SP-1", 1, "client")
        tx.set_signed_file("SP-1", 1, None)
        tx.set_document_status("SP-1", 1, "issued")
        tx.append_event("signature.withdrawn", "pm", {"document": "SP-1", "party": "client"})
    assert store.signatures("HIS-2026") == []
    (doc,) = store.documents("HIS-2026")
    assert (doc.status, doc.signed_pdf_sha256) == ("issued", None)
    with store.write("HIS-2026", None) as tx:  # the party signs again
        tx.add_signature(signature_row("client"))
        tx.append_event("signature", "pm", {})
    assert [s.party for s in store.signatures("HIS-2026")] == ["client"]
    store.check_rows("HIS-2026")  # the withdrawal replays as a deletion (else IntegrityFailure)


@pytest.mark.parametrize(
    ("doc_id", "version", "party"),
    [
        pytest.param("SP-1", 1, "vendor", id="other-party"),
        pytest.param("SP-1", 2, "client", id="other-version"),
        pytest.param("SP-2", 1, "client", id="other-document"),
    ],
)
def test_withdrawing_a_signature_that_is_not_there_is_a_conflict(
    store: Store, project: ProjectRow, doc_id: str, version: int, party: str
) -> None:
    with store.write("HIS-2026", None) as tx:
        tx.add_document(document_row())
        tx.add_signature(signature_row("client"))
        tx.append_event("signature", "pm", {})
    with pytest.raises(Conflict, match="has not signed"), store.write("HIS-2026", None) as tx:
        tx.remove_signature(doc_id, version, party)
    assert [s.party for s in store.signatures("HIS-2026")] == ["client"]
