"""The portal loads only when it is used: `status`, `links` and `--help` import neither the web
stack nor the PDF libraries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from portal_helpers import PortalCase

WEB = (
    "starlette",
    "uvicorn",
    "multipart",
    "argon2",
    "pypdfium2",
    "jinja2",
    "pyhanko",
    "weasyprint",
)

PROBE = """
import json, sys
from docflow.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "mods": sorted(sys.modules)}), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args", [["--help"], ["status"], ["links", "--json"]], ids=["help", "status", "links"]
)
def test_portal_stays_unloaded(args: list[str], case: PortalCase) -> None:
    case.share()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=case.ws,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    assert sorted(m for m in report["mods"] if m.split(".")[0] in WEB) == []
