"""Signatures in issued PDFs: empty fields per party, verification of signed copies, and
the vendor's PKCS#12 signing.

This package is light to import: pyHanko loads only inside the functions that verify or
sign. Adding the empty fields when a document is issued does not load it at all.
"""

from __future__ import annotations

import warnings

from docflow.sign.fields import add_signature_fields
from docflow.sign.p12 import sign_with_p12
from docflow.sign.scan import check_scan
from docflow.sign.types import SigBoxLike, SignatureCheck
from docflow.sign.verify import is_digitally_signed, verify_signed_pdf

# pyHanko imports cryptography's DSA support, which recent cryptography releases mark
# deprecated. docflow never makes or accepts DSA signatures: the warning would only alarm users.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko(\.|$)")

__all__ = [
    "SigBoxLike",
    "SignatureCheck",
    "add_signature_fields",
    "check_scan",
    "is_digitally_signed",
    "sign_with_p12",
    "verify_signed_pdf",
]
