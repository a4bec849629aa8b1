"""Write the JSON Schema of change request files to schemas/change.schema.json.

Editors use it (``# yaml-language-server: $schema=...``) to complete and check a change file
as it is typed. Run after changing ``docflow.spec.change``:
``.venv/bin/python scripts/export_change_schema.py``; with ``--check`` it only says whether
the committed file is current (exit 1 when not). The format matches scripts/export_schemas.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_FILE", "render_change_schema"]

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schemas" / "change.schema.json"

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def render_change_schema() -> str:
    """The schema text: sorted keys, two-space indent, trailing newline."""
    from docflow.spec.change import ChangeRequestSpec

    schema: dict[str, Any] = {"$schema": _DIALECT}
    schema.update(ChangeRequestSpec.model_json_schema(mode="validation"))
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Write (or with ``--check`` compare) the schema file; return the exit code."""
    text = render_change_schema()
    if "--check" in argv:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if current != text:
            print(f"{SCHEMA_FILE} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    print(SCHEMA_FILE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
