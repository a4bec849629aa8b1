"""The change request model and its loader: shape checks, located errors, the JSON Schema."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from change_helpers import DATA

from docflow.errors import SpecError
from docflow.spec.change import (
    ChangeRequestSpec,
    RequirementEdit,
    parse_change_file,
    parse_change_text,
)

ROOT = Path(__file__).resolve().parents[2]


def test_parse_change_file_reads_every_field() -> None:
    spec = parse_change_file(DATA / "change.yaml")
    assert spec.title == "收费与药房调整"
    assert [r.id for r in spec.adds] == ["FR-004"]
    assert spec.adds[0].description == "入院登记与床位分配。\n打印腕带。"
    assert [m.id for m in spec.modifies] == ["FR-002", "FR-001", "NFR-001"]
    assert spec.modifies[0].changes() == {"title": "门诊收费与退费", "priority": "must"}
    assert spec.removes == ["FR-003"]
    assert spec.days == 10
    assert spec.cost == Decimal("12000")
    assert spec.risks == ["退费流程需财务科审批"]


def test_parse_keeps_codes_as_text() -> None:
    spec = parse_change_text("title: t\nreason: r\nremoves: [0123]\n", "c.yaml")
    assert spec.removes == ["0123"]


@pytest.mark.parametrize(
    ("text", "line", "path", "message"),
    [
        pytest.param(
            "title: t\nreason: r\nremove: [FR-001]\n",
            3,
            None,
            "unknown field 'remove'",
            id="unknown-field",
        ),
        pytest.param(
            "title: t\nreason: r\nmodifies:\n  - id: FR-001\n",
            4,
            "modifies[0]",
            "names no field to change",
            id="edit-names-no-field",
        ),
        pytest.param(
            "title: t\nreason: r\nmodifies:\n  - id: FR-001\n    status: done\n",
            5,
            "modifies[0]",
            "unknown field 'status'",
            id="edit-of-a-field-not-editable",
        ),
        pytest.param(
            "title: t\nreason: r\nadds:\n  - id: FR-9\n    title: x\n    priority: urgent\n",
            6,
            "adds[0].priority",
            "must be one of must, should, could",
            id="bad-priority",
        ),
        pytest.param(
            "reason: r\nadds: []\n", None, None, "missing required field 'title'", id="no-title"
        ),
        pytest.param("title: t\nreason: r\ndays: soon\n", 3, "days", "", id="days-not-a-number"),
        pytest.param("- a\n- b\n", 1, None, "must be a YAML mapping", id="not-a-mapping"),
        pytest.param("title: [t\n", 2, None, "invalid YAML", id="yaml-syntax"),
    ],
)
def test_invalid_change_file_names_line_and_path(
    text: str, line: int | None, path: str | None, message: str
) -> None:
    with pytest.raises(SpecError) as caught:
        parse_change_text(text, "change.yaml")
    problem = caught.value.problems[0]
    assert problem.file == "change.yaml"
    assert message in problem.message
    assert problem.path == path
    if line is not None:
        assert problem.line == line


def test_missing_change_file_is_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"cannot read .*nowhere\.yaml"):
        parse_change_file(tmp_path / "nowhere.yaml")


def test_edit_changes_lists_set_fields_in_document_order() -> None:
    edit = RequirementEdit(id="FR-001", delivered=False, priority="must", title="x")
    assert list(edit.changes()) == ["title", "priority", "delivered"]


def test_touched_ids_counts_each_id_once() -> None:
    spec = ChangeRequestSpec(
        title="t",
        reason="r",
        adds=[{"id": "FR-9", "title": "x"}],
        modifies=[{"id": "FR-1", "title": "y"}, {"id": "FR-2", "title": "z"}],
        removes=["FR-1", "FR-3"],
    )
    assert spec.touched_ids() == ["FR-9", "FR-1", "FR-2", "FR-3"]


def test_model_is_frozen() -> None:
    spec = ChangeRequestSpec(title="t", reason="r")
    with pytest.raises(ValueError, match="frozen"):
        spec.title = "other"  # type: ignore[misc]


def test_committed_schema_is_current() -> None:
    script = ROOT / "scripts" / "export_change_schema.py"
    loaded = importlib.util.spec_from_file_location("export_change_schema", script)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    text = module.render_change_schema()
    assert (ROOT / "schemas" / "change.schema.json").read_text(encoding="utf-8") == text
    assert set(json.loads(text)["properties"]) == set(ChangeRequestSpec.model_fields)


def test_change_modules_import_no_yaml_library() -> None:
    code = (
        "import sys, docflow.spec.change, docflow.changes.rules, docflow.changes.yamledit,"
        " docflow.changes.requests, docflow.changes.effective;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'ruamel', 'sqlalchemy'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
