"""Recording signatures: wet-ink, scanned, or digital in the PDF; freezing signed documents.

Signing comes apart in four steps: check the request against the document, take the evidence
(a file or the vendor's certificate) and verify it, record the signature in one transaction
(where change control hears of a fully signed document and may make a change effective),
then write the signed PDF and the effective change into the workspace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.app.evidence import refuse_held_file, refuse_other_document
from docflow.documents.identity import files_of, signed_pdf_path
from docflow.errors import Conflict, IntegrityFailure, InvalidInput, ProjectChanged
from docflow.runtime.clock import now, today
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.runtime.workspace import atomic_write
from docflow.sign.types import IN_FILE
from docflow.views.documents import DocumentView, document_view

if TYPE_CHECKING:
    from docflow.changes.effective import EffectiveChange
    from docflow.sign import SignatureCheck
    from docflow.store.base import DocumentRow, SignatureRow, WriteTx

__all__ = [
    "SignRequest",
    "SignResult",
    "SignatureOutcome",
    "Upload",
    "record_signature",
    "sign",
]


@dataclass(frozen=True)
class Upload:
    """A file handed over as bytes (a web upload) instead of a path."""

    name: str
    data: bytes


@dataclass(frozen=True)
class SignRequest:
    """One party's signature to record.

    Without ``file`` or ``p12`` the signature is recorded (wet ink on paper). ``file`` is a
    scan, or the PDF the party signed digitally in its reader; ``p12`` is the vendor's
    PKCS#12 certificate to sign with here. ``signed_on`` defaults to the date a digital
    signature states, else today.
    """

    doc_id: str
    party: str
    signer: str
    file: Path | Upload | None = None
    signed_on: dt.date | None = None
    p12: Path | Upload | None = None
    p12_password: bytes | None = None
    trust_roots: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class SignatureOutcome(Result):
    """What was recorded: method, signer, date, certificate and trust, files."""

    party: str
    method: str
    signer: str
    signed_on: str
    certificate: str | None
    trusted: bool | None
    trust: str | None
    file: str | None
    file_sha256: str | None
    signed_file: str | None


@dataclass(frozen=True)
class SignResult(Result):
    """The signed document as it is now, the signature, and what it made effective."""

    document: DocumentView
    signature: SignatureOutcome
    change_effective: str | None = None
    warning: str | None = None
    certificate: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The document's JSON with ``signature`` (and ``change_effective``, ``certificate``,
        ``warning``)."""
        data: dict[str, Any] = {**self.document.to_dict(), "signature": self.signature.to_dict()}
        if self.change_effective is not None:
            data["change_effective"] = self.change_effective
        if self.certificate is not None:
            data["certificate"] = self.certificate
        if self.warning:
            data["warning"] = self.warning
        return data


@dataclass(frozen=True)
class _Evidence:
    """What a request brings: the method, a stored file, a signed PDF and its check."""

    method: str
    file_bytes: bytes | None = None
    file_name: str | None = None
    signed_pdf: bytes | None = None
    check: SignatureCheck | None = None


def _read(source: Path | Upload, what: str) -> Upload:
    """The file of a request: regular files only and size-bounded (docflow.inputs), the same
    bound for bytes handed over in memory (an upload to a server)."""
    from docflow.inputs import max_input_bytes, read_input

    if isinstance(source, Upload):
        bound = max_input_bytes()
        if len(source.data) > bound:
            raise InvalidInput(
                f"the {what} {source.name} is {len(source.data)} bytes, over the limit of "
                f"{bound} bytes"
            )
        return source
    return Upload(source.name, read_input(source, what))


def _require_verified_base(session: Session, doc: DocumentRow, base: bytes) -> None:
    """A digital signature goes on top of the signed file only if that file still verifies."""
    from docflow.sign import require_verified

    if doc.signed_pdf_sha256:
        digital = [
            s.party
            for s in session.signatures
            if (s.doc_id, s.version) == (doc.doc_id, doc.version) and s.method in IN_FILE
        ]
        require_verified(session.store.blob(doc.pdf_sha256) or b"", base, digital)


def _claimed_date(check: SignatureCheck | None) -> dt.date | None:
    """The date the digital signature claims to be made on, as the signature states it."""
    if check is None or check.signed_at is None:
        return None
    return dt.datetime.fromisoformat(check.signed_at).date()


def _not_a_signer(session: Session, doc: DocumentRow, party: str, signers: tuple[str, ...]) -> str:
    """The sentence refusing a party the document does not ask to sign."""
    zh_who = "、".join(session.party_word(p) for p in signers) or "无"
    return session.tell(
        f"{doc.doc_id} 不需要{session.party_word(party)}签署（需签署方：{zh_who}）",
        f"{doc.doc_id} does not need a signature from {party} "
        f"(required: {', '.join(signers) or 'nobody'})",
    )


def _already_signed(session: Session, doc: DocumentRow, party: str) -> str:
    """The sentence refusing a second signature of one party."""
    return session.tell(
        f"{session.party_word(party)}已签署 {doc.doc_id} v{doc.version}",
        f"{party} has already signed {doc.doc_id} v{doc.version}",
    )


def _check_request(session: Session, doc: DocumentRow, req: SignRequest) -> tuple[str, ...]:
    """The document's required signers, once the request fits the document (Conflict else)."""
    kind = session.kind_of(doc)
    signers = tuple(kind.signers) if kind else ()
    if doc.status in ("superseded", "void"):
        raise Conflict(
            session.tell(
                f"{doc.doc_id} v{doc.version} 已{'替代' if doc.status == 'superseded' else '作废'}"
                "，不能签署",
                f"{doc.doc_id} v{doc.version} is {doc.status}; it cannot be signed",
            )
        )
    if req.party not in signers:
        raise Conflict(_not_a_signer(session, doc, req.party, signers))
    if req.party in session.signed_by(doc):
        raise Conflict(_already_signed(session, doc, req.party))
    if not req.signer.strip():
        raise InvalidInput("signer must name the person who signed")
    if req.file is not None and req.p12 is not None:
        raise InvalidInput(
            "a signature comes with a signed file or a PKCS#12 certificate, not both"
        )
    if req.p12 is not None and req.party != "vendor":
        raise InvalidInput(
            "a PKCS#12 certificate signs for the vendor only; the client signs in its reader"
        )
    if req.signed_on is not None and req.signed_on < dt.date.fromisoformat(doc.issued_on):
        raise InvalidInput(
            f"signing date {req.signed_on.isoformat()} is before {doc.doc_id} "
            f"v{doc.version} was issued ({doc.issued_on})"
        )
    from docflow.app.signorder import check_turn

    check_turn(session, doc, req.party)
    return signers


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
    files = files_of(doc)
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
                    f"{other.status} by v{doc.version}; the {party} must sign {files['pdf']}"
                )
            if "signed_pdf" in files:
                raise Conflict(
                    f"the {party} signed an earlier copy of {doc.doc_id} v{doc.version}; "
                    f"another signature has been added since, so the {party} must sign "
                    f"{files['signed_pdf']}"
                )


def _evidence(session: Session, doc: DocumentRow, req: SignRequest, base: bytes) -> _Evidence:
    """Take the request's file or certificate and verify what must be verified."""
    from docflow import sign as pdfsign

    signed_name = Path(signed_pdf_path(files_of(doc)["pdf"])).name
    if req.p12 is not None:
        _require_verified_base(session, doc, base)
        signed_pdf = pdfsign.sign_with_p12(
            base,
            req.party,
            _read(req.p12, "PKCS#12 file").data,
            req.p12_password,
            signer_name=req.signer,
        )
        check = pdfsign.verify_signed_pdf(base, signed_pdf, req.party, trust_roots=req.trust_roots)
        return _Evidence("digital", None, signed_name, signed_pdf, check)
    if req.file is None:
        return _Evidence("recorded")
    upload = _read(req.file, "signed file")
    file_type = pdfsign.check_scan(upload.data, upload.name)
    refuse_held_file(session, doc, upload)
    if file_type == "pdf" and (
        upload.data.startswith(base) or pdfsign.is_digitally_signed(upload.data)
    ):
        _refuse_stale_copy(session, doc, base, upload.data, req.party)
        _require_verified_base(session, doc, base)
        check = pdfsign.verify_signed_pdf(base, upload.data, req.party, trust_roots=req.trust_roots)
        return _Evidence("digital", upload.data, upload.name, upload.data, check)
    refuse_other_document(session, doc, upload, file_type)
    return _Evidence("scan", upload.data, upload.name)


def _require_trust(session: Session, doc: DocumentRow, check: SignatureCheck | None) -> None:
    if check is not None and not check.trusted and session.spec.signatures.require_trusted:
        raise IntegrityFailure(
            f"the signature on {doc.doc_id} by {check.signer_subject} is not trusted "
            f"({check.trust_note}); workflow {session.spec.name} requires certificates that "
            "chain to a trusted root, and none of the trust roots given is one"
        )


_RETRIES = 5


def sign(session: Session, req: SignRequest) -> SignResult:
    """Record one party's signature on the newest version of a document.

    Without a file the signature is wet-ink, recorded. A file is a scan (stored and hashed)
    unless it is a PDF that extends the current PDF or carries a digital signature: then it
    must be exactly that PDF plus the party's one signature in its own field
    (IntegrityFailure otherwise). With a PKCS#12 file the vendor signs here. The signed PDF
    becomes the document's signed file, on which the next party signs. A party that signed
    already or is not required, a superseded or void document, or a copy of an older PDF is a
    Conflict; a signing date before the document's issue date is invalid. Nothing is recorded
    unless every check passes.

    A signature that lost its race to another command's write (a change request filed, a step
    taken) is checked again, evidence included, on the project as it is now, and recorded if
    it still holds: the document may have been superseded or signed by then.
    """
    for attempt in range(_RETRIES):
        try:
            return _sign_once(session, req)
        except ProjectChanged:
            if attempt == _RETRIES - 1:
                raise
            session = session.refreshed()
    raise AssertionError("unreachable")  # the loop returns or raises


def _sign_once(session: Session, req: SignRequest) -> SignResult:
    """Check, take the evidence and record one signature on the project as ``session`` read
    it; ProjectChanged when another command wrote first."""
    doc = session.find_document(req.doc_id)
    signers = _check_request(session, doc, req)
    base = session.store.blob(doc.signed_pdf_sha256 or doc.pdf_sha256)
    if base is None:
        raise Conflict(f"the stored PDF of {doc.doc_id} is missing; verify the project")
    evidence = _evidence(session, doc, req, base)
    check = evidence.check
    _require_trust(session, doc, check)
    claimed = _claimed_date(check)
    signed_on = req.signed_on or claimed or today()
    # A digital signature's own date is recorded as it states it; a default one is checked.
    if (
        req.signed_on is None
        and claimed is None
        and signed_on < dt.date.fromisoformat(doc.issued_on)
    ):
        raise InvalidInput(
            f"signing date {signed_on.isoformat()} is before {doc.doc_id} v{doc.version} "
            f"was issued ({doc.issued_on})"
        )
    all_signed = set(signers) <= session.signed_by(doc) | {req.party}
    effect, file_sha = _record(session, doc, req, evidence, signed_on, all_signed)
    signed_rel = signed_pdf_path(files_of(doc)["pdf"]) if evidence.signed_pdf else None
    if evidence.signed_pdf is not None and signed_rel is not None:
        workspace = session.workspace
        if workspace is not None:
            atomic_write(workspace.root / signed_rel, evidence.signed_pdf)
    warning = effect.write_back(session.workspace) if effect is not None else None
    fresh = session.refreshed()
    certificate = None
    if all_signed:
        from docflow.app.certificates import issue_if_due

        certificate, problem = issue_if_due(fresh, doc.doc_id)
        warning = "; ".join(w for w in (warning, problem) if w) or None
    return SignResult(
        document=document_view(fresh, fresh.find_document(doc.doc_id)),
        signature=SignatureOutcome(
            party=req.party,
            method=evidence.method,
            signer=req.signer,
            signed_on=signed_on.isoformat(),
            certificate=check.signer_subject if check else None,
            trusted=check.trusted if check else None,
            trust=check.trust_note if check else None,
            file=evidence.file_name,
            file_sha256=file_sha,
            signed_file=signed_rel,
        ),
        change_effective=effect.cr_id if effect is not None else None,
        warning=warning,
        certificate=certificate,
    )


def _record(
    session: Session,
    doc: DocumentRow,
    req: SignRequest,
    evidence: _Evidence,
    signed_on: dt.date,
    all_signed: bool,
) -> tuple[EffectiveChange | None, str | None]:
    """Record the signature in one transaction; the change it made effective, the file hash."""
    from docflow.store.base import SignatureRow

    check = evidence.check
    with session.store.write(session.code, session.row.version) as tx:
        file_sha = tx.put_blob(evidence.file_bytes) if evidence.file_bytes is not None else None
        if evidence.signed_pdf is not None:
            sha = tx.put_blob(evidence.signed_pdf)
            tx.set_signed_file(doc.doc_id, doc.version, sha)
            file_sha = file_sha or sha
        row = SignatureRow(
            doc_id=doc.doc_id,
            version=doc.version,
            party=req.party,
            signer=req.signer,
            signed_on=signed_on.isoformat(),
            method=evidence.method,
            file_sha256=file_sha,
            file_name=evidence.file_name,
            certificate=check.signer_subject if check else None,
            trust=check.trust_note if check else None,
            actor=session.actor,
            at=now(),
        )
        effect = record_signature(
            tx, session, doc, row, trusted=check.trusted if check else None, all_signed=all_signed
        )
    return effect, file_sha


def record_signature(
    tx: WriteTx,
    session: Session,
    doc: DocumentRow,
    row: SignatureRow,
    *,
    trusted: bool | None,
    all_signed: bool,
    extra: Mapping[str, Any] | None = None,
) -> EffectiveChange | None:
    """Record ``row`` in the open transaction ``tx``: the signature, its "signature" event
    (with ``extra`` beside the usual keys) and, when it is the last one the document needs,
    the document's signed status and the change this makes effective (returned)."""
    from docflow.changes.effective import on_document_signed

    tx.add_signature(row)
    tx.append_event(
        "signature",
        session.actor,
        {
            "document": doc.doc_id,
            "version": doc.version,
            "party": row.party,
            "signer": row.signer,
            "method": row.method,
            "file_sha256": row.file_sha256,
            "certificate": row.certificate,
            "trusted": trusted,
            "signed_on": row.signed_on,
            **(extra or {}),
        },
    )
    if not all_signed:
        return None
    tx.set_document_status(doc.doc_id, doc.version, "signed")
    tx.append_event(
        "document.signed", session.actor, {"document": doc.doc_id, "version": doc.version}
    )
    return on_document_signed(tx, session, doc)
