"""Re-rendering: new versions for changed unsigned documents, never over a signature."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from docflow.api import Project, SignRequest


def _edit_scope(ws: Path, text: str) -> None:
    project = ws / "project.yaml"
    src = project.read_text("utf-8")
    project.write_text(re.sub(r"(?m)^(  scope:).*$", rf"\1 {text}", src, count=1), "utf-8")


def test_changed_data_gives_v2_and_supersedes_v1(
    example_workspace: Path, drive_to: Callable[[Path, str], None]
) -> None:
    drive_to(example_workspace, "survey.memo_issued")
    project = Project.open(example_workspace, actor="t")
    assert project.render().rerendered == ()
    _edit_scope(example_workspace, "A narrower scope agreed in the survey")
    report = project.render()
    assert [r.id for r in report.rerendered] == ["RM-1"]
    versions = [
        (d.id, d.version, d.status) for d in project.documents(all_versions=True) if d.id == "RM-1"
    ]
    assert versions == [("RM-1", 1, "superseded"), ("RM-1", 2, "issued")]
    assert (example_workspace / "documents" / "RM-1-v2.pdf").is_file()
    [memo] = [d for d in project.documents() if d.id == "RM-1"]
    assert memo.annex == 1


def test_partly_signed_document_is_held(
    example_workspace: Path, drive_to: Callable[[Path, str], None]
) -> None:
    drive_to(example_workspace, "survey.memo_issued")
    project = Project.open(example_workspace, actor="t")
    project.sign(SignRequest("RM-1", "client", "Client rep"))
    before = (example_workspace / "documents" / "RM-1-v1.pdf").read_bytes()
    _edit_scope(example_workspace, "Changed after the client signed")
    report = project.render()
    assert report.rerendered == ()
    assert [h.id for h in report.held] == ["RM-1"]
    assert "已由甲方签署" in report.held[0].message  # in the example's zh-CN
    assert (example_workspace / "documents" / "RM-1-v1.pdf").read_bytes() == before
    assert [d.version for d in project.documents() if d.id == "RM-1"] == [1]
