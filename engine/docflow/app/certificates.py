"""Completion certificates: ``<DOC>-v<N>.certificate.pdf``, made when the last party signs a
document that at least one party signed through the portal.

The certificate is a file of its own (the signed PDF is never touched after its last
signature): the document's id and title, the SHA-256 of the issued and of the signed file,
each signature with its method, signer and time, and for portal signatures the evidence its
"signature" event holds (IP, browser, code verification, drawing hash, consent), plus the head
of the event chain. It is rendered by docflow's own renderer from the template kind
``signing_certificate`` (PDF only), stored as a blob, recorded with a ``certificate.issued``
event, written into the workspace when it is reachable, restored by ``docflow render`` and
checked by ``verify``; the legal bundle carries it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.documents.identity import files_of, signed_pdf_path
from docflow.errors import DocflowError, Problem
from docflow.runtime.clock import now, today
from docflow.runtime.workspace import Workspace, atomic_write
from docflow.store.portal import PortalStore
from docflow.store.portal_rows import CertificateRow

if TYPE_CHECKING:
    from docflow.runtime.session import Session
    from docflow.store.base import DocumentRow

__all__ = [
    "TEMPLATE",
    "certificate_path",
    "certificate_problems",
    "issue_certificate",
    "issue_if_due",
    "restore_certificates",
]

TEMPLATE = "signing_certificate"
_TITLE = {"zh-CN": "签署完成证书", "en": "Certificate of completion"}


def certificate_path(doc: DocumentRow) -> str:
    """Where a version's certificate lives in the workspace: beside its PDF."""
    pdf = files_of(doc).get("pdf", f"documents/{doc.doc_id}-v{doc.version}.pdf")
    return f"{pdf[:-4]}.certificate.pdf"


def _portal_evidence(session: Session, doc: DocumentRow) -> dict[str, dict[str, Any]]:
    """Per party, what the "signature" event of a portal signature recorded, with the link's
    sent address and first view."""
    links = {link.link_id: link for link in PortalStore(session.store).links(session.code)}
    found: dict[str, dict[str, Any]] = {}
    for event in session.store.events(session.code):
        data = event.data
        if event.type != "signature" or data.get("method") != "portal":
            continue
        if (data.get("document"), data.get("version")) != (doc.doc_id, doc.version):
            continue
        evidence = dict(data.get("evidence") or {})
        link = links.get(str(data.get("link")))
        evidence["link"] = data.get("link")
        evidence["sent_to"] = link.email if link else None
        evidence["viewed_at"] = link.viewed_at if link else None
        found[str(data.get("party"))] = evidence
    return found


def _context(session: Session, doc: DocumentRow) -> dict[str, Any]:
    files = files_of(doc)
    evidence = _portal_evidence(session, doc)
    signatures = []
    for sig in session.signatures_on(doc):
        signatures.append(
            {
                "party": sig.party,
                "signer": sig.signer,
                "method": sig.method,
                "signed_on": dt.date.fromisoformat(sig.signed_on[:10]),
                "at": sig.at,
                "certificate": sig.certificate,
                "file_sha256": sig.file_sha256,
                "portal": evidence.get(sig.party) if sig.method == "portal" else None,
            }
        )
    final = doc.signed_pdf_sha256 or doc.pdf_sha256
    return {
        "document": {
            "id": doc.doc_id,
            "title": doc.title,
            "version": doc.version,
            "issued_on": dt.date.fromisoformat(doc.issued_on),
        },
        "issued": {"file": Path(files["pdf"]).name, "sha256": doc.pdf_sha256},
        "final": {
            "file": Path(
                signed_pdf_path(files["pdf"]) if doc.signed_pdf_sha256 else files["pdf"]
            ).name,
            "sha256": final,
        },
        "signatures": signatures,
        "completed_at": max((s.at for s in session.signatures_on(doc)), default=""),
        "chain": {"seq": session.row.head_seq, "head": session.row.head_hash},
    }


def render_certificate(session: Session, doc: DocumentRow) -> bytes:
    """The certificate's PDF for a signed version, as of the project's chain head now."""
    from docflow.render import DocMeta, RenderRequest
    from docflow.render.pdf import render_pdf
    from docflow.render.pipeline import prepare

    meta = DocMeta(
        id=doc.doc_id,
        code=doc.code,
        template=TEMPLATE,
        title=_TITLE.get(session.locale, _TITLE["en"]),
        number=f"{session.code}/{doc.doc_id}",
        version=doc.version,
        annex=None,
        issued_on=today(),
        signers=(),
        locale=session.locale,
        project_code=session.code,
        project_name=session.data.project.name,
        contract_number=session.data.contract.number,
        anchor_seq=session.row.head_seq,
        anchor_hash=session.row.head_hash,
    )
    context = {
        "p": session.data.model_dump(mode="python"),
        "certificate": _context(session, doc),
    }
    prepared = prepare(RenderRequest(meta, context, session.template_dirs()))
    pdf, _boxes = render_pdf(prepared.html, meta, prepared.dirs)
    return pdf


def _due(session: Session, doc: DocumentRow) -> bool:
    if doc.status != "signed":
        return False
    if not any(s.method == "portal" for s in session.signatures_on(doc)):
        return False
    made = PortalStore(session.store).certificates(session.code)
    return not any((c.doc_id, c.version) == (doc.doc_id, doc.version) for c in made)


def issue_certificate(session: Session, doc: DocumentRow) -> CertificateRow:
    """Render, store and record the certificate of a signed version; write it into the
    workspace when there is one. A second certificate for one version is a Conflict."""
    pdf = render_certificate(session, doc)
    rel = certificate_path(doc)
    with session.store.write(session.code, None) as tx:
        sha = tx.put_blob(pdf)
        row = CertificateRow(session.code, doc.doc_id, doc.version, sha, rel, now())
        PortalStore.insert_certificate(tx, row)
        tx.append_event(
            "certificate.issued",
            session.actor,
            {"document": doc.doc_id, "version": doc.version, "sha256": sha, "file": rel},
        )
    workspace = session.workspace
    if workspace is not None:
        atomic_write(workspace.root / rel, pdf)
    return row


def issue_if_due(session: Session, doc_id: str) -> tuple[str | None, str | None]:
    """Issue the certificate of ``doc_id``'s newest version if it is due: (its path, None);
    (None, why) when making it failed, (None, None) when none is due. The signature stands
    either way; ``docflow render`` makes a missing certificate later."""
    doc = session.find_document(doc_id)
    if not _due(session, doc):
        return None, None
    try:
        return issue_certificate(session, doc).file, None
    except DocflowError as exc:
        return None, (
            f"the completion certificate of {doc.doc_id} v{doc.version} was not made "
            f"({exc.message}); `docflow render` makes it"
        )


def restore_certificates(session: Session, workspace: Workspace) -> list[str]:
    """Make missing certificates, and write back every certificate file that is missing or
    altered in the workspace; the paths written."""
    written = []
    for doc in session.documents:
        if _due(session, doc):
            written.append(issue_certificate(session, doc).file)
    for row in PortalStore(session.store).certificates(session.code):
        path = workspace.root / row.file
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256:
            continue
        data = session.store.blob(row.sha256)
        if data is not None and row.file not in written:
            atomic_write(path, data)
            written.append(row.file)
    return written


def certificate_problems(session: Session) -> list[Problem]:
    """What verify finds wrong with the certificates: a missing or altered blob or file."""
    problems = []
    root = session.workspace.root if session.workspace is not None else None
    recorded = {
        (e.data.get("document"), e.data.get("version")): e.data.get("sha256")
        for e in session.store.events(session.code)
        if e.type == "certificate.issued"
    }
    rows = PortalStore(session.store).certificates(session.code)
    for key in sorted(set(recorded) - {(r.doc_id, r.version) for r in rows}, key=str):
        problems.append(
            Problem(
                f"the completion certificate of {key[0]} v{key[1]} recorded in the event log is "
                "missing from the store",
                kind="certificate",
                path=f"{key[0]}/v{key[1]}",
            )
        )
    for row in rows:
        blob = session.store.blob(row.sha256)
        where = f"{row.doc_id}/v{row.version}"
        if recorded.get((row.doc_id, row.version)) != row.sha256:
            problems.append(
                Problem(
                    f"the completion certificate of {row.doc_id} v{row.version} is not the one "
                    "the event log recorded",
                    kind="certificate",
                    path=where,
                )
            )
            continue
        if blob is None or hashlib.sha256(blob).hexdigest() != row.sha256:
            problems.append(
                Problem(
                    f"the stored completion certificate of {row.doc_id} v{row.version} is "
                    "missing or altered",
                    kind="certificate",
                    path=where,
                )
            )
            continue
        if root is None:
            continue
        path = root / row.file
        if not path.is_file():
            problems.append(
                Problem(
                    f"{row.file} is missing (rendering restores it from the store)",
                    kind="file_missing",
                    file=row.file,
                )
            )
        elif hashlib.sha256(path.read_bytes()).hexdigest() != row.sha256:
            problems.append(
                Problem(
                    f"{row.file} differs from the completion certificate docflow made",
                    kind="file_modified",
                    file=row.file,
                )
            )
    return problems
