"""What a file given as a signature must not be: a file docflow holds already, or a scan of
another document of the project.

A scan is stored as the evidence of a wet-ink signature, and a retry is refused once it is
recorded, so a wrong file given by mistake (the scan of another document, docflow's own PDF
of another document) would stay on record and ship in the legal bundle. Two checks run before
anything is recorded, both exit 6:

- the file is byte-identical to a file docflow already holds for this project: an issued
  PDF or DOCX (any version), a signed PDF, the file of a recorded signature, or a convenience
  translation in the workspace;
- the file is a PDF whose text layer carries a translation's mark: a translation is never the
  binding version, so its scan is no signature;
- the file is a PDF whose text layer names another document of this project more than the
  one being signed: a document's number (``HIS-2026/SP-1``) is printed in the running header
  of every page and in its header table, so the document a scan is of is the one it names
  most, by pages and then by occurrences. A document that cites another (a completion notice
  names its acceptance certificate) names itself more often.

Not caught (see the README's security section): an image scan (PNG, JPEG, or a PDF without a
text layer) of another document, since docflow does not read images; a PDF whose text layer
was removed or rewritten.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import TYPE_CHECKING

from docflow.documents.identity import files_of
from docflow.errors import IntegrityFailure

if TYPE_CHECKING:
    from docflow.app.signing import Upload
    from docflow.runtime.session import Session
    from docflow.store.base import DocumentRow

__all__ = ["held_file", "named_document", "refuse_held_file", "refuse_other_document"]

_PAGES = 30  # pages of a scan whose text is read: enough to find a running header
_TEXT = 2_000_000  # characters of text read at most


def held_file(session: Session, data: bytes) -> str | None:
    """What the file with these bytes is among the files docflow holds, or None."""
    sha = hashlib.sha256(data).hexdigest()
    for doc in session.all_documents:
        files = files_of(doc)
        for ext, stored in (
            ("pdf", doc.pdf_sha256),
            ("docx", doc.docx_sha256),
            ("signed_pdf", doc.signed_pdf_sha256),
        ):
            if stored == sha:
                what = "signed file" if ext == "signed_pdf" else doc.status
                return f"{files.get(ext, ext)} ({doc.doc_id} v{doc.version}, {what})"
    for sig in session.signatures:
        if sig.file_sha256 == sha:
            return (
                f"the {sig.method} file {sig.file_name or ''} of the {sig.party}'s signature "
                f"on {sig.doc_id} v{sig.version}".replace("  ", " ")
            )
    return _held_translation(session, sha)


def _held_translation(session: Session, sha: str) -> str | None:
    """The convenience translation in the workspace with this sha256, or None."""
    workspace = session.workspace
    folder = workspace.documents_dir / "translations" if workspace is not None else None
    if workspace is None or folder is None or not folder.is_dir():
        return None
    for path in sorted(folder.iterdir()):
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha:
            rel = path.relative_to(workspace.root)
            return f"{rel} (a convenience translation, never binding)"
    return None


def refuse_held_file(session: Session, doc: DocumentRow, upload: Upload) -> None:
    """IntegrityFailure when the file is one docflow holds already (any document's file, a
    signed PDF, or the file of a recorded signature)."""
    what = held_file(session, upload.data)
    if what is not None:
        raise IntegrityFailure(
            f"{upload.name}: this file is {what}; a signature on {doc.doc_id} "
            f"v{doc.version} needs the scan of its signed paper or the PDF signed in a reader"
        )


def _pages_text(data: bytes) -> list[str]:
    """The text layer of the first pages of a PDF ([] when it has none or cannot be read)."""
    import io
    import logging
    import warnings
    import zlib

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logger = logging.getLogger("pypdf")
    level = logger.level
    # A damaged scan is still a scan: pypdf's complaints about it are not the user's business.
    logger.setLevel(logging.CRITICAL)
    pages: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            total = 0
            for page in reader.pages[:_PAGES]:
                text = page.extract_text() or ""
                pages.append(text)
                total += len(text)
                if total > _TEXT:
                    break
    # pypdf raises its own errors for most damage, and builtin ones for the rest; a file it
    # cannot read has no text layer to judge by.
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return pages
    except (RecursionError, OSError, zlib.error):
        return pages
    finally:
        logger.setLevel(level)
    return pages


def named_document(session: Session, pages: list[str], prefer: str) -> str | None:
    """The document of this project that the text names most (its number on most pages, then
    most often; ``prefer`` wins a tie), or None when it names none."""
    ids = sorted({d.doc_id for d in session.all_documents}, key=len, reverse=True)
    if not ids or not pages:
        return None
    alternatives = "|".join(re.escape(i) for i in ids)
    code = re.escape(session.code)
    # The number as printed (HIS-2026/SP-1), else the bare id (SP-1) as a word of its own.
    patterns = (
        re.compile(rf"{code}\s*/\s*({alternatives})(?![0-9])"),
        re.compile(rf"(?<![A-Za-z0-9])({alternatives})(?![0-9])"),
    )
    for pattern in patterns:
        on_pages: Counter[str] = Counter()
        times: Counter[str] = Counter()
        for text in pages:
            found = [m.group(1) for m in pattern.finditer(text)]
            times.update(found)
            on_pages.update(set(found))
        if times:
            return max(times, key=lambda i: (on_pages[i], times[i], i == prefer))
    return None


def refuse_other_document(
    session: Session, doc: DocumentRow, upload: Upload, file_type: str
) -> None:
    """IntegrityFailure when a PDF scan's text layer is that of another document of this
    project (a scan without text, PNG or JPEG, cannot be judged and passes)."""
    if file_type != "pdf":
        return
    pages = _pages_text(upload.data)
    from docflow.app.translation import marks

    flat = [re.sub(r"\s+", "", text) for text in pages]
    for mark in marks(session):
        if any(re.sub(r"\s+", "", mark) in text for text in flat):
            raise IntegrityFailure(
                f"{upload.name}: this is a convenience translation (it says “{mark}”), never the "
                f"binding version: give the scan of {doc.doc_id}'s signed paper"
            )
    named = named_document(session, pages, doc.doc_id)
    if named is None or named == doc.doc_id:
        return
    title = next((d.title for d in session.documents if d.doc_id == named), "")
    raise IntegrityFailure(
        f"{upload.name}: this scan is of {named} ({title}), not of {doc.doc_id}: its text "
        f"names {session.code}/{named}; give the scan of {doc.doc_id}'s signed paper"
    )
