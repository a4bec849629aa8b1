"""Importing WeasyPrint without the compiler probes of ``ctypes.util.find_library``.

WeasyPrint opens each native library (GObject, Pango, HarfBuzz, fontconfig, Pango-FT2) by
trying several names in turn. cffi hands every name that is not a file to
``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and, when that does not
list the name, gcc and ld. Most of WeasyPrint's names are spellings for other systems, so one
import started 22 ``ldconfig`` and 16 gcc/ld probes (86 processes, about 0.25 s of wall time).

While :func:`import_weasyprint` imports it, ``find_library`` answers from one ``ldconfig -p``
listing with the same pattern as the standard library's first step, and skips the compiler
probes. Those could only name a soname that ``dlopen`` then looks up in the same places as
WeasyPrint's own file names (``libpango-1.0.so.0``, ...), which WeasyPrint tries next; a
library with another soname that ``ldconfig`` does not list is the case given up.
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["import_weasyprint", "ldconfig_lookup"]

# ctypes.util._findSoname_ldconfig's table: the ABI tag ldconfig prints for this interpreter
_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


def ldconfig_lookup() -> Callable[[str], str | None]:
    """A ``find_library`` that reads ``ldconfig -p`` once and never starts a compiler."""
    bits = "-32" if struct.calcsize("l") == 4 else "-64"
    abi = _ABI.get(os.uname().machine + bits, "libc6")
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env={"LC_ALL": "C", "LANG": "C"},
            check=False,
        ).stdout
    except OSError:
        listing = b""

    def find_library(name: str) -> str | None:
        # Most names asked for are other systems' spellings: a plain substring test rules
        # them out before the regular expression scans the whole listing.
        if b"lib" + os.fsencode(name) + b"." not in listing:
            return None
        pattern = os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}")
        found = re.search(pattern, listing)
        return os.fsdecode(found.group(1)) if found else None

    return find_library


@contextlib.contextmanager
def _quick_find_library() -> Iterator[None]:
    if not sys.platform.startswith("linux"):
        yield  # elsewhere find_library starts no process
        return
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = ldconfig_lookup()  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> Any:
    """The weasyprint module, imported once per process without compiler probes."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    # WeasyPrint warns at import time about optional libraries; fonts.py reports those once.
    with _quick_find_library(), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import weasyprint
    return weasyprint
