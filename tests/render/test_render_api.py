"""The public surface of docflow.render and the promise that importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import docflow.render

HEAVY = ("weasyprint", "docx", "docxtpl", "jinja2", "babel", "ruamel", "pypdf")


def test_public_names() -> None:
    """__all__ is pinned: these names are what other parts of docflow import."""
    assert sorted(docflow.render.__all__) == [
        "DocMeta",
        "PdfStarter",
        "RenderRequest",
        "RenderedDocument",
        "SigBox",
        "Snapshot",
        "html_sha256",
        "render_document",
        "render_html",
        "render_register_pdf",
    ]


def test_import_is_light() -> None:
    """Importing docflow.render loads none of the rendering libraries."""
    code = (
        "import sys, docflow.render\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
