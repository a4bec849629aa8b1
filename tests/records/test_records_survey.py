"""The client satisfaction survey on a skeleton project: issued by a step, answers recorded
from a file, bad answers refused with their line (exit 4, nothing recorded), the result in
status, and the workflow's guard on it blocking, then passing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from records_helpers import (
    Docflow,
    docx_text,
    fails,
    ok,
    parity_problems,
    pdf_text,
    records_workflow,
)

DAY = "2026-04-06"  # a holiday in the workflow's calendar: recording on it is still fine


@pytest.fixture(scope="module")
def surveyed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A records-flow workspace at check.requested: AC-1 and the survey CS-1 issued."""
    import os
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("survey")
    spec = records_workflow(folder)
    ws = folder / "ws"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env |= {"DOCFLOW_ACTOR": "tester", "DOCFLOW_TODAY": "2026-04-01"}

    def run(*args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "docflow", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr

    run("init", str(ws), "--workflow", str(spec), "--locale", "en")
    run("-C", str(ws), "advance", "finish")
    run("-C", str(ws), "advance", "request_check")
    return ws


@pytest.fixture
def surveyed(surveyed_template: Path, tmp_path: Path) -> Path:
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(surveyed_template, ws)
    return ws


def _answers(path: Path, **fields: Any) -> Path:
    data: dict[str, Any] = {
        "respondent": {"name": "Ann Client", "role": "Head of IT"},
        "date": "2026-04-03",
        "answers": {"needs": {"score": 4, "comment": "Covers our wards"}, "response": 5},
        "comment": "Keep the weekly reports.",
    }
    data.update(fields)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_answers_are_recorded_and_the_guard_passes(docflow: Docflow, surveyed: Path) -> None:
    ws = surveyed
    [cs] = [d for d in ok(docflow, ws, "docs", today=DAY) if d["id"] == "CS-1"]
    assert cs["kind"] == "satisfaction_survey"
    assert parity_problems(ws / cs["files"]["pdf"], ws / cs["files"]["docx"]) == []
    # The questions as the workflow words them (the PDF may wrap them inside their cell).
    words = docx_text(ws / cs["files"]["docx"])
    assert "Thesystemmeetsourneeds" in words and "Problemsareansweredpromptly" in words
    text = pdf_text(ws / cs["files"]["pdf"])
    assert "Thesystemmeets" in text and "Problemsareanswered" in text
    ok(docflow, ws, "sign", "AC-1", "--party", "client", "--signer", "Ann Client", today=DAY)
    blocked = docflow("-C", str(ws), "advance", "accept", "--json", env={"DOCFLOW_TODAY": DAY})
    assert blocked.code == 3
    [blocker] = blocked.json()["blockers"]
    assert blocker["guard"] == "satisfaction_recorded" and blocker["document"] == "CS-1"
    assert "CS-1 has not been returned" in blocker["message"]
    low = _answers(ws.parent / "low.yaml", respondent="Bob", answers={"needs": 2, "response": 3})
    view = ok(docflow, ws, "satisfaction", "record", "--file", str(low), today=DAY)
    assert (view["document"], view["average"], view["responses"]) == ("CS-1", 2.5, 1)
    blocked = docflow("-C", str(ws), "advance", "accept", "--json", env={"DOCFLOW_TODAY": DAY})
    assert blocked.code == 3
    assert "averages 2.50, below the 3.50 required" in blocked.json()["blockers"][0]["message"]
    view = ok(
        docflow,
        ws,
        "satisfaction",
        "record",
        "--file",
        str(_answers(ws.parent / "a.yaml")),
        today=DAY,
    )
    assert (view["average"], view["responses"], view["overall"]) == (4.5, 2, 3.5)
    status = ok(docflow, ws, "status", today=DAY)
    assert status["records"]["satisfaction"] == {"document": "CS-1", "responses": 2, "average": 3.5}
    assert ok(docflow, ws, "advance", "accept", today=DAY)["to"] == "check.accepted"
    again = fails(
        docflow, ws, "satisfaction", "record", "--file", str(ws.parent / "a.yaml"), today=DAY
    )
    assert again.code == 5 and "Ann Client" in again.err and "recorded already" in again.err


def _case(name: str, fields: dict[str, Any], needle: str, words: str) -> Any:
    return pytest.param(fields, needle, words, id=name)


BAD = [
    _case(
        "unknown-question",
        {"answers": {"needs": 4, "response": 4, "speed": 3}},
        "speed:",
        "no question 'speed'",
    ),
    _case(
        "score-too-high",
        {"answers": {"needs": 6, "response": 4}},
        "needs: 6",
        "score 6 is not from 1 to 5",
    ),
    _case("score-zero", {"answers": {"needs": {"score": 0}, "response": 4}}, "score: 0", "score 0"),
    _case("score-fraction", {"answers": {"needs": 4.5, "response": 4}}, "needs: 4.5", "needs"),
    _case("score-text", {"answers": {"needs": "good", "response": 4}}, "needs: good", "needs"),
    _case("score-boolean", {"answers": {"needs": True, "response": 4}}, "needs: true", "needs"),
    _case("question-unanswered", {"answers": {"needs": 4}}, "answers:", "no answer to response"),
    _case("unknown-field", {"mood": "fine"}, "mood:", "mood"),
    _case("no-respondent", {"respondent": None}, "respondent:", "respondent"),
    _case("returned-before-issue", {"date": "2026-03-30"}, "date:", "not between"),
    _case("returned-in-future", {"date": "2026-05-01"}, "date:", "not between"),
    _case("unknown-survey", {"document": "CS-7"}, "document:", "no survey CS-7"),
]


@pytest.mark.parametrize(("fields", "needle", "words"), BAD)
def test_bad_answers_are_refused_with_their_line(
    docflow: Docflow,
    surveyed: Path,
    tree_snapshot: Any,
    fields: dict[str, Any],
    needle: str,
    words: str,
) -> None:
    ws = surveyed
    path = _answers(ws.parent / "bad.yaml", **fields)
    lines = path.read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if needle in text)
    before = tree_snapshot(ws)
    result = docflow(
        "-C",
        str(ws),
        "satisfaction",
        "record",
        "--file",
        str(path),
        "--json",
        env={"DOCFLOW_TODAY": DAY},
    )
    assert result.code == 4, result.err
    assert f"bad.yaml:{line}:" in result.err, result.err
    assert words in result.err and "Traceback" not in result.err
    assert result.json()["error"] == "invalid"
    assert tree_snapshot(ws) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(None, "No such file", id="missing-file"),
        pytest.param("- a\n- list\n", "must be a YAML mapping", id="not-a-mapping"),
        pytest.param("answers: {needs: [\n", "bad.yaml:", id="malformed-yaml"),
        pytest.param(b"\xff\xfe", "UTF-8", id="not-utf8"),
    ],
)
def test_unreadable_answer_files_are_refused(
    docflow: Docflow, surveyed: Path, tree_snapshot: Any, content: Any, words: str
) -> None:
    ws = surveyed
    path = ws.parent / "bad.yaml"
    if isinstance(content, str):
        path.write_text(content, "utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    before = tree_snapshot(ws)
    result = fails(docflow, ws, "satisfaction", "record", "--file", str(path), today=DAY)
    assert result.code == 4, result.err
    assert words in result.err and "Traceback" not in result.err
    assert tree_snapshot(ws) == before


def test_answers_before_any_survey_is_issued_are_refused(
    docflow: Docflow, tmp_path: Path, tree_snapshot: Any
) -> None:
    ws = tmp_path / "ws"
    spec = records_workflow(tmp_path)
    env = {"DOCFLOW_TODAY": DAY}
    assert docflow("init", str(ws), "--workflow", str(spec), env=env).code == 0
    path = _answers(tmp_path / "a.yaml")
    before = tree_snapshot(ws)
    result = fails(docflow, ws, "satisfaction", "record", "--file", str(path), today=DAY)
    assert result.code == 5 and "has been issued yet" in result.err
    assert tree_snapshot(ws) == before
