"""Checking a stored signed file again: every signature in it, in the order they were made.

A document's signed file is its issued PDF followed by each party's digital signature. Each
signature is checked as :func:`verify_signed_pdf` checked it when it was recorded, on the
file as it was then (the bytes up to the end of that signature's range), so a file accepted
by an older, more lenient docflow, or changed since, is found out; and nothing may follow
the last signature.
"""

from __future__ import annotations

from collections.abc import Sequence

from docflow.errors import IntegrityFailure, InvalidInput

__all__ = ["recheck_signed_file", "require_verified"]


def recheck_signed_file(issued: bytes, signed: bytes, parties: Sequence[str]) -> list[str]:
    """What is wrong with `signed` as `issued` signed digitally by `parties` (one sentence
    each; empty when it verifies)."""
    from docflow.sign.verify import verify_signed_pdf

    try:
        found = _signatures(signed)
    except (InvalidInput, IntegrityFailure) as exc:
        return [exc.message]
    problems: list[str] = []
    base = issued
    for end, party in found:
        try:
            verify_signed_pdf(base, signed[:end], party)
        except IntegrityFailure as exc:
            problems.append(f"the {party}'s signature: {exc.message}")
            return problems
        base = signed[:end]
    if len(base) != len(signed):
        problems.append(
            f"{len(signed) - len(base)} bytes follow the last signature: the file was "
            "changed after it was signed"
        )
    named = [party for _, party in found]
    for party in parties:
        if party not in named:
            problems.append(f"the {party}'s recorded digital signature is not in the file")
    for party in named:
        if party not in parties:
            problems.append(f"the file holds a signature by the {party} that was never recorded")
    return problems


def require_verified(issued: bytes, signed: bytes, parties: Sequence[str]) -> None:
    """IntegrityFailure unless `signed` still verifies: nothing is signed on top of a file
    that does not."""
    problems = recheck_signed_file(issued, signed, parties)
    if problems:
        raise IntegrityFailure(
            f"The document's signed PDF does not verify, so no signature is added to it: "
            f"{problems[0]}"
        )


def _signatures(signed: bytes) -> list[tuple[int, str]]:
    """(end of signed range, field name) of each filled signature field, in file order."""
    from docflow.sign._pypdf import open_pypdf, pypdf_errors

    # Leniently: finding the signatures is not judging them; verify_signed_pdf judges.
    reader = open_pypdf(signed, "The signed PDF", strict=False)
    found: list[tuple[int, str]] = []
    try:
        form = reader.root_object.get("/AcroForm")
        for ref in form.get_object().get("/Fields", []) if form is not None else []:
            field = ref.get_object()
            value = field.get("/V")
            if field.get("/FT") != "/Sig" or value is None:
                continue
            byte_range = value.get_object().get("/ByteRange")
            if not isinstance(byte_range, list) or len(byte_range) != 4:
                raise IntegrityFailure(f"the signature in field {field.get('/T')} has no range")
            found.append((int(byte_range[2]) + int(byte_range[3]), str(field.get("/T"))))
    except pypdf_errors() as exc:
        raise IntegrityFailure(f"The signed PDF cannot be read: {exc}") from exc
    if not found:
        raise IntegrityFailure("The signed PDF holds no signature.")
    return sorted(found)
