"""An independent reader accepts every DOCX: LibreOffice converts each kind to PDF."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from docflow.render import RenderRequest, render_document

CODES = ("SP", "RM", "CA", "DP", "AC", "CN", "MA")
LOCALES = ("zh-CN", "en")

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (libreoffice-writer-nogui) is not installed",
)


def test_libreoffice_converts_every_kind(
    request_for: Callable[..., RenderRequest], tmp_path: Path
) -> None:
    sources = []
    numbers = {}
    for code in CODES:
        for locale in LOCALES:
            request = request_for(code, locale)
            path = tmp_path / f"{code}-{locale}.docx"
            path.write_bytes(render_document(request).docx)
            sources.append(path)
            numbers[path.stem] = request.meta.number
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    # One call converts all of them; a private profile keeps parallel test runs apart.
    proc = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    for src in sources:
        pdf = out / f"{src.stem}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 2000, (src.name, proc.stdout)
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert numbers[src.stem] in text, src.name
