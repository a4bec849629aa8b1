"""PDF size per document kind: docflow's PDF/A against LibreOffice's PDF of docflow's DOCX.

The example project (zh-CN by default) goes through its whole lifecycle with one approved
change, so that it issues one document of every kind. Each issued PDF (signature fields
included) is compared with the PDF LibreOffice makes of the same document's DOCX, converted
in the same run by one ``soffice --headless --convert-to pdf`` call. For reference, each
document is also laid out again with WeasyPrint's own font subsetting (every glyph slot
kept, what docflow embedded before its compact CJK subsets): the same lifecycle again.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from bench.report import Check, ratio
from bench.timing import BenchFailure
from bench.workspaces import lifecycle_workspace

__all__ = ["run"]

TARGET = 1.0


def _libreoffice(docx: list[Path], out: Path) -> dict[str, int]:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise BenchFailure("soffice is not installed (apt-get install libreoffice-writer-nogui)")
    out.mkdir(parents=True, exist_ok=True)
    profile = (out / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, docx),
        ],
        capture_output=True,
        check=False,
        timeout=600,
    )
    sizes = {}
    for path in docx:
        pdf = out / (path.stem + ".pdf")
        if not pdf.is_file():
            raise BenchFailure(f"LibreOffice did not convert {path.name}")
        sizes[path.stem] = pdf.stat().st_size
    return sizes


def _issued_sizes(folder: Path, locale: str, compact: bool) -> dict[str, int]:
    """The size of every issued PDF of the lifecycle project, made in ``folder``."""
    from docflow.render.cidfonts import CompactFonts

    own, CompactFonts.compact = CompactFonts.compact, compact
    try:
        workspace = lifecycle_workspace(folder, locale)
    except Exception as exc:  # the example project must reach its last state
        raise BenchFailure(f"preparing the lifecycle project failed: {exc}") from exc
    finally:
        CompactFonts.compact = own
    return {p.stem: p.stat().st_size for p in sorted((workspace / "documents").glob("*-v1.pdf"))}


def run(work: Path, locale: str = "zh-CN") -> tuple[dict[str, Any], list[Check]]:
    """Sizes of every kind's PDF, docflow / LibreOffice, and the previous subsetting's size."""
    folder = work / f"sizes-{locale}"
    sizes = _issued_sizes(folder, locale, compact=True)
    before = _issued_sizes(work / f"sizes-{locale}-weasyprint", locale, compact=False)
    docx = [folder / "documents" / f"{stem}.docx" for stem in sizes]
    libre = _libreoffice(docx, work / f"libreoffice-{locale}")
    result: dict[str, Any] = {"locale": locale, "kinds": {}}
    checks = []
    for stem, ours in sizes.items():
        doc_id = stem.rsplit("-v", 1)[0]
        share = ratio(ours, libre[stem])
        result["kinds"][doc_id] = {
            "docflow_pdf": ours,
            "libreoffice_pdf": libre[stem],
            "weasyprint_subsetting_pdf": before.get(stem),
            "ratio": round(share, 3),
        }
        name = f"{locale} {doc_id}: {ours // 1024} KiB / LibreOffice {libre[stem] // 1024} KiB"
        name += f" (WeasyPrint's subsetting: {before.get(stem, 0) // 1024} KiB)"
        checks.append(Check("size", name, share, "x", f"<= {TARGET:g}x", share <= TARGET))
    return result, checks
