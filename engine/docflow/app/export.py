"""The legal bundle: every contract annex in annex order, a register and a manifest."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docflow.errors import EnvironmentProblem, IntegrityFailure, InvalidInput
from docflow.runtime.clock import today
from docflow.runtime.result import Result
from docflow.runtime.session import Session
from docflow.runtime.workspace import atomic_write

__all__ = ["LegalExport", "export_legal", "register_rows"]

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def register_rows(session: Session) -> list[dict[str, Any]]:
    """One row per annex number, in order: live or void, with signatures and hashes."""
    rows = []
    annexed = [d for d in session.documents if d.annex is not None]
    for doc in sorted(annexed, key=lambda d: d.annex or 0):
        sigs = [
            s for s in session.signatures if s.doc_id == doc.doc_id and s.version == doc.version
        ]
        rows.append(
            {
                "annex": doc.annex,
                "document": doc.doc_id,
                "version": doc.version,
                "title": doc.title,
                "issued_on": doc.issued_on,
                "status": doc.status,
                "signatures": "; ".join(
                    f"{s.party}: {s.signer} ({s.method}, {s.signed_on})" for s in sigs
                ),
                "signers": [
                    {
                        "party": s.party,
                        "signer": s.signer,
                        "method": s.method,
                        "signed_on": s.signed_on,
                    }
                    for s in sigs
                ],
                "sha256_pdf": doc.signed_pdf_sha256 or doc.pdf_sha256,
                "sha256_docx": doc.docx_sha256,
            }
        )
    return rows


_CSV_FIELDS = (
    "annex",
    "document",
    "version",
    "title",
    "issued_on",
    "status",
    "signatures",
    "sha256_pdf",
    "sha256_docx",
)


def _register_csv(locale: str, rows: list[dict[str, Any]]) -> bytes:
    """The register as CSV for people: column names, statuses, parties and signing methods
    are words of the register's language (as in its PDF; English names are the field
    names). manifest.json carries the same rows keyed by field name, for programs."""
    from docflow.render.register import register_words, signature_text

    words = register_words(locale)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=_CSV_FIELDS, extrasaction="ignore")
    # English keeps the field names as column names (scripts read them).
    names = words.get("csv_columns", _CSV_FIELDS)
    writer.writerow(dict(zip(_CSV_FIELDS, names, strict=True)))
    for row in rows:
        status = str(row["status"])
        writer.writerow(
            {
                **row,
                "status": words["status"].get(status, status),
                "signatures": signature_text(words, row["signers"]),
            }
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: spreadsheet apps read UTF-8


def _register_pdf(session: Session, rows: list[dict[str, Any]]) -> bytes:
    from docflow.render import render_register_pdf

    data = session.data
    return render_register_pdf(
        session.locale,
        session.code,
        data.project.name,
        data.contract.number,
        rows,
        contract=data.contract.model_dump(mode="python"),
        parties={"client": data.parties.client.name, "vendor": data.parties.vendor.name},
        letterhead=data.parties.vendor.name,
    )


@dataclass(frozen=True)
class LegalExport(Result):
    """The bundle written: its path and its manifest (project, register rows, file hashes)."""

    path: str
    manifest: Mapping[str, Any]

    @property
    def register(self) -> list[dict[str, Any]]:
        """One row per annex number, in order."""
        return list(self.manifest["register"])

    @property
    def files(self) -> list[dict[str, Any]]:
        """Every file in the bundle with its sha256 and size (manifest.json aside)."""
        return list(self.manifest["files"])

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``export legal --json``: ``path`` and the manifest's keys."""
        return {"path": self.path, **self.manifest}


def verified_problems(session: Session, force: bool) -> list[dict[str, Any]]:
    """What ``verify`` finds wrong with the project: IntegrityFailure unless `force`, which
    returns the problems for the manifest to carry."""
    from docflow.app.verify import verify

    report = verify(session)
    problems = [p.to_dict() for p in report.problems]
    if report.ok or force:
        return problems
    first = report.problems[0]
    raise IntegrityFailure(
        f"verify finds {len(problems)} problem(s) in project {session.code} (first: "
        f"{first.kind}: {first.message}); the legal bundle was not written: "
        "fix them, or force the export to list them in its manifest",
        list(report.problems),
    )


def _certificate(session: Session, doc_id: str, version: int) -> bytes | None:
    """The completion certificate of a document version, when the portal made one."""
    from docflow.store.portal import PortalStore

    for row in PortalStore(session.store).certificates(session.code):
        if (row.doc_id, row.version) == (doc_id, version):
            return session.store.blob(row.sha256)
    return None


def export_legal(session: Session, out: Path, force: bool = False) -> LegalExport:
    """Write the zip atomically; return its manifest. A project that fails ``verify`` is
    refused (IntegrityFailure) unless `force`, and then its manifest lists the problems."""
    if out.suffix.lower() != ".zip":
        raise InvalidInput(f"{out}: the legal bundle is a .zip file")
    problems = verified_problems(session, force)
    rows = register_rows(session)
    entries: list[tuple[str, bytes]] = []
    for row in rows:
        doc = session.find_document(row["document"])
        stem = f"annex-{row['annex']:02d}-{doc.doc_id}-v{doc.version}"
        if doc.status == "void":
            continue
        pdf_sha = doc.signed_pdf_sha256 or doc.pdf_sha256
        for ext, sha in (("pdf", pdf_sha), ("docx", doc.docx_sha256)):
            data = session.store.blob(sha)
            if data is None:
                raise EnvironmentProblem(f"the stored {ext} of {doc.doc_id} is missing")
            name = (
                f"{stem}.signed.pdf" if ext == "pdf" and doc.signed_pdf_sha256 else f"{stem}.{ext}"
            )
            entries.append((name, data))
        certificate = _certificate(session, doc.doc_id, doc.version)
        if certificate is not None:
            entries.append((f"{stem}.certificate.pdf", certificate))
        for sig in session.signatures:
            if sig.doc_id == doc.doc_id and sig.method == "scan" and sig.file_sha256:
                data = session.store.blob(sig.file_sha256)
                if data is not None:
                    suffix = Path(sig.file_name or "scan").suffix or ".bin"
                    entries.append((f"{stem}.scan-{sig.party}{suffix}", data))
    entries.append(("register.csv", _register_csv(session.locale, rows)))
    entries.append(("register.pdf", _register_pdf(session, rows)))
    manifest = {
        "project": {"code": session.code, "name": session.data.project.name},
        "contract": session.data.contract.number,
        "generated_by": session.actor,
        "generated_on": today().isoformat(),
        "chain": {"seq": session.row.head_seq, "head": session.row.head_hash},
        # The head to keep: `docflow verify --anchor` (or --anchors manifest.json) checks it.
        "anchor": f"{session.row.head_seq}:{session.row.head_hash}",
        "verified": not problems,
        "problems": problems,
        "register": rows,
        "files": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in entries
        ],
    }
    entries.append(
        ("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    try:
        atomic_write(out, buf.getvalue())
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write {out}: {exc.strerror or exc}") from exc
    return LegalExport(str(out), manifest)
