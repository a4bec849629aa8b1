"""project.yaml's ``extra:`` section: data a company's own document kinds need.

A workflow declares ``data_schema: {KEY: JSON Schema}``; ``extra.KEY`` in project.yaml must
then satisfy that schema (Draft 2020-12, formats such as ``date`` checked), and no other key
may appear under ``extra``. Guards address it like any field (``fields_present`` on
``extra.golive.date``) and templates read it as ``p.extra.golive``. Every problem names the
file, line and path, as project.yaml's own checks do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from docflow.errors import Problem, SpecError

__all__ = ["check_extra", "extra_problems"]


def _jsonable(value: Any) -> Any:
    """YAML's dates as ISO text and decimals as numbers, which JSON Schema can check."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def extra_problems(
    schemas: Mapping[str, Mapping[str, Any]], extra: Mapping[str, Any], file: str, text: str | None
) -> list[Problem]:
    """Every way ``extra`` departs from ``schemas``; ``text`` (project.yaml) gives the lines."""
    if not extra and not schemas:
        return []
    from jsonschema import Draft202012Validator, FormatChecker

    lines = None
    if text is not None:
        from docflow.spec.yamlio import parse_yaml

        lines = parse_yaml(text, file)[1]
    problems = []

    def add(path: tuple[str | int, ...], message: str) -> None:
        from docflow.spec.yamlio import format_path

        full = ("extra", *path)
        line = lines.find(full) if lines is not None else None
        problems.append(Problem(message, file=file, line=line, path=format_path(full)))

    for key, value in extra.items():
        schema = schemas.get(key)
        if schema is None:
            known = ", ".join(schemas) or "none: the workflow declares no data_schema"
            add((key,), f"unknown field '{key}' (the workflow's data_schema has: {known})")
            continue
        validator = Draft202012Validator(schema, format_checker=FormatChecker())
        for error in sorted(validator.iter_errors(_jsonable(value)), key=lambda e: list(e.path)):
            add((key, *error.absolute_path), error.message)
    return problems


def check_extra(
    schemas: Mapping[str, Mapping[str, Any]], extra: Mapping[str, Any], path: Path
) -> None:
    """Raise one SpecError with every problem of project.yaml's ``extra`` (nothing if sound)."""
    if not extra:
        return
    try:
        text: str | None = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    problems = extra_problems(schemas, extra, path.name, text)
    if problems:
        raise SpecError(problems)
