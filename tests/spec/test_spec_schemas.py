"""The committed JSON Schemas equal a fresh export from the models."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _exporter() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "export_schemas", ROOT / "scripts" / "export_schemas.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FRESH: dict[str, str] = _exporter().render_schemas()


@pytest.mark.parametrize("filename", sorted(FRESH), ids=sorted(FRESH))
def test_committed_schema_is_fresh(filename: str) -> None:
    """Run scripts/export_schemas.py after changing a model, and commit its output."""
    committed = (ROOT / "schemas" / filename).read_text(encoding="utf-8")
    assert committed == FRESH[filename]


def test_project_schema_rejects_unknown_keys() -> None:
    """Editors flag unknown keys, as the loader does."""
    schema = json.loads(FRESH["project.schema.json"])
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Requirement"]["properties"]["priority"]["enum"] == [
        "must",
        "should",
        "could",
    ]


def test_workflow_schema_describes_the_yaml_form() -> None:
    """Guards are ``{type, ...params}`` and state ids come from their keys."""
    defs = json.loads(FRESH["workflow.schema.json"])["$defs"]
    assert defs["GuardSpec"]["required"] == ["type"]
    assert defs["GuardSpec"]["additionalProperties"] is True
    assert "id" not in defs["StateSpec"]["required"]
    assert "code" not in defs["DocumentKind"]["required"]


def test_export_writes_files(tmp_path: Path) -> None:
    """export() writes one file per schema, ending in a newline."""
    written = _exporter().export(tmp_path)
    assert sorted(p.name for p in written) == sorted(FRESH)
    assert all(p.read_text(encoding="utf-8").endswith("}\n") for p in written)


def test_check_mode_reports_current_files() -> None:
    """``export_schemas.py --check`` exits 0 while the committed files are current."""
    assert _exporter().main(["--check"]) == 0
