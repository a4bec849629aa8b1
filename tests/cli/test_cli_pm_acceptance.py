"""The acceptance certificate follows delivery: a project started from the skeleton whose
requirements are delivered after the baseline froze them as not delivered gets a certificate
that says so (PDF and DOCX), the guard and the document read the same value, and re-rendering
follows a later change of delivery."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pm_helpers import docx_text, edit_project, normal, pdf_pages, skeleton_at, skeleton_states

pytestmark = pytest.mark.slow
__all__ = ["skeleton_at", "skeleton_states"]  # fixtures used by name

Docflow = Callable[..., Any]

# What the certificate says of delivery: all three, then two of three after R-2 is reopened.
SAYS = {
    "zh-CN": ("需求共3项（含已生效变更附件新增的需求），已交付3项", "已交付2项"),
    "en": (
        "Of 3 requirements (including those added by effective change annexes), 3 are delivered",
        "2 are delivered",
    ),
}


def _deliver(ids: set[str], value: bool) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for req in data["requirements"]:
            if req["id"] in ids:
                req["delivered"] = value

    return change


def _reopen_r2(data: dict[str, Any]) -> None:
    _deliver({"R-2"}, False)(data)
    data["acceptance"]["open_items"] = [
        {"requirement": "R-2", "owner": "Kiosk Team", "due": "2026-12-15"}
    ]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_certificate_says_what_was_delivered_after_the_baseline(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "deployment.done")
    status = docflow("status", "--json", cwd=ws).json()
    assert status["changes"]["baseline"] == 3  # frozen with delivered: false
    blocked = docflow("advance", "--json", cwd=ws)
    assert blocked.code == 3  # nothing delivered yet: the "must" requirements block
    assert any(b["path"].endswith(".delivered") for b in blocked.json()["blockers"] if b["path"])

    edit_project(ws, _deliver({"R-1", "R-2", "R-3"}, True))
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 0, r.err
    assert [d["id"] for d in r.json()["documents"]] == [
        "AC-1",
        "CS-1",
    ]  # with the satisfaction survey
    everything, _ = SAYS[locale]
    pdf = " ".join(pdf_pages(ws / "documents" / "AC-1-v1.pdf"))
    docx = docx_text(ws / "documents" / "AC-1-v1.docx")
    for text in (pdf, docx):
        assert normal(everything) in text

    # Unchanged data: the certificate matches it and re-rendering leaves it alone.
    status = docflow("status", "--json", cwd=ws).json()
    assert [d["out_of_date"] for d in status["documents"] if d["id"] == "AC-1"] == [False]
    again = docflow("render", "--json", cwd=ws).json()
    assert again["rerendered"] == [] and "AC-1" in again["unchanged"]

    # R-2 turns out not delivered: status says so, and re-rendering gives v2 that says it.
    edit_project(ws, _reopen_r2)
    status = docflow("status", "--json", cwd=ws).json()
    (ac,) = [d for d in status["documents"] if d["id"] == "AC-1"]
    assert ac["out_of_date"] is True
    assert "requirements[R-2].delivered" in [d["path"] for d in ac["differences"]]
    r = docflow("render", "AC-1", "--json", cwd=ws)
    assert r.code == 0, r.err
    assert [(x["id"], x["version"]) for x in r.json()["rerendered"]] == [("AC-1", 2)]
    _, two = SAYS[locale]
    assert normal(two) in " ".join(pdf_pages(ws / "documents" / "AC-1-v2.pdf"))
    assert normal(two) in docx_text(ws / "documents" / "AC-1-v2.docx")
    assert "Kiosk Team" in docx_text(ws / "documents" / "AC-1-v2.docx")


def test_the_guard_and_the_certificate_read_the_same_delivery(
    skeleton_at: Callable[[str, str], Path],
) -> None:
    from docflow import api

    ws = skeleton_at("en", "deployment.done")
    edit_project(ws, _deliver({"R-1", "R-3"}, True))  # the "must" ones; R-2 (should) stays open
    edit_project(
        ws,
        lambda d: d["acceptance"].update(
            open_items=[{"requirement": "R-2", "owner": "Kiosk Team", "due": "2026-12-15"}]
        ),
    )
    project = api.Project.open(ws, actor="tester")
    step = project.advance()
    assert [d.id for d in step.documents] == ["AC-1", "CS-1"]
    text = " ".join(pdf_pages(ws / "documents" / "AC-1-v1.pdf"))
    assert "2 are delivered" in text and "Kiosk Team" in text
    snapshot = api.Project.open(ws, actor="tester")._peek().snapshot()
    delivered = {r["id"]: r["delivered"] for r in snapshot.requirements or ()}
    assert delivered == {"R-1": True, "R-2": False, "R-3": True}
