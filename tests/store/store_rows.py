"""Rows for the store's write tests: a document, a signature and a change request, each
with defaults that any field can override."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from docflow.store import ChangeRow, DocumentRow, SignatureRow

__all__ = ["change_row", "document_row", "signature_row"]


def document_row(doc_id: str = "SP-1", version: int = 1, **overrides: Any) -> DocumentRow:
    values: dict[str, Any] = {
        "doc_id": doc_id,
        "version": version,
        "code": doc_id.split("-")[0],
        "template": "survey_plan",
        "title": "需求调研计划",
        "status": "issued",
        "annex": None,
        "issued_on": "2026-11-24",
        "docx_sha256": "d" * 64,
        "pdf_sha256": "p" * 64,
        "data_sha256": "a" * 64,
        "signed_pdf_sha256": None,
        "event_seq": 2,
        "files": {"docx": "documents/SP-1.docx", "pdf": "documents/SP-1.pdf"},
    }
    values.update(overrides)
    return DocumentRow(**values)


def signature_row(party: str = "client", **overrides: Any) -> SignatureRow:
    values: dict[str, Any] = {
        "doc_id": "SP-1",
        "version": 1,
        "party": party,
        "signer": "张三",
        "signed_on": "2026-11-25",
        "method": "recorded",
        "file_sha256": None,
        "file_name": None,
        "certificate": None,
        "trust": None,
        "actor": "pm",
        "at": "2026-11-25T09:00:00.000+00:00",
    }
    values.update(overrides)
    return SignatureRow(**values)


def change_row(cr_id: str = "CR-1", number: int = 1, **overrides: Any) -> ChangeRow:
    values: dict[str, Any] = dict(
        cr_id=cr_id,
        number=number,
        title="增加检验科接口",
        reason="客户新增需求",
        status="open",
        body={"adds": [{"id": "R-30", "title": "LIS 接口"}], "cost": Decimal("5000.00")},
        annex=None,
        doc_id=None,
        requested_by="pm",
        requested_at="2026-12-01T08:00:00.000+00:00",
        decided_by=None,
        decided_at=None,
        decision_reason=None,
    )
    values.update(overrides)
    return ChangeRow(**values)
