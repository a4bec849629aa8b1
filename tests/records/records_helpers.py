"""Helpers of the records tests: running docflow and reading what it wrote, minutes files,
a small workflow with every record feature, and the text of PDF and DOCX files."""

from __future__ import annotations

import io
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

Docflow = Callable[..., Any]


def ok(docflow: Docflow, ws: Path, *args: str, today: str | None = None) -> Any:
    """Run ``docflow -C ws ARGS --json`` (on ``today``), require exit 0, return its JSON."""
    env = {"DOCFLOW_TODAY": today} if today else None
    result = docflow("-C", str(ws), *args, "--json", env=env)
    assert result.code == 0, result.err
    return result.json()


def fails(docflow: Docflow, ws: Path, *args: str, today: str | None = None) -> Any:
    """Run a command that must fail; the finished run."""
    env = {"DOCFLOW_TODAY": today} if today else None
    result = docflow("-C", str(ws), *args, env=env)
    assert result.code != 0, result.out
    return result


def minutes(path: Path, **fields: Any) -> Path:
    """Write a minutes file: a small meeting, with ``fields`` replacing its parts."""
    data: dict[str, Any] = {
        "title": "Weekly meeting",
        "date": "2026-04-09",
        "place": "Room 1",
        "participants": {
            "client": [{"name": "Ann Client", "role": "Head of IT"}],
            "vendor": ["Vic Vendor"],
        },
        "topics": ["Progress"],
        "decisions": [{"text": "Go on as planned."}],
        "action_items": [],
    }
    data.update(fields)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def event_types(docflow: Docflow, ws: Path) -> list[str]:
    """The types of the project's events, oldest first."""
    return [e["type"] for e in ok(docflow, ws, "log")]


def records_workflow(folder: Path) -> Path:
    """A small workflow with every record feature: minutes (deemed confirmed after two
    working days), reports, a certificate deemed confirmed after five, a survey required
    with an average of at least 3.5, and a calendar with a holiday and a worked Saturday."""
    spec = {
        "name": "records_flow",
        "title": {"zh-CN": "记录流程", "en": "Records flow"},
        "locales": ["zh-CN", "en"],
        "initial": "work.started",
        "states": {
            "work.started": {"phase": "work", "title": {"zh-CN": "进行中", "en": "Started"}},
            "work.done": {"phase": "work", "title": {"zh-CN": "已完成", "en": "Done"}},
            "check.requested": {"phase": "check", "title": {"zh-CN": "待验收", "en": "Requested"}},
            "check.accepted": {"phase": "check", "title": {"zh-CN": "已验收", "en": "Accepted"}},
            "closed": {"phase": "end", "title": {"zh-CN": "关闭", "en": "Closed"}, "final": True},
        },
        "transitions": [
            {
                "trigger": "finish",
                "source": "work.started",
                "dest": "work.done",
                "title": {"zh-CN": "完成", "en": "Finish"},
            },
            {
                "trigger": "request_check",
                "source": "work.done",
                "dest": "check.requested",
                "title": {"zh-CN": "申请验收", "en": "Request the check"},
                "guards": [
                    {"type": "confirmed_in_phase", "document": "MM"},
                    {"type": "no_overdue_actions", "party": "vendor"},
                ],
                "emits": ["AC", "CS"],
            },
            {
                "trigger": "accept",
                "source": "check.requested",
                "dest": "check.accepted",
                "title": {"zh-CN": "验收通过", "en": "Accept"},
                "guards": [
                    {"type": "document_signed", "document": "AC", "parties": ["client"]},
                    {"type": "satisfaction_recorded", "min_average": 3.5},
                ],
            },
            {
                "trigger": "close",
                "source": "check.accepted",
                "dest": "closed",
                "title": {"zh-CN": "关闭", "en": "Close"},
            },
        ],
        "documents": {
            "MM": {
                "template": "meeting_minutes",
                "title": {"zh-CN": "会议纪要", "en": "Meeting minutes"},
                "signers": ["client"],
                "per": "meeting",
                "deemed_confirmed": {"working_days": 2},
            },
            "PR": {
                "template": "progress_report",
                "title": {"zh-CN": "项目进展报告", "en": "Progress report"},
                "per": "period",
            },
            "AC": {
                "template": "acceptance_certificate",
                "title": {"zh-CN": "验收确认单", "en": "Acceptance certificate"},
                "signers": ["client"],
                "deemed_confirmed": {"working_days": 5},
            },
            "CS": {
                "template": "satisfaction_survey",
                "title": {"zh-CN": "客户满意度调查表", "en": "Client satisfaction survey"},
            },
        },
        "calendar": {"holidays": ["2026-04-06"], "workdays": ["2026-04-11"]},
        "satisfaction": {
            "document": "CS",
            "questions": [
                {
                    "id": "needs",
                    "text": {"zh-CN": "系统满足需求", "en": "The system meets our needs"},
                },
                {
                    "id": "response",
                    "text": {"zh-CN": "响应及时", "en": "Problems are answered promptly"},
                },
            ],
        },
    }
    path = folder / "records_flow.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def normal(text: str) -> str:
    """Text as a reader sees it, whitespace gone: word joiners are nothing, lines join."""
    return re.sub(r"\s+", "", text.replace("\u2060", "").replace("\u00ad", ""))


def pdf_text(path: Path) -> str:
    """The PDF's text (poppler), whitespace gone."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    return normal(out.stdout.decode("utf-8"))


def docx_text(path: Path) -> str:
    """The DOCX body's text, whitespace gone."""
    from docx import Document

    body = Document(io.BytesIO(path.read_bytes())).element.body
    return normal("".join(node.text or "" for node in body.iter() if node.tag.endswith("}t")))


def docx_pieces(path: Path) -> list[str]:
    """Each DOCX paragraph's text (table cells included), whitespace gone."""
    from docx import Document

    body = Document(io.BytesIO(path.read_bytes())).element.body
    pieces = []
    for para in body.iter():
        if para.tag.endswith("}p"):
            text = normal("".join(t.text or "" for t in para.iter() if t.tag.endswith("}t")))
            if text:
                pieces.append(text)
    return pieces


def pdf_lines(path: Path) -> list[str]:
    """The PDF's lines, whitespace gone, less the running header and footer that recur on
    every page and the list markers (the DOCX holds those as numbering)."""
    from pypdf import PdfReader

    pages = [
        [normal(line).removesuffix("\u2010") for line in (page.extract_text() or "").splitlines()]
        for page in PdfReader(path).pages
    ]
    counts: dict[str, int] = {}
    for page in pages:
        for key in {re.sub(r"\d+", "#", line) for line in page}:
            counts[key] = counts.get(key, 0) + 1
    frame = {k for k, n in counts.items() if n == len(pages)} if len(pages) > 1 else set()
    lines = [re.sub(r"[•◦▪‣]", "", ln) for page in pages for ln in page]
    return [
        ln
        for ln in lines
        if ln and re.sub(r"\d+", "#", ln) not in frame and not re.fullmatch(r"\d+\.", ln)
    ]


def docx_frame(path: Path) -> str:
    """The text of the DOCX's headers and footers (the running frame), whitespace gone."""
    from docx import Document

    doc = Document(io.BytesIO(path.read_bytes()))
    parts = [s.header for s in doc.sections] + [s.footer for s in doc.sections]
    return normal(
        "".join(
            t.text or "" for part in parts for t in part._element.iter() if t.tag.endswith("}t")
        )
    )


def parity_problems(pdf: Path, docx: Path) -> list[str]:
    """Text of one file the other lacks: every DOCX paragraph is in the PDF, every PDF line
    (frame aside: on every page, or in the DOCX's headers and footers) in the DOCX."""
    pdf_all = "".join(pdf_lines(pdf))
    docx_all = docx_text(docx)
    frame = docx_frame(docx)
    missing = [f"docx: {p}" for p in docx_pieces(docx) if p not in pdf_all]
    missing += [
        f"pdf: {ln}"
        for ln in pdf_lines(pdf)
        if ln not in docx_all
        and ln not in frame
        and not re.fullmatch(r"(Page\d+of\d+|第\d+页共\d+页)", ln)
    ]
    return missing


def walk_to(ws: Path, until: str, day: str) -> None:
    """Take the example project along the main path up to state ``until``, signing as each
    party, every step and signature dated ``day``."""
    import os

    from docflow.api import Workspace
    from docflow.app.demo import walk

    saved = os.environ.get("DOCFLOW_TODAY")
    os.environ["DOCFLOW_TODAY"] = day
    try:
        walk(Workspace(ws), actor="tester", say=lambda _m: None, until=until)
    finally:
        if saved is None:
            os.environ.pop("DOCFLOW_TODAY", None)
        else:
            os.environ["DOCFLOW_TODAY"] = saved


def log_json(docflow: Docflow, ws: Path) -> list[dict[str, Any]]:
    """The audit log as JSON."""
    return json.loads(docflow("-C", str(ws), "log", "--json").out)
