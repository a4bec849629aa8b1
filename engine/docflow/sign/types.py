"""Light value types of the signing layer: what a signature box is and what a check found.

Nothing here imports pyHanko, so the CLI and the runtime may import these freely.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

__all__ = ["IN_FILE", "SigBoxLike", "SignatureCheck"]

#: Signature methods whose signature is inside the signed PDF (a reader's or the vendor's
#: PKCS#12 signature, and the portal's sealed one); recorded and scanned ones are not.
IN_FILE: frozenset[str] = frozenset({"digital", "portal"})


class SigBoxLike(Protocol):
    """Where a party's signature cell is: page (0-based) and rect in PDF points.

    The origin is bottom-left, as in PDF user space. ``docflow.render.SigBox`` fits.
    """

    @property
    def page(self) -> int: ...
    @property
    def x(self) -> float: ...
    @property
    def y(self) -> float: ...
    @property
    def width(self) -> float: ...
    @property
    def height(self) -> float: ...


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of verifying one party's digital signature on an issued PDF.

    ``trusted`` says whether the signer's certificate chains to one of the trust roots given;
    ``trust_note`` explains it in one sentence. ``coverage`` is pyHanko's coverage name
    (always ``ENTIRE_FILE`` for an accepted signature). ``signed_at`` is the signing time the
    signer claims (ISO 8601), None when it claims none.
    """

    party: str
    field: str
    signer_subject: str
    signed_at: str | None
    trusted: bool
    trust_note: str
    coverage: str
    intact: bool
    valid: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, for ``--json`` outputs and stored signature records."""
        return asdict(self)
