"""Recording signatures: wet-ink, scanned, or digital in the PDF; freezing signed documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.errors import Conflict, DocflowError, IntegrityFailure, InvalidInput
from docflow.inputs import read_input
from docflow.runtime.session import Session
from docflow.runtime.views import document_view
from docflow.runtime.workspace import atomic_write

if TYPE_CHECKING:
    from docflow.sign import SignatureCheck
    from docflow.store.base import DocumentRow

__all__ = ["SignRequest", "sign"]


@dataclass(frozen=True)
class SignRequest:
    """What ``docflow sign`` was asked to record."""

    doc_id: str
    party: str
    signer: str
    file: Path | None = None
    signed_on: dt.date | None = None
    p12: Path | None = None
    p12_password: bytes | None = None
    trust_roots: tuple[bytes, ...] = ()


def _signed_name(pdf_rel: str) -> str:
    """Where the signed PDF of a document version lives: beside the issued one."""
    stem = pdf_rel[:-4] if pdf_rel.lower().endswith(".pdf") else pdf_rel
    return f"{stem}.signed.pdf"


def _claimed_date(check: SignatureCheck | None) -> dt.date | None:
    """The date the digital signature claims to be made on, as the signature states it."""
    if check is None or check.signed_at is None:
        return None
    return dt.datetime.fromisoformat(check.signed_at).date()


def _refuse_stale_copy(
    session: Session, doc: DocumentRow, base: bytes, signed: bytes, party: str
) -> None:
    """A party that signed an older copy gets a conflict that says which copy to sign.

    The file must extend the current PDF (the issued one, or the signed file after another
    party's digital signature). A copy of a superseded version, or the issued PDF signed
    while another party's digital signature was being added, is the right document at the
    wrong moment: a conflict (exit 5), not a forgery.
    """
    if signed.startswith(base):
        return
    current = _signed_name(doc.files.get("pdf", "")) if doc.signed_pdf_sha256 else None
    for other in session.all_documents:
        if other.doc_id != doc.doc_id:
            continue
        for sha in (other.pdf_sha256, other.signed_pdf_sha256):
            earlier = session.store.blob(sha) if sha else None
            if not earlier or not signed.startswith(earlier):
                continue
            if other.version != doc.version:
                raise Conflict(
                    f"the signed file is a copy of {doc.doc_id} v{other.version}, which is "
                    f"{other.status} by v{doc.version}; the {party} must sign "
                    f"{doc.files.get('pdf', f'v{doc.version}')}"
                )
            if current is not None:
                raise Conflict(
                    f"the {party} signed an earlier copy of {doc.doc_id} v{doc.version}; "
                    f"another signature has been added since, so the {party} must sign "
                    f"{current}"
                )


def _read(path: Path, what: str) -> bytes:
    return read_input(path, what)  # regular files only, size-bounded (docflow.inputs)


def _require_verified_base(session: Session, doc: DocumentRow, base: bytes) -> None:
    """A digital signature goes on top of the signed file only if that file still verifies."""
    from docflow.sign import require_verified

    if doc.signed_pdf_sha256:
        digital = [
            s.party
            for s in session.signatures
            if (s.doc_id, s.version, s.method) == (doc.doc_id, doc.version, "digital")
        ]
        require_verified(session.store.blob(doc.pdf_sha256) or b"", base, digital)


def sign(session: Session, req: SignRequest) -> dict[str, Any]:
    """Record one party's signature on the newest version of a document.

    Without a file the signature is wet-ink, recorded. A file is a scan (stored and hashed)
    unless it is a PDF that extends the current PDF or carries a digital signature: then it
    must be exactly that PDF plus the party's one signature in its own field
    (IntegrityFailure otherwise). With a PKCS#12 file the vendor signs here. The signed PDF
    becomes the document's signed file, on which the next party signs. A party that signed
    already or is not required, a superseded or void document, or a copy of an older PDF is a
    Conflict. Nothing is recorded unless every check passes.
    """
    from docflow import sign as pdfsign

    doc = session.find_document(req.doc_id)
    kind = session.kind_of(doc)
    signers = list(kind.signers) if kind else []
    if doc.status in ("superseded", "void"):
        raise Conflict(f"{doc.doc_id} v{doc.version} is {doc.status}; it cannot be signed")
    if req.party not in signers:
        raise Conflict(
            f"{doc.doc_id} does not need a signature from {req.party} "
            f"(required: {', '.join(signers) or 'nobody'})"
        )
    if req.party in session.signed_by(doc):
        raise Conflict(f"{req.party} has already signed {doc.doc_id} v{doc.version}")
    if not req.signer.strip():
        raise InvalidInput("--signer must name the person who signed")

    base_sha = doc.signed_pdf_sha256 or doc.pdf_sha256
    base = session.store.blob(base_sha)
    if base is None:
        raise Conflict(f"the stored PDF of {doc.doc_id} is missing; run `docflow verify`")
    signed_name = _signed_name(doc.files.get("pdf", f"documents/{doc.doc_id}-v{doc.version}.pdf"))
    method, file_bytes, file_name = "recorded", None, None
    check: SignatureCheck | None = None
    signed_pdf: bytes | None = None
    if req.p12 is not None:
        if req.party != "vendor":
            raise InvalidInput("--p12 signs for the vendor only; the client signs in its reader")
        _require_verified_base(session, doc, base)
        signed_pdf = pdfsign.sign_with_p12(
            base,
            req.party,
            _read(req.p12, "PKCS#12 file"),
            req.p12_password,
            signer_name=req.signer,
        )
        check = pdfsign.verify_signed_pdf(base, signed_pdf, req.party, trust_roots=req.trust_roots)
        method, file_name = "digital", Path(signed_name).name
    elif req.file is not None:
        file_bytes = _read(req.file, "signed file")
        file_type = pdfsign.check_scan(file_bytes, req.file.name)
        file_name = req.file.name
        if file_type == "pdf" and (
            file_bytes.startswith(base) or pdfsign.is_digitally_signed(file_bytes)
        ):
            _refuse_stale_copy(session, doc, base, file_bytes, req.party)
            _require_verified_base(session, doc, base)
            check = pdfsign.verify_signed_pdf(
                base, file_bytes, req.party, trust_roots=req.trust_roots
            )
            method, signed_pdf = "digital", file_bytes
        else:
            method = "scan"
    certificate = check.signer_subject if check else None
    trust = check.trust_note if check else None
    if check is not None and not check.trusted and session.spec.signatures.require_trusted:
        raise IntegrityFailure(
            f"the signature on {doc.doc_id} by {certificate} is not trusted ({trust}); "
            f"workflow {session.spec.name} requires certificates from a trusted root "
            "(name them with --trust-root or DOCFLOW_TRUST_ROOTS)"
        )

    from docflow.store.base import SignatureRow

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    signed_on = (req.signed_on or _claimed_date(check) or dt.date.today()).isoformat()
    all_signed = set(signers) <= session.signed_by(doc) | {req.party}
    becomes_effective = None
    for change in session.changes:
        if change.doc_id == doc.doc_id and change.status == "approved" and all_signed:
            becomes_effective = change
    if becomes_effective is not None:
        from docflow.runtime.requirements import validate_change

        spec = session.change_spec(becomes_effective)
        clash = [
            p for p in validate_change(spec, session.current_requirements()) if p.kind == "invalid"
        ]
        if clash:
            raise Conflict(
                f"{becomes_effective.cr_id} can no longer take effect ({clash[0].message}); "
                f"withdraw it (docflow change withdraw {becomes_effective.cr_id} --reason ...) "
                "and file it again"
            )
    with session.store.write(session.code, session.row.version) as tx:
        file_sha = tx.put_blob(file_bytes) if file_bytes is not None else None
        if signed_pdf is not None:
            sha = tx.put_blob(signed_pdf)
            tx.set_signed_file(doc.doc_id, doc.version, sha)
            file_sha = file_sha or sha
        tx.add_signature(
            SignatureRow(
                doc_id=doc.doc_id,
                version=doc.version,
                party=req.party,
                signer=req.signer,
                signed_on=signed_on,
                method=method,
                file_sha256=file_sha,
                file_name=file_name,
                certificate=certificate,
                trust=trust,
                actor=session.actor,
                at=now,
            )
        )
        tx.append_event(
            "signature",
            session.actor,
            {
                "document": doc.doc_id,
                "version": doc.version,
                "party": req.party,
                "signer": req.signer,
                "method": method,
                "file_sha256": file_sha,
                "certificate": certificate,
                "trusted": check.trusted if check else None,
                "signed_on": signed_on,
            },
        )
        if all_signed:
            tx.set_document_status(doc.doc_id, doc.version, "signed")
            tx.append_event(
                "document.signed", session.actor, {"document": doc.doc_id, "version": doc.version}
            )
        if becomes_effective is not None:
            tx.update_change(becomes_effective.cr_id, status="effective")
            tx.append_event(
                "change.effective",
                session.actor,
                {"change": becomes_effective.cr_id, "document": doc.doc_id},
            )
    if signed_pdf is not None:
        atomic_write(session.workspace.root / signed_name, signed_pdf)
    warning = None
    if becomes_effective is not None:
        from docflow.runtime.yamledit import apply_change_to_project_yaml

        try:
            apply_change_to_project_yaml(
                session.workspace.project_file, session.change_spec(becomes_effective)
            )
        except DocflowError as exc:
            # The change is effective in the store; the PM's file is only a copy to update.
            warning = (
                f"{becomes_effective.cr_id} is effective, but project.yaml could not be "
                f"updated ({exc.message}); edit its requirements to match (docflow status "
                "lists the differences)"
            )
    fresh = session.refreshed()
    view = document_view(fresh, fresh.find_document(doc.doc_id))
    view["signature"] = {
        "party": req.party,
        "method": method,
        "signer": req.signer,
        "signed_on": signed_on,
        "certificate": certificate,
        "trusted": check.trusted if check else None,
        "trust": trust,
        "file": file_name,
        "file_sha256": file_sha,
        "signed_file": signed_name if signed_pdf is not None else None,
    }
    if becomes_effective is not None:
        view["change_effective"] = becomes_effective.cr_id
    if warning:
        view["warning"] = warning
    return view
