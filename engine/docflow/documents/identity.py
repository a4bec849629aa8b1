"""Document identities computed in one place: id ``<CODE>-<n>``, number, version file paths.

A document id names a kind and its number within the project (``CA-2``); each version's files
live in ``documents/<id>-v<version>.docx|.pdf``, the PDF a party signed digitally beside
them as ``.signed.pdf``, and convenience translations in ``documents/translations/``.
Nothing else in docflow formats or parses these strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docflow.errors import InvalidInput

if TYPE_CHECKING:
    from docflow.store.base import DocumentRow

__all__ = ["DocId", "files_of", "signed_pdf_path", "translation_files", "version_files"]

_DOC_ID = re.compile(r"^(?P<code>[A-Z][A-Z0-9]{0,7})-(?P<number>[1-9][0-9]*)$")


@dataclass(frozen=True, order=True)
class DocId:
    """A document's identity: its kind code and its number among documents of that kind."""

    code: str
    number: int

    def __str__(self) -> str:
        return f"{self.code}-{self.number}"

    @classmethod
    def parse(cls, text: str) -> DocId:
        """``"CA-2"`` -> DocId("CA", 2); a clear error for anything else."""
        match = _DOC_ID.match(text)
        if match is None:
            raise InvalidInput(f"{text!r} is not a document id (CODE-n, e.g. RM-1)")
        return cls(match["code"], int(match["number"]))


def version_files(doc_id: str, version: int) -> dict[str, str]:
    """Workspace-relative paths of one document version's DOCX and PDF."""
    stem = f"documents/{doc_id}-v{version}"
    return {"docx": f"{stem}.docx", "pdf": f"{stem}.pdf"}


def translation_files(doc_id: str, version: int, locale: str) -> dict[str, str]:
    """Workspace-relative paths of a convenience translation of one version into ``locale``:
    ``documents/translations/<id>-v<version>.<locale>.docx|.pdf``."""
    stem = f"documents/translations/{doc_id}-v{version}.{locale}"
    return {"docx": f"{stem}.docx", "pdf": f"{stem}.pdf"}


def signed_pdf_path(pdf: str) -> str:
    """Where the signed PDF of a version lives: beside its issued PDF, as ``.signed.pdf``."""
    stem = pdf[:-4] if pdf.lower().endswith(".pdf") else pdf
    return f"{stem}.signed.pdf"


def files_of(doc: DocumentRow) -> dict[str, str]:
    """Every file of a stored version: docx, pdf, and signed_pdf once a party signed in it."""
    files: Mapping[str, str] = doc.files or version_files(doc.doc_id, doc.version)
    out = dict(files)
    if doc.signed_pdf_sha256:
        out["signed_pdf"] = signed_pdf_path(out.get("pdf", f"documents/{doc.doc_id}.pdf"))
    return out
