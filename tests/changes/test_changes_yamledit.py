"""Writing effective changes into project.yaml: only the edited entries' bytes change."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from change_helpers import DATA, change, req

from docflow.changes import yamledit
from docflow.changes.yamledit import apply_change_to_project_yaml, requirements_in_yaml
from docflow.errors import Conflict, EnvironmentProblem, SpecError
from docflow.spec.change import parse_change_file
from docflow.spec.loader import parse_project

_ADD_A = {"adds": [{"id": "FR-001", "title": "a"}]}
_NEW_ENTRY = "  - id: FR-001\n    title: a\n    type: functional\n    priority: should\n"


def test_golden_file_keeps_every_byte_outside_the_edited_entries(
    data_file: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamledit, "_round_trip", None)  # the surgical edit must suffice
    path = data_file("project_before.yaml")
    apply_change_to_project_yaml(path, parse_change_file(DATA / "change.yaml"))
    assert path.read_text(encoding="utf-8") == (DATA / "project_after.yaml").read_text("utf-8")


def test_golden_result_is_a_valid_project(data_file: Callable[[str], Path]) -> None:
    path = data_file("project_before.yaml")
    apply_change_to_project_yaml(path, parse_change_file(DATA / "change.yaml"))
    project = parse_project(path.read_text(encoding="utf-8"), "project.yaml")
    assert [r.id for r in project.requirements] == ["FR-001", "FR-002", "NFR-001", "FR-004"]


def test_writing_the_same_change_twice_changes_nothing_more(
    data_file: Callable[[str], Path],
) -> None:
    path = data_file("project_before.yaml")
    spec = parse_change_file(DATA / "change.yaml")
    apply_change_to_project_yaml(path, spec)
    once = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    apply_change_to_project_yaml(path, spec)
    assert path.read_bytes() == once
    assert path.stat().st_mtime_ns == mtime  # not even rewritten


@pytest.mark.parametrize(
    ("before", "fields", "after"),
    [
        pytest.param(
            "requirements:\n- id: FR-001\n  title: a\n- id: FR-002\n  title: b\nother: 1\n",
            {"modifies": [{"id": "FR-002", "title": "c"}], "adds": [{"id": "FR-3", "title": "d"}]},
            "requirements:\n- id: FR-001\n  title: a\n- id: FR-002\n  title: c\n"
            "- id: FR-3\n  title: d\n  type: functional\n  priority: should\nother: 1\n",
            id="dashes-at-the-key-column",
        ),
        pytest.param(
            "locale: en\nrequirements: []  # none yet\nmemo:\n  background: x\n",
            _ADD_A,
            "locale: en\nrequirements:  # none yet\n" + _NEW_ENTRY + "memo:\n  background: x\n",
            id="empty-flow-list",
        ),
        pytest.param(
            "requirements:\nmemo: {}\n",
            _ADD_A,
            "requirements:\n" + _NEW_ENTRY + "memo: {}\n",
            id="empty-value",
        ),
        pytest.param(
            "locale: en\n",
            _ADD_A,
            "locale: en\nrequirements:\n" + _NEW_ENTRY,
            id="no-requirements-key",
        ),
        pytest.param(
            "requirements:\n  - id: FR-001\n    title: a",
            {"modifies": [{"id": "FR-001", "title": "b"}]},
            "requirements:\n  - id: FR-001\n    title: b",
            id="no-final-newline",
        ),
        pytest.param(
            "requirements:\r\n  - id: FR-000\r\n    title: z\r\n",
            _ADD_A,
            "requirements:\r\n  - id: FR-000\r\n    title: z\r\n"
            + _NEW_ENTRY.replace("\n", "\r\n"),
            id="crlf-line-ends",
        ),
        pytest.param(
            'requirements:\n  - id: FR-001\n    title: "a"   # note\n',
            {"modifies": [{"id": "FR-001", "title": "b"}]},
            'requirements:\n  - id: FR-001\n    title: "b"   # note\n',
            id="double-quotes-and-comment-kept",
        ),
        pytest.param(
            "requirements:\n  - id: FR-001\n    title: 'a # b'  # c\n",
            {"modifies": [{"id": "FR-001", "title": "x"}]},
            "requirements:\n  - id: FR-001\n    title: 'x'  # c\n",
            id="hash-inside-quotes-is-not-a-comment",
        ),
        pytest.param(
            "requirements:\n  - id: FR-001\n    title:\n      a long\n      title\n"
            "    priority: must\n",
            {"modifies": [{"id": "FR-001", "title": "short"}]},
            "requirements:\n  - id: FR-001\n    title: short\n    priority: must\n",
            id="value-on-the-following-lines",
        ),
        pytest.param(
            "requirements:\n  - id: FR-001\n    title: a\n    # about FR-002\n"
            "  - id: FR-002\n    title: b\n",
            {"modifies": [{"id": "FR-001", "source": "门诊", "description": "x\ny"}]},
            "requirements:\n  - id: FR-001\n    title: a\n    description: |-\n      x\n      y\n"
            "    source: 门诊\n    # about FR-002\n  - id: FR-002\n    title: b\n",
            id="new-fields-go-before-the-next-entry-comment",
        ),
        pytest.param(
            "requirements:\n  - id: FR-001\n    title: a\n  - id: FR-002\n    title: b\n"
            "\n# memo\nmemo: {}\n",
            {"removes": ["FR-002"]},
            "requirements:\n  - id: FR-001\n    title: a\n\n# memo\nmemo: {}\n",
            id="removing-the-last-entry-keeps-the-comment-after-it",
        ),
        pytest.param(
            "requirements:\n  - id: FR-001\n    title: a\n  - id: FR-002\n    title: b\n",
            {"modifies": [{"id": "FR-001", "source": "x"}], "removes": ["FR-002"]},
            "requirements:\n  - id: FR-001\n    title: a\n    source: x\n",
            id="new-field-before-a-removed-entry",
        ),
        pytest.param(
            "requirements:\n  - id: FR-001\n    title: a\nmemo: {}\n",
            {"removes": ["FR-001"]},
            "requirements:\nmemo: {}\n",
            id="removing-the-only-entry",
        ),
        pytest.param(
            "requirements:\n  - id: 0123\n    title: a\n",
            {"modifies": [{"id": "0123", "title": "b"}]},
            "requirements:\n  - id: 0123\n    title: b\n",
            id="code-like-id",
        ),
        pytest.param(
            "requirements:\n  - id: FR-001\n    title: a\n    delivered: false\n",
            {"modifies": [{"id": "FR-001", "delivered": True}]},
            "requirements:\n  - id: FR-001\n    title: a\n    delivered: true\n",
            id="flag",
        ),
    ],
)
def test_surgical_edit(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    before: str,
    fields: dict[str, Any],
    after: str,
) -> None:
    def no_fallback(*args: Any) -> str:
        raise AssertionError("the surgical edit should have been enough")

    monkeypatch.setattr(yamledit, "_round_trip", no_fallback)
    path = tmp_path / "project.yaml"
    path.write_bytes(before.encode())
    apply_change_to_project_yaml(path, change(**fields))
    assert path.read_bytes().decode() == after


def test_flow_style_list_falls_back_to_a_full_dump(tmp_path: Path) -> None:
    path = tmp_path / "project.yaml"
    path.write_text("locale: en  # kept\nrequirements: [{id: FR-001, title: a}]\n")
    spec = change(modifies=[{"id": "FR-001", "title": "b"}], adds=[{"id": "FR-002", "title": "c"}])
    apply_change_to_project_yaml(path, spec)
    assert requirements_in_yaml(path) == [req("FR-001", "b"), req("FR-002", "c")]
    assert "# kept" in path.read_text()


def test_byte_order_mark_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "project.yaml"
    path.write_bytes(b"\xef\xbb\xbfrequirements:\n  - id: FR-001\n    title: a\n")
    apply_change_to_project_yaml(path, change(modifies=[{"id": "FR-001", "title": "b"}]))
    assert path.read_bytes() == b"\xef\xbb\xbfrequirements:\n  - id: FR-001\n    title: b\n"


def test_change_that_does_not_apply_leaves_the_file_untouched(
    data_file: Callable[[str], Path],
) -> None:
    path = data_file("project_before.yaml")
    before = path.read_bytes()
    with pytest.raises(SpecError, match="FR-404 does not exist"):
        apply_change_to_project_yaml(path, change(modifies=[{"id": "FR-404", "title": "x"}]))
    assert path.read_bytes() == before


def test_write_is_atomic_and_keeps_the_mode(data_file: Callable[[str], Path]) -> None:
    path = data_file("project_before.yaml")
    path.chmod(0o640)
    apply_change_to_project_yaml(path, change(removes=["FR-003"]))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["project_before.yaml"]


def test_failed_write_leaves_the_file_and_no_temp_file(
    data_file: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_file("project_before.yaml")
    before = path.read_bytes()

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(EnvironmentProblem, match="No space left on device"):
        apply_change_to_project_yaml(path, change(removes=["FR-003"]))
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["project_before.yaml"]


def test_symlinked_project_file_is_edited_through_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.yaml"
    target.write_text("requirements:\n  - id: FR-001\n    title: a\n")
    link = tmp_path / "project.yaml"
    link.symlink_to(target)
    apply_change_to_project_yaml(link, change(modifies=[{"id": "FR-001", "title": "b"}]))
    assert link.is_symlink()
    assert target.read_text() == "requirements:\n  - id: FR-001\n    title: b\n"


def test_requirements_in_yaml(data_file: Callable[[str], Path]) -> None:
    held = requirements_in_yaml(data_file("project_before.yaml"))
    assert [r.id for r in held] == ["FR-001", "FR-002", "FR-003", "NFR-001"]
    assert held[0].description == "支持现场挂号、预约挂号。\n支持医保卡。"
    assert held[3].title == "响应时间: 小于 2 秒"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("locale: en\n", [], id="no-key"),
        pytest.param("requirements:\n", [], id="empty-value"),
        pytest.param("", [], id="empty-file"),
    ],
)
def test_requirements_in_yaml_without_requirements(
    tmp_path: Path, text: str, expected: list[Any]
) -> None:
    path = tmp_path / "project.yaml"
    path.write_text(text)
    assert requirements_in_yaml(path) == expected


def test_requirements_in_yaml_names_line_and_path(tmp_path: Path) -> None:
    path = tmp_path / "project.yaml"
    path.write_text("requirements:\n  - id: FR-001\n    title: a\n    priority: urgent\n")
    with pytest.raises(SpecError) as caught:
        requirements_in_yaml(path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.path) == (4, "requirements[0].priority")
    assert problem.message == "must be one of must, should, could"


def test_file_saved_meanwhile_is_not_overwritten(
    data_file: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_file("project_before.yaml")
    splice = yamledit._splice

    def pm_saves_meanwhile(*args: Any) -> str | None:
        path.write_text("locale: en\n", encoding="utf-8")
        return splice(*args)

    monkeypatch.setattr(yamledit, "_splice", pm_saves_meanwhile)
    with pytest.raises(Conflict, match="changed while the change was being written"):
        apply_change_to_project_yaml(path, change(removes=["FR-003"]))
    assert path.read_text(encoding="utf-8") == "locale: en\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["project_before.yaml"]


def test_unwritable_folder_is_an_environment_problem(
    data_file: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = data_file("project_before.yaml")
    before = path.read_bytes()

    def refuse(**kwargs: Any) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(EnvironmentProblem, match="Permission denied"):
        apply_change_to_project_yaml(path, change(removes=["FR-003"]))
    assert path.read_bytes() == before
