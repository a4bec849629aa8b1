"""Trust roots given to the verifier, and the one sentence that says whether a signer's
certificate chains to one of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docflow.errors import InvalidInput

__all__ = ["load_roots", "trust_note"]


def load_roots(trust_roots: Sequence[bytes]) -> list[Any]:
    """Parse PEM or DER certificates; a bad one is an InvalidInput naming its position."""
    from pyhanko.keys import load_certs_from_pemder_data

    roots: list[Any] = []
    for number, data in enumerate(trust_roots, start=1):
        try:
            certs = list(load_certs_from_pemder_data(data))
            for cert in certs:
                cert.subject.human_friendly  # noqa: B018 -- asn1crypto parses lazily
        except (ValueError, TypeError) as exc:
            raise InvalidInput(f"Trust root #{number} is not a PEM or DER certificate.") from exc
        if not certs:
            raise InvalidInput(f"Trust root #{number} holds no certificate.")
        roots.extend(certs)
    return roots


def trust_note(status: Any, have_roots: bool) -> str:
    """One sentence on whether the certificate is trusted, and if not, why."""
    if status.trusted:
        return "The signer's certificate chains to a trusted root."
    if status.revoked:
        return "The signer's certificate has been revoked."
    if not have_roots:
        return "No trust roots are configured, so the signer's certificate is not vouched for."
    problem = status.trust_problem_indic
    reason = f" ({problem.name})" if problem is not None else ""
    return f"The signer's certificate does not chain to a trusted root{reason}."
