"""Through the real ``docflow`` command, on the example and on a skeleton the test fills in:
a change with cost and days reaches every later document, an undelivered requirement becomes
an open item or blocks acceptance, and data that contradicts the contract is refused."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from skeleton_fill import fill_skeleton

pytestmark = pytest.mark.slow

Docflow = Callable[..., Any]


@dataclass(frozen=True)
class Expect:
    """What the documents after the change must say, per project and locale."""

    amount: str  # contract amount after the change, figures
    words: str  # ... and in words
    final: str  # the last instalment after the change
    end: str  # the contractual completion date after the change
    signers: tuple[str, str]


EXPECT = {
    ("example", "zh-CN"): Expect(
        "¥1,285,500.00",
        "人民币壹佰贰拾捌万伍仟伍佰元整",
        "¥205,050.00",
        "2026年11月9日",
        ("王晓东", "陈志远"),
    ),
    ("example", "en"): Expect(
        "CNY 1,285,500.00",
        "one million two hundred eighty-five thousand five hundred yuan",
        "CNY 205,050.00",
        "9 November 2026",
        ("Michael Wong", "Chen Zhiyuan"),
    ),
    ("skeleton", "zh-CN"): Expect(
        "¥530,000.00",
        "人民币伍拾叁万元整",
        "¥80,000.00",
        "2027年1月7日",
        ("张伟", "李强"),
    ),
    ("skeleton", "en"): Expect(
        "CNY 530,000.00",
        "five hundred thirty thousand yuan",
        "CNY 80,000.00",
        "7 January 2027",
        ("Zhang Wei", "Li Qiang"),
    ),
}

CHANGE = {
    "zh-CN": ("增加自助机服务", "门诊高峰排队时间过长。", "自助机挂号缴费", "自助机打印报告"),
    "en": ("Add kiosks", "Queues are too long.", "Kiosk registration", "Kiosk report printing"),
}


def normal(text: str) -> str:
    """Text with line breaks undone: no whitespace at all next to CJK, one space elsewhere.

    Word joiners and no-break spaces (which keep codes, dates and amounts on one line in the
    DOCX) read as a reader sees them: nothing and a space.
    """
    text = text.replace("\u2060", "").replace("\u00a0", " ")
    text = re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text))
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    return normal(out.stdout.decode("utf-8"))


def docx_text(path: Path) -> str:
    from docx import Document

    body = Document(io.BytesIO(path.read_bytes())).element.body
    return normal(" ".join(node.text or "" for node in body.iter() if node.tag.endswith("}t")))


def texts(ws: Path, doc_id: str) -> tuple[str, str]:
    """The PDF's and the DOCX's text of a document's first version."""
    stem = ws / "documents" / f"{doc_id}-v1"
    return pdf_text(stem.with_suffix(".pdf")), docx_text(stem.with_suffix(".docx"))


def ok(docflow: Docflow, ws: Path, *args: str) -> Any:
    r = docflow(*args, cwd=ws)
    assert r.code == 0, (args, r.err)
    return r


def sign(docflow: Docflow, ws: Path, doc_id: str, both: bool, signers: tuple[str, str]) -> None:
    ok(docflow, ws, "sign", doc_id, "--party", "client", "--signer", signers[0])
    if both:
        ok(docflow, ws, "sign", doc_id, "--party", "vendor", "--signer", signers[1])


def edit_project(ws: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change project.yaml as a PM would (through its data, not its text)."""
    path = ws / "project.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def set_delivered(rid: str, value: bool) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        [req] = [r for r in data["requirements"] if r["id"] == rid]
        req["delivered"] = value

    return change


def start(docflow: Docflow, tmp_path: Path, source: str, locale: str) -> Path:
    ws = tmp_path / "hosp"
    if source == "example":
        ok(docflow, tmp_path, "init", str(ws), "--example", "--locale", locale)
    else:
        ok(docflow, tmp_path, "init", str(ws), "--locale", locale)
        edit_project(ws, lambda data: fill_skeleton(data, locale))
    return ws


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("source", ["example", "skeleton"])
def test_a_change_reaches_every_later_document(
    tmp_path: Path, docflow: Docflow, source: str, locale: str
) -> None:
    expect = EXPECT[source, locale]
    ws = start(docflow, tmp_path, source, locale)
    for _ in range(2):
        ok(docflow, ws, "advance")
    sign(docflow, ws, "SP-1", False, expect.signers)
    for _ in range(2):
        ok(docflow, ws, "advance")
    sign(docflow, ws, "RM-1", True, expect.signers)
    ok(docflow, ws, "advance")  # the baseline is frozen, delivery flags and all

    title, reason, must_title, should_title = CHANGE[locale]
    ids = [
        r["id"] for r in yaml.safe_load((ws / "project.yaml").read_text("utf-8"))["requirements"]
    ]
    must_id, should_id = "R-901", "R-902"
    assert must_id not in ids
    change_file = tmp_path / "cr.yaml"
    change_file.write_text(
        yaml.safe_dump(
            {
                "title": title,
                "reason": reason,
                "adds": [
                    {
                        "id": must_id,
                        "title": must_title,
                        "description": must_title,
                        "priority": "must",
                        "verification": "demo",
                    },
                    {
                        "id": should_id,
                        "title": should_title,
                        "description": should_title,
                        "priority": "should",
                    },
                ],
                "days": 10 if source == "example" else 7,
                "cost": "85000.00" if source == "example" else "30000.00",
            },
            allow_unicode=True,
        ),
        "utf-8",
    )
    ok(docflow, ws, "change", "new", "--file", str(change_file))
    ok(docflow, ws, "change", "approve", "CR-1")
    sign(docflow, ws, "CA-1", True, expect.signers)
    ca_pdf, ca_docx = texts(ws, "CA-1")
    for text in (ca_pdf, ca_docx):
        assert normal(expect.amount) in text and normal(expect.words) in text
        assert normal(expect.end) in text and must_id in text

    ok(docflow, ws, "advance")
    sign(docflow, ws, "DP-1", False, expect.signers)
    ok(docflow, ws, "advance")
    ok(docflow, ws, "advance")
    if source == "skeleton":  # delivered since the baseline froze them as not delivered
        edit_project(ws, _deliver_all_but(must_id, should_id))

    # Neither added requirement is delivered: the "must" one blocks, the other needs a date.
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 3, r.err
    paths = [b["path"] for b in r.json()["blockers"]]
    index = _index(ws, must_id)
    assert f"requirements[{index}].delivered" in paths and "acceptance.open_items" in paths

    edit_project(ws, set_delivered(must_id, True))
    edit_project(ws, _open_item(should_id))
    ok(docflow, ws, "advance")
    for text in texts(ws, "AC-1"):
        assert normal(expect.amount) in text and normal(expect.words) in text
        open_items = text.split(should_id)[-2:]  # the checklist row, then the open item
        assert "Kiosk Team" in open_items[1][:40]
    sign(docflow, ws, "AC-1", True, expect.signers)

    # A "must" requirement found undelivered after the certificate was signed blocks accept.
    edit_project(ws, set_delivered(must_id, False))
    r = docflow("advance", "accept", "--json", cwd=ws)
    assert r.code == 3
    assert f"requirements[{index}].delivered" in [b["path"] for b in r.json()["blockers"]]
    edit_project(ws, set_delivered(must_id, True))
    ok(docflow, ws, "advance", "accept")

    ok(docflow, ws, "advance")
    for text in texts(ws, "CN-1"):
        assert normal(expect.amount) in text and normal(expect.words) in text
        assert normal(expect.final) in text and normal(expect.end) in text
        assert should_id in text  # still open
    sign(docflow, ws, "CN-1", True, expect.signers)
    ok(docflow, ws, "advance")
    for text in texts(ws, "MA-1"):
        assert normal(expect.amount) in text and normal(expect.words) in text
        assert normal(expect.end) in text
    sign(docflow, ws, "MA-1", True, expect.signers)
    ok(docflow, ws, "advance", "start_maintenance")


def _index(ws: Path, rid: str) -> int:
    data = yaml.safe_load((ws / "project.yaml").read_text("utf-8"))
    return [r["id"] for r in data["requirements"]].index(rid)


def _deliver_all_but(*kept: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for r in data["requirements"]:
            r["delivered"] = r["id"] not in kept

    return change


def _open_item(rid: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["acceptance"]["open_items"].append(
            {"requirement": rid, "owner": "Kiosk Team", "due": "2026-12-15"}
        )

    return change


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize(
    ("edit", "named"),
    [
        pytest.param(
            {"maintenance": {"start": "2026-10-10"}},
            ["maintenance.start", "contract.warranty", "maintenance.fee"],
            id="paid-maintenance-in-the-warranty",
        ),
        pytest.param(
            {"contract": {"payments": [{"name": "All", "percent": 90}]}},
            ["contract.payments", "contract.amount"],
            id="unbalanced-payments",
        ),
        pytest.param(
            {"maintenance": {"payments": [{"name": "One", "amount": "50000.00"}]}},
            ["maintenance.payments", "maintenance.fee"],
            id="unbalanced-maintenance-instalments",
        ),
    ],
)
def test_contradicting_data_is_refused(
    tmp_path: Path, docflow: Docflow, locale: str, edit: dict[str, Any], named: list[str]
) -> None:
    ws = start(docflow, tmp_path, "example", locale)
    before = (ws / "project.yaml").read_text("utf-8")

    def change(data: dict[str, Any]) -> None:
        for section, fields in edit.items():
            data[section].update(fields)

    edit_project(ws, change)
    for command in (["status"], ["advance"]):
        r = docflow(*command, cwd=ws)
        assert r.code == 4, r.err
        assert all(name in r.err for name in named), r.err
        assert "project.yaml:" in r.err and "Traceback" not in r.err
    (ws / "project.yaml").write_text(before, "utf-8")
    assert docflow("status", cwd=ws).code == 0
