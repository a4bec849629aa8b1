"""WeasyPrint imported through docflow loads the same native libraries with one ldconfig run."""

from __future__ import annotations

import ctypes.util
import json
import subprocess
import sys

import pytest

from docflow.render.libs import ldconfig_lookup

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux lookup")

_CHILD = """
import json, subprocess, sys
started = []
_popen = subprocess.Popen.__init__
def counting(self, args, *rest, **kwargs):
    started.append(str(args[0] if isinstance(args, (list, tuple)) else args))
    _popen(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = counting
if sys.argv[1] == "docflow":
    from docflow.render.libs import import_weasyprint
    import_weasyprint()
else:
    import warnings
    warnings.simplefilter("ignore", DeprecationWarning)
    import weasyprint
from weasyprint.text import ffi
with open("/proc/self/maps") as maps:
    libs = sorted({line.split()[-1] for line in maps if ".so" in line})
print(json.dumps({"started": started, "libs": libs, "subset": ffi.harfbuzz_subset is not None}))
"""


def _import_in_child(how: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, how], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout)
    return loaded


def test_same_libraries_without_compiler_probes() -> None:
    """docflow's import starts only ldconfig, once, and maps exactly the same libraries."""
    plain = _import_in_child("plain")
    quick = _import_in_child("docflow")
    assert quick["libs"] == plain["libs"]
    assert quick["subset"] is plain["subset"] is True
    assert quick["started"] == ["/sbin/ldconfig"]
    assert len(plain["started"]) > 1  # what WeasyPrint's own import starts


@pytest.mark.parametrize(
    "name",
    [
        "c",
        "m",
        "harfbuzz",
        "harfbuzz-subset",
        "pango-1.0",
        "pangoft2-1.0",
        "gobject-2.0",
        "fontconfig",
        "no-such-library-xyz",
        "gobject-2.0-0",  # WeasyPrint's spellings for other systems
        "libharfbuzz-vector-0.dll",
    ],
)
def test_lookup_agrees_with_ctypes_first_step(name: str) -> None:
    """Names ldconfig lists resolve to the soname ctypes finds; unknown names to None."""
    assert ldconfig_lookup()(name) == ctypes.util.find_library(name)
