"""Change requests a PM can work with, through the docflow command, on skeleton projects in
both locales: described and sourced additions, amounts as people write them, editing and
pricing before the decision, the change request form, the instalment a cost goes to."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pm_projects import LOCALES

from docflow.changes.amounts import parse_amount
from docflow.errors import InvalidInput

Docflow = Callable[..., Any]
STATE = "survey.confirmed"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        pytest.param("48000", "48000.00", id="plain"),
        pytest.param("48000.00", "48000.00", id="decimals"),
        pytest.param("48,000", "48000.00", id="commas"),
        pytest.param("48 000", "48000.00", id="space"),
        pytest.param("48\u00a0000", "48000.00", id="no-break-space"),
        pytest.param("¥48,000", "48000.00", id="yen"),
        pytest.param("￥48,000.50", "48000.50", id="fullwidth-yen"),
        pytest.param("RMB 1,234,567.89", "1234567.89", id="rmb"),
        pytest.param("4.8万", "48000.00", id="wan"),
        pytest.param("12万元", "120000.00", id="wan-yuan"),
        pytest.param("-5,000", "-5000.00", id="negative"),
        pytest.param("−5,000", "-5000.00", id="minus-sign"),
        pytest.param("４８０００", "48000.00", id="fullwidth-digits"),
    ],
)
def test_amounts_as_people_write_them(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("4,80", id="bad-grouping"),
        pytest.param("48.000,00", id="european"),
        pytest.param("48,000 000", id="mixed-separators"),
        pytest.param("1e5", id="exponent"),
        pytest.param("forty", id="words"),
        pytest.param("1.234", id="three-decimals"),
        pytest.param("", id="empty"),
        pytest.param("1e309", id="overflow"),
        pytest.param("20000000000000", id="too-large"),
    ],
)
def test_amounts_refused_say_what_is_accepted(text: str) -> None:
    with pytest.raises(InvalidInput, match="--cost"):
        parse_amount(text)


def _drawn_text(pdf: Path) -> str:
    """The PDF's text in the order its pages draw it, cell by cell (pypdf), with whitespace
    collapsed and a word hyphenation split over two lines read whole: a description wrapped
    in a narrow column reads as one phrase, as it does in the table."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return " ".join(re.sub("\u2010\n", "", text).split())


def _new(docflow: Docflow, ws: Path, *args: str) -> Any:
    return docflow("change", "new", "--title", "Kiosk", "--reason", "Queues", *args, cwd=ws)


@pytest.mark.parametrize("locale", LOCALES)
def test_an_added_requirement_needs_a_description(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, STATE)
    r = _new(docflow, ws, "--adds", "Kiosk registration", "--json")
    assert r.code == 4, r.err
    assert "adds[0].description" in r.err
    assert ("描述" if locale == "zh-CN" else "no description") in r.err
    assert docflow("change", "list", "--json", cwd=ws).json() == []


@pytest.mark.parametrize("locale", LOCALES)
def test_new_edit_issue_and_approve(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, STATE)
    r = _new(
        docflow,
        ws,
        "--adds",
        "Kiosk registration",
        "--description",
        "Patients register at a kiosk",
        "--priority",
        "must",
        "--type",
        "functional",
        "--verification",
        "demo",
        "--source",
        "Outpatient department",
        "--cost",
        "¥48,000",
        "--days",
        "10",
        "--payment",
        "P2",
        "--json",
    )
    assert r.code == 0, r.err
    filed = r.json()
    [added] = filed["body"]["adds"]
    assert added["id"] == "R-4"
    assert (added["verification"], added["source"], added["priority"]) == (
        "demo",
        "Outpatient department",
        "must",
    )
    assert (filed["body"]["cost"], filed["body"]["payment"]) == ("48000.00", "P2")

    # Priced and extended before the decision; the log says what changed.
    r = docflow("change", "edit", "cr-1", "--cost", "5万", "--title", "Kiosks", "--json", cwd=ws)
    assert r.code == 0, r.err
    assert r.json()["title"] == "Kiosks" and r.json()["body"]["cost"] == "50000.00"
    r = docflow(
        "change",
        "edit",
        "CR-1",
        "--adds",
        "Kiosk payment",
        "--description",
        "Patients pay at the kiosk",
        "--modifies",
        "R-1:verification=demo",
        "--json",
        cwd=ws,
    )
    assert r.code == 0, r.err
    body = r.json()["body"]
    assert [a["id"] for a in body["adds"]] == ["R-4", "R-5"]
    [edit] = body["modifies"]
    assert (edit["id"], edit["verification"]) == ("R-1", "demo")
    edits = docflow("log", "--type", "change.edited", "--json", cwd=ws).json()
    assert [e["data"]["fields"] for e in edits] == [["cost", "title"], ["adds", "modifies"]]
    assert edits[0]["data"]["changed"]["title"] == {"before": "Kiosk", "after": "Kiosks"}

    # The form goes to the client for review; after an edit it gets a new version.
    r = docflow("change", "issue", "CR-1", "--json", cwd=ws)
    assert r.code == 0, r.err
    form = r.json()["form"]
    assert (form["id"], form["version"], form["awaiting"]) == ("CRF-1", 1, ["client"])
    assert (ws / form["files"]["pdf"]).is_file() and (ws / form["files"]["docx"]).is_file()
    words = _drawn_text(ws / form["files"]["pdf"])
    # The added requirement's row: its id, title and description, each read whole.
    assert "R-5 Kiosk payment Patients pay at the kiosk" in words, words
    assert "CR-1" in words
    assert docflow("change", "edit", "CR-1", "--days", "12", cwd=ws).code == 0
    again = docflow("change", "issue", "CR-1", "--json", cwd=ws).json()["form"]
    assert (again["id"], again["version"]) == ("CRF-1", 2)

    # Approved: no more edits; the cost goes to the instalment the change named.
    r = docflow("change", "approve", "CR-1", "--json", cwd=ws)
    assert r.code == 0, r.err
    annex = r.json()["document"]
    refused = docflow("change", "edit", "CR-1", "--days", "3", cwd=ws)
    assert refused.code == 5 and "approved" in refused.err
    text = subprocess.run(
        ["pdftotext", "-layout", str(ws / annex["files"]["pdf"]), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert "P2" in text


@pytest.mark.parametrize("locale", LOCALES)
def test_an_unknown_instalment_is_refused(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, STATE)
    r = _new(docflow, ws, "--removes", "R-2", "--cost", "1000", "--payment", "Final")
    assert r.code == 4 and "contract.payments" in r.err and "P1" in r.err
    r = _new(docflow, ws, "--removes", "R-2", "--cost", "4,80")
    assert r.code == 4 and "4,80" in r.err


def test_help_shows_the_modifies_syntax_and_amounts(docflow: Docflow) -> None:
    r = docflow("change", "new", "--help")
    assert r.code == 0
    for needle in ("ID:field=value", "FR-003:priority=must", "4.8万", "¥48,000", "--payment"):
        assert needle in r.out, needle


def test_several_additions_take_their_details_in_order(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("en", STATE)
    r = _new(
        docflow,
        ws,
        *("--adds", "A", "--adds", "B"),
        *("--description", "What A is", "--description", "What B is"),
        *("--priority", "must"),
        "--json",
    )
    assert r.code == 0, r.err
    adds = r.json()["body"]["adds"]
    assert [(a["title"], a["description"], a["priority"]) for a in adds] == [
        ("A", "What A is", "must"),
        ("B", "What B is", "must"),
    ]
    bad = _new(docflow, ws, "--adds", "A", "--adds", "B", *("--description", "x") * 3)
    assert bad.code == 4 and "--description" in bad.err
