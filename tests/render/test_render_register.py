"""The legal register reads in its own language, names the main contract, prints both hashes
whole and leaves a handover line; ``docflow doctor`` checks the English fonts."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from typing import Any

import pytest

import docflow.render
from docflow.app import doctor

PDF_HASH = "ab" * 32
DOCX_HASH = "cd" * 32
CONTRACT = {
    "title": "医院信息系统建设合同",
    "amount": Decimal("1200500.00"),
    "currency": "CNY",
    "signed_on": dt.date(2026, 3, 10),
}


def _rows() -> list[dict[str, Any]]:
    return [
        {
            "annex": 1,
            "document": "RM-1",
            "version": 2,
            "title": "需求备忘录",
            "issued_on": dt.date(2026, 4, 28),
            "status": "signed",
            "signers": [
                {
                    "party": "client",
                    "signer": "王晓东",
                    "method": "recorded",
                    "signed_on": "2026-05-02",
                },
                {
                    "party": "vendor",
                    "signer": "陈志远",
                    "method": "scan",
                    "signed_on": "2026-05-03",
                },
            ],
            "sha256_pdf": PDF_HASH,
            "sha256_docx": DOCX_HASH,
        },
        {
            "annex": 2,
            "document": "CA-1",
            "version": 1,
            "title": "需求变更附件",
            "issued_on": dt.date(2026, 5, 19),
            "status": "void",
            "signers": [],
            "sha256_pdf": "ef" * 32,
            "sha256_docx": "01" * 32,
        },
    ]


def _text(locale: str) -> list[str]:
    pdf = docflow.render.render_register_pdf(
        locale,
        "HIS-2026",
        "县医院信息系统",
        "JZDY-XX-2026-017",
        _rows(),
        contract=CONTRACT,
        parties={"client": "某县人民医院", "vendor": "示例软件有限公司"},
        letterhead="示例软件有限公司",
    )
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8").splitlines()


@pytest.mark.parametrize(
    ("locale", "phrases"),
    [
        pytest.param(
            "zh-CN",
            [
                "合同附件登记表",
                "医院信息系统建设合同",
                "¥1,200,500.00（大写：人民币壹佰贰拾万零伍佰元整）",
                "2026年3月10日",
                "甲方：某县人民医院",
                "签署：甲方　王晓东（手签，2026年5月2日）",
                "签署：乙方　陈志远（扫描件，2026年5月3日）",
                "签署：尚未签署",
                "已作废",
                "移交人（签字）：",
                "接收人（签字）：",
            ],
            id="zh-CN",
        ),
        pytest.param(
            "en",
            [
                "Register of contract annexes",
                "CNY 1,200,500.00 (in words: one million two hundred thousand five hundred yuan)",
                "10 March 2026",
                "Signed by the Client: 王晓东 (wet ink, 2 May 2026)",
                "Signed by the Vendor: 陈志远 (scanned, 3 May 2026)",
                "Not signed yet",
                "Void",
                "Handed over by (signature):",
            ],
            id="en",
        ),
    ],
)
def test_register_reads_in_its_language(locale: str, phrases: list[str]) -> None:
    """Parties, signing methods, statuses and dates are the document's words; the contract,
    its amount in words and the handover line are there."""
    lines = _text(locale)
    text = "\n".join(lines)
    squashed = "".join(text.split())
    for phrase in phrases:
        assert "".join(phrase.split()) in squashed, phrase
    assert "recorded" not in text and "client:" not in text
    assert "HIS-2026/register" not in text
    assert "JZDY-XX-2026-017" in text and "示例软件有限公司" in text


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_register_hashes_are_whole(locale: str) -> None:
    """Each SHA-256, of the PDF and of the DOCX, is printed whole on one line."""
    lines = _text(locale)
    for digest in (PDF_HASH, DOCX_HASH, "ef" * 32, "01" * 32):
        assert any(digest in line for line in lines), digest


def test_doctor_checks_the_english_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Liberation fonts are installed here; without fc-list they count as missing, and
    the check says which package installs them."""
    checks = {c.check: c for c in doctor.diagnose(None, None).checks}
    assert checks["latin-font"].ok and checks["latin-font"].required
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    assert doctor._missing_latin_fonts() == list(doctor.LATIN_FONTS)
    report = doctor.diagnose(None, None)
    latin = {c.check: c for c in report.checks}["latin-font"]
    assert not latin.ok and "fonts-liberation2" in latin.fix and not report.ok
