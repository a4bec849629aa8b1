"""Whether the signer's certificate was valid when the signature says it was made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docflow.errors import IntegrityFailure

__all__ = ["check_validity_period"]

# A signer's clock may run ahead of this machine's; a claimed time further ahead is refused.
_CLOCK_SKEW = dt.timedelta(days=1)


def check_validity_period(cert: Any, claimed: dt.datetime | None, party: str) -> None:
    """IntegrityFailure when `cert` (asn1crypto) had expired or was not yet valid at the
    signing time the signature claims (now, when it claims none), or that time is ahead."""
    now = dt.datetime.now(dt.UTC)
    when = claimed if claimed is not None else now
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    said = "the signing time the signature claims" if claimed is not None else "now"
    subject = cert.subject.human_friendly
    begins, ends = cert.not_valid_before, cert.not_valid_after
    if claimed is not None and when > now + _CLOCK_SKEW:
        raise IntegrityFailure(
            f"The {party}'s signature claims to be made at {when:%Y-%m-%d %H:%M} UTC, "
            "which is still to come."
        )
    if when > ends:
        raise IntegrityFailure(
            f"The {party}'s certificate ({subject}) had expired: it was valid until "
            f"{ends:%Y-%m-%d %H:%M} UTC, before {said} ({when:%Y-%m-%d %H:%M} UTC)."
        )
    if when < begins:
        raise IntegrityFailure(
            f"The {party}'s certificate ({subject}) was not yet valid: it is valid from "
            f"{begins:%Y-%m-%d %H:%M} UTC, after {said} ({when:%Y-%m-%d %H:%M} UTC)."
        )
