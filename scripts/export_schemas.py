"""Write the JSON Schemas of project.yaml, workflow definitions, change files, meeting minutes
and satisfaction answers to schemas/.

Editors use them (``# yaml-language-server: $schema=...``) to complete and check YAML as it
is typed. Run after changing a model: ``.venv/bin/python scripts/export_schemas.py``; with
``--check`` it only reports stale files (exit 1). A test fails while the committed files
differ from a fresh export.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

__all__ = ["SCHEMAS", "export", "main", "render_schemas", "stale"]

#: file name -> (module, model class name)
SCHEMAS: dict[str, tuple[str, str]] = {
    "project.schema.json": ("docflow.spec.project", "ProjectData"),
    "workflow.schema.json": ("docflow.spec.workflow", "WorkflowSpec"),
    "change.schema.json": ("docflow.spec.change", "ChangeRequestSpec"),
    "letterhead.schema.json": ("docflow.spec.letterhead", "Letterhead"),
    "minutes.schema.json": ("docflow.spec.minutes", "MinutesSpec"),
    "satisfaction.schema.json": ("docflow.spec.minutes", "ScoresSpec"),
}

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _model(module: str, name: str) -> type[BaseModel]:
    import importlib

    model = getattr(importlib.import_module(module), name)
    assert isinstance(model, type) and issubclass(model, BaseModel)
    return model


def render_schemas() -> dict[str, str]:
    """File name -> schema text (sorted keys, two-space indent, trailing newline)."""
    out: dict[str, str] = {}
    for filename, (module, name) in SCHEMAS.items():
        schema: dict[str, Any] = {"$schema": _DIALECT}
        schema.update(_model(module, name).model_json_schema(mode="validation"))
        if filename == "workflow.schema.json":
            # A definition that extends another may leave out what it inherits.
            required = schema.pop("required", [])
            schema["required"] = ["name"]
            schema["if"] = {"not": {"required": ["extends"]}}
            schema["then"] = {"required": required}
        out[filename] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out


def export(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in render_schemas().items():
        target = folder / filename
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def stale(folder: Path) -> list[str]:
    """Names of the schema files in ``folder`` that differ from a fresh export."""
    return [
        name
        for name, text in render_schemas().items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]


def main(argv: list[str]) -> int:
    """Write the schemas (or with ``--check`` list stale ones); return the exit code."""
    root = Path(__file__).resolve().parents[1]
    if "--check" in argv:
        names = stale(root / "schemas")
        for name in names:
            sys.stderr.write(f"schemas/{name} is out of date: run scripts/export_schemas.py\n")
        return 1 if names else 0
    for path in export(root / "schemas"):
        sys.stdout.write(f"wrote {path.relative_to(root)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
