"""Runs kept on one line are written with word joiners for WeasyPrint: the same lines, the
same text, and no joiner in what a reader extracts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from pdfa_lifecycle import KINDS, rerender_request

from docflow.render import pdfwrite, render_document
from docflow.render.pdfwrite import join_kept_runs


def _snapshot(sha: str) -> bytes:
    return json.dumps({"html_sha256": sha}).encode()


def _lines(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """Each page's lines as pdftotext reads them (reading order, one line per line)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [page.splitlines() for page in text.split("\f")]


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_joined_runs_break_lines_where_kept_spans_did(
    lifecycles: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    code: str,
    locale: str,
) -> None:
    """Every zh-CN kind: each page has the same lines with the same text as when the runs
    are laid out as ``white-space: nowrap`` spans, and no word joiner is extracted. English
    pages (hyphenated paragraphs) keep the spans: the same bytes either way."""
    request = rerender_request(lifecycles[locale], code)
    joined = render_document(request, snapshot=_snapshot)
    monkeypatch.setattr(pdfwrite, "join_kept_runs", lambda page: page)
    spans = render_document(request, snapshot=_snapshot)
    assert 'class="df-keep"' in joined.html  # the page compared by hash keeps its spans
    assert joined.html == spans.html and joined.docx == spans.docx
    if locale != "zh-CN":
        assert joined.pdf == spans.pdf
        return
    assert joined.pdf != spans.pdf
    lines = _lines(joined.pdf, tmp_path)
    assert lines == _lines(spans.pdf, tmp_path)
    assert not any("\u2060" in line for page in lines for line in page)


def test_joiners_go_between_characters_not_inside_them() -> None:
    """A joiner between every two characters of a kept run, none before a combining mark,
    a variation selector or inside an emoji sequence; entities stay escaped; other spans
    and text are left alone."""
    wj = "\u2060"
    page = (
        '<p>有限<span class="df-keep">公司 A&amp;B</span> '
        '<span class="df-mono">x y</span>'
        '<span class="df-keep">e\u0301\u845b\U000e0100\U0001f469\u200d\U0001f4bb</span></p>'
    )
    assert join_kept_runs(page) == (
        f"<p>有限公{wj}司{wj} {wj}A{wj}&amp;{wj}B "
        '<span class="df-mono">x y</span>'
        f"e\u0301{wj}\u845b\U000e0100{wj}\U0001f469\u200d\U0001f4bb</p>"
    )
