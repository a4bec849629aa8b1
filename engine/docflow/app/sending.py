"""Sending documents to the client: the current versions, named for people, with a letter.

``docflow export client`` puts into one zip the newest version of each document chosen (by
id, by the step that issued them, or every one awaiting a signature): its PDF (the signed
PDF once a party signed in it) and its DOCX, named ``HIS-2026 需求备忘录 RM-1 v1.pdf``; the
scans of recorded signatures on request; and a cover letter (PDF and DOCX, rendered from the
``cover_letter`` template of the project's locale) listing what is enclosed and who is to
sign what. Superseded and void versions are never sent. Nothing is recorded: the letter is
not a workflow document and has no number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docflow.errors import Conflict, EnvironmentProblem, InvalidInput, UsageError
from docflow.runtime.clock import today
from docflow.runtime.result import Result
from docflow.runtime.session import LIVE, Session
from docflow.store.base import DocumentRow

__all__ = ["ClientExport", "SentFile", "export_client", "select_documents"]

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


@dataclass(frozen=True)
class SentFile(Result):
    """One file in the bundle: its name, hash, size, and what it is."""

    name: str
    sha256: str
    size: int
    role: str  # pdf | signed_pdf | docx | scan | cover_letter_pdf | cover_letter_docx
    document: str | None = None


@dataclass(frozen=True)
class ClientExport(Result):
    """The bundle written: where, the documents sent, every file in it."""

    path: str
    documents: tuple[dict[str, Any], ...] = ()
    files: tuple[SentFile, ...] = field(default=())


def select_documents(
    session: Session,
    doc_ids: Sequence[str] = (),
    *,
    step: str | None = None,
    pending: bool = False,
) -> list[DocumentRow]:
    """The newest versions chosen by id, by the last taking of ``step``, or every one awaiting
    a signature (``pending``); exactly one way of choosing."""
    ways = sum((bool(doc_ids), step is not None, pending))
    if ways != 1:
        raise UsageError(
            "name the documents to send in exactly one way: by id, by the step that issued "
            "them, or every one awaiting a signature"
        )
    if pending:
        chosen = [d for d in session.documents if d.status == "issued" and _awaiting(session, d)]
        if not chosen:
            raise InvalidInput(f"no document of project {session.code} awaits a signature")
        return chosen
    if step is not None:
        doc_ids = _issued_by(session, step)
    chosen = []
    for doc_id in dict.fromkeys(doc_ids):
        doc = session.find_document(doc_id)
        if doc.status not in LIVE:
            raise Conflict(f"{doc.doc_id} v{doc.version} is {doc.status}; it is not sent")
        chosen.append(doc)
    return chosen


def _issued_by(session: Session, trigger: str) -> list[str]:
    if trigger not in {t.trigger for t in session.spec.transitions}:
        known = ", ".join(sorted({t.trigger for t in session.spec.transitions}))
        raise UsageError(f"unknown step {trigger!r} (steps: {known})")
    steps = [
        e
        for e in session.store.events(session.code)
        if e.type == "step" and e.data.get("trigger") == trigger
    ]
    if not steps:
        raise Conflict(f"step {trigger} has not been taken in project {session.code}")
    ids = [str(d.get("id")) for d in steps[-1].data.get("documents") or []]
    if not ids:
        raise InvalidInput(f"step {trigger} issued no documents")
    return ids


def _awaiting(session: Session, doc: DocumentRow) -> list[str]:
    kind = session.kind_of(doc)
    signed = session.signed_by(doc)
    return [p for p in (kind.signers if kind else ()) if p not in signed]


def _safe(name: str) -> str:
    """A file name people can read and every system can store: no separators or controls."""
    return re.sub(r"\s+", " ", _UNSAFE.sub("-", name)).strip(" .-") or "document"


class _Bundle:
    """The files of the zip, in order, each once."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes, str, str | None]] = []

    def add(self, name: str, data: bytes | None, role: str, doc: str | None = None) -> str:
        if data is None:
            raise EnvironmentProblem(f"the stored {role} of {doc} is missing; run docflow verify")
        taken = {e[0] for e in self.entries}
        stem, dot, ext = name.rpartition(".")
        unique, n = name, 2
        while unique in taken:
            unique, n = f"{stem} ({n}).{ext}" if dot else f"{name} ({n})", n + 1
        self.entries.append((unique, data, role, doc))
        return unique


def _enclose(
    session: Session, bundle: _Bundle, doc: DocumentRow, words: dict[str, Any], scans: bool
) -> dict[str, Any]:
    """Add one document's files; its entry in the letter."""
    zh = session.locale.startswith("zh")
    base = _safe(f"{session.code} {session.doc_title(doc.code)} {doc.doc_id} v{doc.version}")
    store = session.store
    if doc.signed_pdf_sha256:
        signed = f"{base} {words.get('signed', 'signed')}.pdf"
        names = [bundle.add(signed, store.blob(doc.signed_pdf_sha256), "signed_pdf", doc.doc_id)]
    else:
        names = [bundle.add(f"{base}.pdf", store.blob(doc.pdf_sha256), "pdf", doc.doc_id)]
    names.append(bundle.add(f"{base}.docx", store.blob(doc.docx_sha256), "docx", doc.doc_id))
    scan_names = []
    for sig in session.signatures_on(doc) if scans else ():
        if sig.method != "scan" or not sig.file_sha256:
            continue
        party = str((words.get("party") or {}).get(sig.party, sig.party))
        suffix = Path(sig.file_name or "scan").suffix.lower() or ".bin"
        name = f"{base} {party}{'' if zh else ' '}{words.get('scan', 'scan')}{suffix}"
        scan_names.append(bundle.add(_safe(name), store.blob(sig.file_sha256), "scan", doc.doc_id))
    return {
        "id": doc.doc_id,
        "number": f"{session.code}/{doc.doc_id}",
        "title": session.doc_title(doc.code),
        "version": doc.version,
        "status": doc.status,
        "awaiting": _awaiting(session, doc) if doc.status == "issued" else [],
        "signed": sorted(session.signed_by(doc)),
        "files": names,
        "scans": scan_names,
    }


def _letter(session: Session, entries: list[dict[str, Any]], date: dt.date) -> tuple[str, Any]:
    """The cover letter's title and rendered files."""
    from docflow.render import DocMeta, RenderRequest, render_document
    from docflow.render.context import load_labels, search_path

    labels = load_labels(search_path(session.template_dirs()), session.locale)
    title = str((labels.get("letter") or {}).get("title") or "Cover letter")
    meta = DocMeta(
        id=session.code,
        code="",
        template="cover_letter",
        title=title,
        number=session.code,
        version=1,
        annex=None,
        issued_on=date,
        signers=(),
        locale=session.locale,
        project_code=session.code,
        project_name=session.data.project.name,
        contract_number=session.data.contract.number,
        anchor_seq=session.row.head_seq,
        anchor_hash=session.row.head_hash,
    )
    letter = {
        "date": date,
        "documents": entries,
        "awaiting": [e for e in entries if e["awaiting"]],
        "scans": [name for e in entries for name in e["scans"]],
    }
    context = {"p": session.data.model_dump(mode="python"), "letter": letter}
    return title, render_document(RenderRequest(meta, context, session.template_dirs()))


def export_client(
    session: Session,
    out: Path,
    documents: Sequence[DocumentRow],
    *,
    with_signed: bool = False,
    date: dt.date | None = None,
) -> ClientExport:
    """Write the zip of ``documents`` (current versions) with a cover letter to ``out``."""
    import io
    import zipfile

    from docflow.render.context import load_labels, search_path
    from docflow.runtime.workspace import atomic_write

    if out.suffix.lower() != ".zip":
        raise InvalidInput(f"{out}: the bundle for the client is a .zip file")
    labels = load_labels(search_path(session.template_dirs()), session.locale)
    words = {**(labels.get("letter") or {}), "party": labels.get("party") or {}}
    bundle = _Bundle()
    entries = [_enclose(session, bundle, d, words, with_signed) for d in documents]
    title, letter = _letter(session, entries, date or today())
    stem = _safe(f"{session.code} {title}")
    bundle.add(f"{stem}.pdf", letter.pdf, "cover_letter_pdf")
    bundle.add(f"{stem}.docx", letter.docx, "cover_letter_docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data, _role, _doc in bundle.entries:
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    try:
        atomic_write(out, buf.getvalue())
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write {out}: {exc.strerror or exc}") from exc
    files = tuple(
        SentFile(name, hashlib.sha256(data).hexdigest(), len(data), role, doc)
        for name, data, role, doc in bundle.entries
    )
    sent = tuple(
        {k: e[k] for k in ("id", "version", "status", "awaiting", "signed", "files", "scans")}
        for e in entries
    )
    return ClientExport(str(out), sent, files)
