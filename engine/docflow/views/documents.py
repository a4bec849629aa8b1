"""What a document looks like to its readers: id, kind, version, status, files, signatures.

Its JSON keys are a contract (``id``, ``kind``, ``version``, ``status``, ``annex``,
``files.docx``, ``files.pdf``, ``awaiting``); a test pins them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docflow.documents.identity import files_of
from docflow.runtime.result import Result
from docflow.runtime.session import Session

if TYPE_CHECKING:
    from docflow.store.base import DocumentRow, SignatureRow

__all__ = ["DocumentView", "PlannedDocument", "SignatureView", "document_view"]


@dataclass(frozen=True)
class SignatureView(Result):
    """One party's signature on a document version."""

    party: str
    signer: str
    signed_on: str
    method: str
    file: str | None
    file_sha256: str | None
    certificate: str | None
    trust: str | None
    actor: str
    at: str

    @classmethod
    def of(cls, row: SignatureRow) -> SignatureView:
        """The view of a stored signature."""
        return cls(
            party=row.party,
            signer=row.signer,
            signed_on=row.signed_on,
            method=row.method,
            file=row.file_name,
            file_sha256=row.file_sha256,
            certificate=row.certificate,
            trust=row.trust,
            actor=row.actor,
            at=row.at,
        )


@dataclass(frozen=True)
class DocumentView(Result):
    """The newest (or a given) version of one document, with who signed and who is awaited."""

    id: str
    kind: str
    code: str
    title: str
    version: int
    status: str
    annex: int | None
    issued_on: str
    files: Mapping[str, str | None]
    sha256: Mapping[str, str]
    signers: tuple[str, ...]
    awaiting: tuple[str, ...]
    signatures: tuple[SignatureView, ...]


@dataclass(frozen=True)
class PlannedDocument(Result):
    """A document a dry run would issue: its id, kind, files and who would be asked to sign."""

    id: str
    kind: str
    version: int
    status: str
    annex: int | None
    files: Mapping[str, str]
    awaiting: tuple[str, ...]


def document_view(session: Session, doc: DocumentRow) -> DocumentView:
    """One document version as its readers see it."""
    kind = session.kind_of(doc)
    signers = tuple(kind.signers) if kind else ()
    sigs = session.signatures_on(doc)
    # A confirmation the calendar already deems given is not awaited, recorded or not yet.
    signed = session.signed_by(doc)
    awaiting = tuple(p for p in signers if p not in signed) if doc.status == "issued" else ()
    files = files_of(doc)
    return DocumentView(
        id=doc.doc_id,
        kind=kind.template if kind else doc.template,
        code=doc.code,
        title=doc.title,
        version=doc.version,
        status=doc.status,
        annex=doc.annex,
        issued_on=doc.issued_on,
        files={"docx": files.get("docx"), "pdf": files.get("pdf"), **files},
        sha256={"docx": doc.docx_sha256, "pdf": doc.pdf_sha256, "data": doc.data_sha256},
        signers=signers,
        awaiting=awaiting,
        signatures=tuple(SignatureView.of(s) for s in sigs),
    )
