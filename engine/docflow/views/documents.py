"""What a document looks like to its readers: id, kind, version, status, files, signatures.

Its JSON keys are a contract (``id``, ``kind``, ``version``, ``status``, ``annex``,
``files.docx``, ``files.pdf``, ``awaiting``); a test pins them. Beside them: whether the
document still matches the current data (``out_of_date``, ``differences``) and the
convenience translations made of it (``translations``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docflow.documents.identity import files_of, translation_files
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.views.freshness import DifferenceView

if TYPE_CHECKING:
    from docflow.documents.freshness import Freshness
    from docflow.store.base import DocumentRow, SignatureRow
    from docflow.views.freshness import Wording

__all__ = [
    "DocumentChecks",
    "DocumentView",
    "PlannedDocument",
    "SignatureView",
    "TranslationView",
    "document_view",
]


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
    out_of_date: bool = False
    differences: tuple[DifferenceView, ...] = ()
    translations: tuple[TranslationView, ...] = ()


@dataclass(frozen=True)
class TranslationView(Result):
    """A convenience translation of a document version, in the workspace (never binding)."""

    locale: str
    files: Mapping[str, str]


@dataclass
class DocumentChecks:
    """What a listing of documents checks once for all of them: freshness and its words."""

    session: Session
    _freshness: Freshness | None = field(default=None, repr=False)
    _wording: Wording | None = field(default=None, repr=False)

    def differences(self, doc: DocumentRow) -> tuple[DifferenceView, ...]:
        """What differs between ``doc`` as issued and the current data, in words."""
        from docflow.documents.freshness import Freshness
        from docflow.views.freshness import Wording, difference_views

        if self._freshness is None:
            self._freshness = Freshness(self.session)
        check = self._freshness.check(doc)
        if not check.differences:
            return ()
        if self._wording is None:
            self._wording = Wording.of(self.session)
        return difference_views(self._wording, check.differences, check.stored, check.current)

    def translations(self, doc: DocumentRow) -> tuple[TranslationView, ...]:
        """The convenience translations of ``doc`` found in the workspace."""
        workspace = self.session.workspace
        if workspace is None:
            return ()
        folder = workspace.documents_dir / "translations"
        if not folder.is_dir():
            return ()
        found = []
        for locale in self.session.spec.locales:
            files = translation_files(doc.doc_id, doc.version, locale)
            present = {k: v for k, v in files.items() if (workspace.root / v).is_file()}
            if locale != self.session.locale and present:
                found.append(TranslationView(locale, present))
        return tuple(found)


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


def document_view(
    session: Session, doc: DocumentRow, checks: DocumentChecks | None = None
) -> DocumentView:
    """One document version as its readers see it; ``checks`` is shared by a listing."""
    kind = session.kind_of(doc)
    signers = tuple(kind.signers) if kind else ()
    sigs = session.signatures_on(doc)
    # A confirmation the calendar already deems given is not awaited, recorded or not yet.
    signed = session.signed_by(doc)
    awaiting = tuple(p for p in signers if p not in signed) if doc.status == "issued" else ()
    files = files_of(doc)
    checks = checks or DocumentChecks(session)
    differences = checks.differences(doc)
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
        out_of_date=bool(differences),
        differences=differences,
        translations=checks.translations(doc),
    )
