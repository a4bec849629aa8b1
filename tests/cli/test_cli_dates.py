"""Every command that issues or signs takes --date; documents carry that date; DOCFLOW_TODAY
sets "today"; a signature cannot predate the document it signs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docflow import api


def _text(pdf: Path) -> str:
    from pypdf import PdfReader

    return re.sub(r"\s+", "", " ".join(p.extract_text() or "" for p in PdfReader(pdf).pages))


@pytest.mark.parametrize(
    ("locale", "printed"),
    [("zh-CN", "2026年4月1日"), ("en", "1April2026")],
    ids=["zh-CN", "en"],
)
def test_advance_date_is_printed_on_the_document(
    tmp_path: Path, docflow: Callable[..., Any], locale: str, printed: str
) -> None:
    ws = tmp_path / "ws"
    assert docflow("init", str(ws), "--example", "--locale", locale).code == 0
    assert docflow("advance", cwd=ws).code == 0
    result = docflow("advance", "--date", "2026-04-01", "--json", cwd=ws)
    assert result.code == 0, result.err
    [doc] = result.json()["documents"]
    assert doc["issued_on"] == "2026-04-01"
    assert printed in _text(ws / doc["files"]["pdf"])


def test_docflow_today_sets_today(tmp_path: Path, docflow: Callable[..., Any]) -> None:
    ws = tmp_path / "ws"
    env = {"DOCFLOW_TODAY": "2026-03-15"}
    assert docflow("init", str(ws), "--example", env=env).code == 0
    assert docflow("advance", cwd=ws, env=env).code == 0
    [doc] = docflow("advance", "--json", cwd=ws, env=env).json()["documents"]
    assert doc["issued_on"] == "2026-03-15"
    signed = docflow(
        "sign", doc["id"], "--party", "client", "--signer", "A", "--json", cwd=ws, env=env
    )
    assert signed.json()["signature"]["signed_on"] == "2026-03-15"
    bad = docflow("status", cwd=ws, env={"DOCFLOW_TODAY": "15.03.2026"})
    assert bad.code == 0  # reading never asks for the date
    refused = docflow("advance", cwd=ws, env={"DOCFLOW_TODAY": "15.03.2026"})
    assert refused.code == 4 and "DOCFLOW_TODAY" in refused.err


def test_signing_before_the_issue_date_is_refused(
    tmp_path: Path, docflow: Callable[..., Any], tree_snapshot: Callable[[Path], Any]
) -> None:
    ws = tmp_path / "ws"
    assert docflow("init", str(ws), "--example").code == 0
    assert docflow("advance", cwd=ws).code == 0
    assert docflow("advance", "--date", "2026-04-01", cwd=ws).code == 0
    before = tree_snapshot(ws)
    early = docflow(
        "sign", "SP-1", "--party", "client", "--signer", "A", "--date", "2026-03-31", cwd=ws
    )
    assert early.code == 4 and "before SP-1 v1 was issued (2026-04-01)" in early.err
    assert tree_snapshot(ws) == before
    same_day = docflow(
        "sign", "SP-1", "--party", "client", "--signer", "A", "--date", "2026-04-01", cwd=ws
    )
    assert same_day.code == 0, same_day.err


def test_approval_and_render_take_a_date(confirmed_copy: Path, docflow: Callable[..., Any]) -> None:
    ws = confirmed_copy
    filed = docflow(
        "change",
        "new",
        "--title",
        "t",
        "--reason",
        "r",
        "--adds",
        "Kiosk",
        "--description",
        "Kiosk",
        cwd=ws,
    )
    assert filed.code == 0, filed.err
    approved = docflow("change", "approve", "CR-1", "--date", "2027-01-05", "--json", cwd=ws)
    assert approved.code == 0, approved.err
    annex = approved.json()["document"]
    assert annex["issued_on"] == "2027-01-05"
    assert "2027年1月5日" in _text(ws / annex["files"]["pdf"])
    project = (ws / "project.yaml").read_text("utf-8")
    (ws / "project.yaml").write_text(
        re.sub(r"(?m)^(  name:).*$", r"\1 Renamed hospital system", project, count=1), "utf-8"
    )
    rendered = docflow("render", annex["id"], "--date", "2027-01-09", "--json", cwd=ws)
    assert rendered.code == 0, rendered.err
    [again] = rendered.json()["rerendered"]
    assert again["version"] == 2
    [doc] = [d for d in api.Project.open(ws).documents() if d.id == annex["id"]]
    assert doc.issued_on == "2027-01-09"
