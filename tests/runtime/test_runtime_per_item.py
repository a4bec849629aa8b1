"""Documents about one item, as a workflow feature: an eighth document kind issued once per
survey session, declared in a test workflow with its own templates and no engine code."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from docflow import api
from docflow.errors import Blocked

TEMPLATES = Path(__file__).parent / "data" / "templates"
TRIGGER = "record_sessions"


def _workflow(folder: Path) -> Path:
    """The built-in workflow plus SR, a survey session record issued per session."""
    from docflow.resources import data_path

    spec = yaml.safe_load((data_path("workflows") / "implementation.yaml").read_text("utf-8"))
    spec["items"] = {"session": {"path": "survey.sessions", "key": "topic"}}
    spec["documents"]["SR"] = {
        "template": "session_record",
        "title": {"zh-CN": "调研会议记录", "en": "Survey session record"},
        "signers": ["client"],
        "per": "session",
    }
    spec["transitions"].append(
        {
            "trigger": TRIGGER,
            "source": "survey.in_progress",
            "dest": "survey.in_progress",
            "title": {"zh-CN": "出具调研会议记录", "en": "Record the survey sessions"},
            "emits": ["SR"],
        }
    )
    # `init --example` finds the example project by the workflow file's name.
    path = folder / "implementation.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _squash(text: str) -> str:
    """Text without its whitespace: justified PDF lines stretch and break it anywhere, and a
    word hyphenated at a line's end reads with its hyphen (U+2010) there."""
    return re.sub(r"\u2010\s+|\s+", "", text)


def _pdf_text(ws: Path, rel: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(ws / rel)
    return _squash(" ".join((page.extract_text() or "") for page in reader.pages))


def _docx_text(ws: Path, rel: str) -> str:
    with zipfile.ZipFile(io.BytesIO((ws / rel).read_bytes())) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    return _squash(re.sub(r"<[^>]+>", "", xml))


def _sessions(ws: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load((ws / "project.yaml").read_text("utf-8"))
    return list(data["survey"]["sessions"])


@pytest.fixture
def sessions_ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drive_to: Any) -> Path:
    """An English example project on the test workflow, at survey.in_progress."""
    monkeypatch.setenv("DOCFLOW_TEMPLATES", str(TEMPLATES))
    folder = tmp_path / "wf"
    folder.mkdir()
    ws = tmp_path / "ws"
    api.init(ws, workflow=str(_workflow(folder)), locale="en", example=True, actor="tester")
    drive_to(ws, "survey.in_progress")
    return ws


def test_one_document_per_item_numbered_per_kind(sessions_ws: Path) -> None:
    ws = sessions_ws
    project = api.Project.open(ws, actor="tester")
    sessions = _sessions(ws)
    step = project.advance(TRIGGER)
    assert (step.from_state, step.to_state) == ("survey.in_progress", "survey.in_progress")
    ids = [d.id for d in step.documents]
    assert ids == [f"SR-{n}" for n in range(1, len(sessions) + 1)]
    for doc, session in zip(step.documents, sessions, strict=True):
        pdf = _pdf_text(ws, str(doc.files["pdf"]))
        assert _squash(session["topic"]) in pdf and _squash(session["department"]) in pdf
        docx = _docx_text(ws, str(doc.files["docx"]))
        assert _squash(session["topic"]) in docx and _squash(session["department"]) in docx
    for other in sessions[1:]:
        assert _squash(other["topic"]) not in _pdf_text(ws, str(step.documents[0].files["pdf"]))
    # Every session has its record: the step is blocked and says what to add.
    with pytest.raises(Blocked) as caught:
        project.advance(TRIGGER)
    [blocker] = caught.value.blockers
    assert blocker.guard == "per_item" and blocker.path == "survey.sessions"


def test_a_new_item_gets_the_next_number_and_reissues_nothing(sessions_ws: Path) -> None:
    ws = sessions_ws
    project = api.Project.open(ws, actor="tester")
    before = len(project.advance(TRIGGER).documents)
    text = (ws / "project.yaml").read_text("utf-8")
    added = (
        "  sessions:\n"
        "    - date: 2026-04-20\n"
        "      department: Pharmacy\n"
        "      topic: Drug dispensing and stock\n"
        "      participants:\n"
        "        client: [Grace Lin]\n"
        "        vendor: [Leo Liu]\n"
        "      location: Pharmacy office\n"
    )
    (ws / "project.yaml").write_text(text.replace("  sessions:\n", added, 1), "utf-8")
    status = project.status()
    [step] = [t for t in status.transitions if t.trigger == TRIGGER]
    assert step.ready
    [doc] = project.advance(TRIGGER).documents
    assert doc.id == f"SR-{before + 1}"
    assert "Drugdispensingandstock" in _pdf_text(ws, str(doc.files["pdf"]))


def test_rerendering_finds_the_subject_again(sessions_ws: Path) -> None:
    from docflow.documents.snapshot import load_snapshot
    from docflow.runtime.session import open_session
    from docflow.runtime.workspace import Workspace

    ws = sessions_ws
    project = api.Project.open(ws, actor="tester")
    issued = project.advance(TRIGGER).documents
    second = _sessions(ws)[1]
    text = (ws / "project.yaml").read_text("utf-8")
    (ws / "project.yaml").write_text(
        text.replace(f"department: {second['department']}", "department: Renamed Ward", 1),
        "utf-8",
    )
    report = project.render()
    assert [(r.id, r.version) for r in report.rerendered] == [(issued[1].id, 2)]
    assert issued[0].id in report.unchanged
    pdf = _pdf_text(ws, f"documents/{issued[1].id}-v2.pdf")
    assert "RenamedWard" in pdf and _squash(second["topic"]) in pdf
    session = open_session(Workspace(ws), None, "tester")
    doc = session.find_document(issued[1].id)
    blob = session.store.blob(doc.data_sha256)
    assert blob is not None
    stored = load_snapshot(blob)
    assert stored.version == 1 and stored.meta.subject == f"session:{second['topic']}"
    assert stored.context["subject"]["department"] == "Renamed Ward"


def test_the_step_names_the_documents_it_issued_about_items(sessions_ws: Path) -> None:
    project = api.Project.open(sessions_ws, actor="tester")
    project.advance(TRIGGER)
    [event] = [e for e in project.log() if e.type == "step" and e.data["trigger"] == TRIGGER]
    topics = [s["topic"] for s in _sessions(sessions_ws)]
    assert [d["subject"] for d in event.data["documents"]] == [f"session:{t}" for t in topics]


def test_a_workflow_names_only_item_kinds_it_declares(tmp_path: Path) -> None:
    from docflow.errors import SpecError

    path = _workflow(tmp_path)
    spec = yaml.safe_load(path.read_text("utf-8"))
    spec["documents"]["SR"]["per"] = "visit"
    spec["items"]["subject"] = {"path": "survey.sessions"}
    spec["transitions"][-1]["emits"] = ["SR", "CA"]
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(SpecError) as caught:
        api.validate_workflow(path)
    text = str(caught.value)
    assert "document SR is per 'visit', which is no item kind" in text
    assert "item kind 'subject' is a name docflow uses already" in text
    assert "document CA is issued per change request" in text
