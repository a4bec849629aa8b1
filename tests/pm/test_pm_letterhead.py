"""The company letterhead (letterhead.yaml) in every document, PDF and DOCX, through the docflow
command; a wrong letterhead file or logo is refused with its line."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pdfa"))

Docflow = Callable[..., Any]

LETTERHEAD = """\
company: Qihang Medical Software Ltd.
logo: logo.png
logo_height_mm: 10
colors: {primary: "#1f4e79", accent: "#dce6f1"}
footer: 88 Chuangye Road, Jiangzhou
"""


def _logo(path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 150), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((10, 10, 140, 140), fill=(31, 78, 121, 255))
    image.save(path)


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    return " ".join(out.split())


@pytest.mark.parametrize("where", ["workspace", "company-wide"])
def test_every_document_carries_the_letterhead(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, tmp_path: Path, where: str
) -> None:
    import pikepdf
    from pdfa_checks import pdfa_problems

    ws = skeleton_at("en", "survey.planned")
    folder = ws if where == "workspace" else tmp_path / "company"
    folder.mkdir(exist_ok=True)
    _logo(folder / "logo.png")
    (folder / "letterhead.yaml").write_text(LETTERHEAD, "utf-8")
    env = {} if where == "workspace" else {"DOCFLOW_LETTERHEAD": str(folder / "letterhead.yaml")}
    r = docflow("render", "--json", cwd=ws, env=env)
    assert r.code == 0, r.err
    [new] = r.json()["rerendered"]
    assert new["id"] == "SP-1" and new["version"] == 2
    pdf = ws / new["files"]["pdf"]
    text = _text(pdf)
    assert "Qihang Medical Software Ltd." in text and "88 Chuangye Road" in text
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True
    ).stdout.splitlines()[2:]
    with pikepdf.open(pdf) as doc:
        pages = len(doc.pages)
    assert len(listing) == pages, "the logo is drawn on every page"
    assert all(" smask " not in row for row in listing), listing
    assert pdfa_problems(pdf.read_bytes(), locale="en") == []
    with zipfile.ZipFile(ws / new["files"]["docx"]) as docx:
        names = docx.namelist()
        assert any(n.startswith("word/media/") for n in names)
        header = docx.read("word/header1.xml").decode()
        footer = docx.read("word/footer1.xml").decode()
    assert "Qihang Medical Software Ltd." in header and "<w:drawing>" in header
    assert "88 Chuangye Road" in footer
    again = docflow("render", "--json", cwd=ws, env=env).json()
    assert again["rerendered"] == [] and "SP-1" in again["unchanged"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        pytest.param("colors: {primary: blue}\n", "letterhead.yaml:1", id="colour"),
        pytest.param("company: X\nlogo: missing.png\n", "letterhead.yaml:2", id="no-logo"),
        pytest.param("company: X\nlogo: fake.png\n", "not a PNG or JPEG", id="not-an-image"),
        pytest.param("compnay: X\n", "（是否想输入 'company'？）", id="typo"),
    ],
)
def test_a_wrong_letterhead_is_refused_with_its_line(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, text: str, needle: str
) -> None:
    ws = skeleton_at("zh-CN", "survey.planned")
    (ws / "fake.png").write_bytes(b"GIF89a not really")
    (ws / "letterhead.yaml").write_text(text, "utf-8")
    before = docflow("docs", "--json", cwd=ws).json()
    r = docflow("render", cwd=ws)
    assert r.code == 4, r.err
    assert needle in r.err
    assert docflow("docs", "--json", cwd=ws).json() == before
