"""The progress report of a week, on the example project in both locales: every step,
signature, change and meeting of the week is in the PDF and the DOCX, nothing of another
week is, the figures follow from the record, and both files say the same."""

from __future__ import annotations

from typing import Any

import pytest
from records_helpers import (
    Docflow,
    docx_text,
    minutes,
    normal,
    ok,
    parity_problems,
    pdf_text,
    walk_to,
)

# The step of the week, the meeting of the week, the meeting of the next week, and a step
# of the week before (which the report must not list).
WORDS = {
    "zh-CN": ("制定部署计划", "第十五周例会", "第十六周例会", "确认需求"),
    "en": ("Plan the deployment", "Week 15 meeting", "Week 16 meeting", "Confirm the requirements"),
}


@pytest.fixture(scope="module", params=["zh-CN", "en"])
def week(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The example at survey.confirmed on 2026-04-01 (week 14); in week 15 a change approved
    (Tue), a meeting (Wed), its minutes signed (Thu) and a step (Fri); a meeting in week 16;
    then the report of week 15, issued on 2026-04-16. Yields (locale, workspace, report)."""
    import subprocess
    import sys

    from docflow import api

    locale: str = request.param
    ws = tmp_path_factory.mktemp(f"week-{locale}") / "ws"
    api.init(ws, example=True, actor="tester", locale=locale)
    walk_to(ws, "survey.confirmed", "2026-04-01")
    _, this_week, next_week, _ = WORDS[locale]

    def run(day: str, *args: str) -> Any:
        import json
        import os

        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
        env |= {"DOCFLOW_ACTOR": "tester", "DOCFLOW_TODAY": day}
        done = subprocess.run(
            [sys.executable, "-m", "docflow", "-C", str(ws), *args, "--json"],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    run(
        "2026-04-07",
        "change",
        "new",
        "--title",
        "Kiosk",
        "--reason",
        "Queues",
        "--adds",
        "Kiosk",
        "--description",
        "Patients register at a kiosk",
    )
    run("2026-04-07", "change", "approve", "CR-1")
    held = minutes(
        ws.parent / "w15.yaml",
        title=this_week,
        date="2026-04-08",
        decisions=[{"text": "Kiosk registration as CR-1.", "change": "CR-1"}],
        action_items=[
            {"task": "Kiosk quote", "party": "vendor", "owner": "Vic", "due": "2026-04-10"}
        ],
    )
    run("2026-04-08", "meeting", "new", "--file", str(held))
    run("2026-04-09", "sign", "MM-1", "--party", "client", "--signer", "Ann Client")
    run("2026-04-10", "advance", "plan_deployment")
    later = minutes(ws.parent / "w16.yaml", title=next_week, date="2026-04-14")
    run("2026-04-14", "meeting", "new", "--file", str(later))
    report = run("2026-04-16", "report", "--week", "2026-W15")
    return locale, ws, report


def test_the_week_report_holds_the_week_and_nothing_else(week: Any) -> None:
    locale, ws, report = week
    step, this_week, next_week, before = WORDS[locale]
    assert report["id"] == "PR-1"
    assert report["period"] == {
        "key": "2026-W15",
        "from": "2026-04-06",
        "to": "2026-04-12",
        "week": "2026-W15",
        "as_of": "2026-04-12",
    }
    counts = report["counts"]
    # DP-1 by the step and CA-1 by the approval; MM-1 signed; one meeting; one step.
    assert (counts["steps"], counts["meetings"], counts["signed"]) == (1, 1, 1)
    assert counts["issued"] == 3  # CA-1, MM-1, DP-1
    assert counts["changes"] >= 1
    assert (counts["open_actions"], counts["overdue_actions"]) == (1, 1)  # due Fri, open Sun
    files = report["document"]["files"]
    for text in (pdf_text(ws / files["pdf"]), docx_text(ws / files["docx"])):
        for words in (step, this_week, "MM-1", "CR-1", "CA-1", "DP-1", "Kioskquote"):
            assert normal(words) in text, words
        assert normal(next_week) not in text
        assert "MM-2" not in text
        assert normal(before) not in text  # taken in week 14
    assert parity_problems(ws / files["pdf"], ws / files["docx"]) == []


def test_the_report_tells_the_stage_of_its_period_not_of_its_issue_day(
    docflow: Docflow, week: Any
) -> None:
    locale, ws, report = week
    titles = {
        "zh-CN": ("部署已计划", "需求已确认"),
        "en": ("Deployment planned", "Requirements confirmed"),
    }
    planned, confirmed = titles[locale]
    # By 12 April the project had taken plan_deployment: it stood at deployment.planned.
    assert normal(planned) in pdf_text(ws / report["document"]["files"]["pdf"])
    # Week 14 ended at survey.confirmed, though the project has moved on since.
    earlier = ok(docflow, ws, "report", "--week", "2026-W14", today="2026-04-16")
    for text in (
        pdf_text(ws / earlier["document"]["files"]["pdf"]),
        docx_text(ws / earlier["document"]["files"]["docx"]),
    ):
        assert normal(confirmed) in text
        assert normal(planned) not in text
    assert earlier["counts"]["steps"] == 5 and earlier["counts"]["meetings"] == 0


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        pytest.param(["--week", "2026-W99"], 4, "is not an ISO week", id="bad-week"),
        pytest.param(["--week", "15"], 4, "is not an ISO week", id="week-without-year"),
        pytest.param(
            ["--from", "2026-04-10", "--to", "2026-04-01"], 4, "before it starts", id="backwards"
        ),
        pytest.param(["--from", "2026-04-01"], 2, "--from and --to go together", id="from-alone"),
        pytest.param(
            ["--week", "2026-W15", "--from", "2026-04-01", "--to", "2026-04-03"],
            2,
            "not both",
            id="week-and-range",
        ),
        pytest.param(["--week", "2026-W30"], 4, "starts after the report's date", id="future-week"),
        pytest.param(["--from", "2026-04-31", "--to", "2026-05-03"], 2, "--from", id="bad-date"),
    ],
)
def test_bad_report_periods_are_refused_and_change_nothing(
    docflow: Docflow, week: Any, tree_snapshot: Any, args: list[str], code: int, words: str
) -> None:
    _, ws, _ = week
    before = tree_snapshot(ws)
    result = docflow("-C", str(ws), "report", *args, env={"DOCFLOW_TODAY": "2026-04-16"})
    assert result.code == code, result.err
    assert words in result.err and "Traceback" not in result.err
    assert tree_snapshot(ws) == before


def test_the_documents_of_the_week_are_one_timeline(week: Any) -> None:
    """Issues and signatures in one table by date: MM-1's signature (Thu) comes between its
    issue (Wed) and DP-1's (Fri), in the DOCX as in the PDF."""
    import re

    import docx

    _locale, ws, report = week
    files = report["document"]["files"]
    cells = [
        [c.text.replace("\u2060", "").replace("\xa0", " ") for c in row.cells]
        for table in docx.Document(str(ws / files["docx"])).tables
        for row in table.rows
    ]
    ids = [r[1] for r in cells if len(r) == 4 and re.fullmatch(r"[A-Z]+-\d+ V\d+", r[1])]
    assert ids == ["CA-1 V1", "MM-1 V1", "MM-1 V1", "DP-1 V1"]
    text = pdf_text(ws / files["pdf"])
    signed_at = text.index(normal("Ann Client"))
    assert text.index("MM-1V1") < signed_at < text.index("DP-1V1")
