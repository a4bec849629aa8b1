"""Importing docflow.sign stays light: pyHanko and friends load only when a function runs."""

from __future__ import annotations

import subprocess
import sys

import docflow.sign

HEAVY = ("pyhanko", "pyhanko_certvalidator", "asn1crypto", "cryptography", "fontTools", "pypdf")


def test_import_loads_no_signing_library() -> None:
    code = (
        "import sys, docflow.sign\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_surface() -> None:
    assert sorted(docflow.sign.__all__) == [
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
