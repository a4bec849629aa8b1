"""Signatures in issued PDFs: empty fields per party, verification of signed copies, and
the vendor's PKCS#12 signing.

This package is light to import: pypdf loads only inside the functions that write fields
or read a PDF, pyHanko only inside those that verify or sign.
"""

from __future__ import annotations

import warnings

from docflow.sign.anchor import read_anchor
from docflow.sign.detect import is_digitally_signed
from docflow.sign.fields import add_signature_fields, prepare_fields
from docflow.sign.p12 import sign_with_p12
from docflow.sign.recheck import recheck_signed_file, require_verified
from docflow.sign.scan import check_scan
from docflow.sign.types import SigBoxLike, SignatureCheck
from docflow.sign.verify import verify_signed_pdf

# pyHanko imports cryptography's DSA support, which recent cryptography releases mark
# deprecated. docflow never makes or accepts DSA signatures: the warning would only alarm users.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko(\.|$)")

__all__ = [
    "SigBoxLike",
    "SignatureCheck",
    "add_signature_fields",
    "check_scan",
    "is_digitally_signed",
    "prepare_fields",
    "read_anchor",
    "recheck_signed_file",
    "require_verified",
    "sign_with_p12",
    "verify_signed_pdf",
]
