"""Load project.yaml and workflow definitions into their models, or say exactly what is wrong.

Every problem names the file, the line and the field path, e.g.
``project.yaml:41: requirements[3].priority: must be one of must, should, could``. All
problems of a file are collected and raised as one :class:`~docflow.errors.SpecError`.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from docflow.errors import Problem, SpecError
from docflow.resources import data_path
from docflow.spec.project import ProjectData
from docflow.spec.validation_zh import describe_value, zh_message
from docflow.spec.workflow import WorkflowSpec
from docflow.spec.yamlio import (
    LineMap,
    PathKey,
    decode_utf8,
    format_path,
    load_yaml_text,
    parse_yaml,
)
from docflow.spec.yamlshape import read_limited

__all__ = [
    "LineMap",
    "find_workflow",
    "list_workflows",
    "load_project",
    "load_workflow",
    "load_workflow_with_lines",
    "load_yaml_text",
    "parse_project",
    "parse_workflow",
    "validation_problems",
]

_DATE_ERRORS = {
    "date_parsing",
    "date_type",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
}
_TYPE_MESSAGES = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "decimal_type": "must be a number",
    "decimal_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
}


def load_project(path: Path) -> ProjectData:
    """Read and validate a project.yaml; raise SpecError holding every problem."""
    try:
        raw = read_limited(path, path.name)
    except OSError as exc:
        raise SpecError([Problem(f"cannot be read ({exc.strerror})", file=str(path))]) from exc
    return parse_project(decode_utf8(raw, path.name), path.name)


def parse_project(text: str, filename: str) -> ProjectData:
    """Validate project.yaml text; ``filename`` is used in messages only. A SpecError raised
    carries the locale the text sets (``locale``), for the sentence that frames it."""
    try:
        return _parse_project(text, filename)
    except SpecError as exc:
        from docflow.runtime.lang import sniff_locale

        exc.locale = sniff_locale(text)
        raise


def _parse_project(text: str, filename: str) -> ProjectData:
    data, lines, problems = parse_yaml(text, filename)
    if data is None:
        data = {}
    problems.extend(_duplicate_requirement_ids(data, lines, filename))
    try:
        project = ProjectData.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, ProjectData, lines, filename))
        raise SpecError(_ordered(problems)) from exc
    if problems:
        raise SpecError(_ordered(problems))
    return project


def find_workflow(name_or_path: str) -> Path:
    """A shipped workflow by name (``implementation``) or a path to a workflow YAML file."""
    shipped = data_path("workflows")
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name_or_path) and not name_or_path.endswith(
        (".yaml", ".yml")
    ):
        candidate = shipped / f"{name_or_path}.yaml"
        if candidate.is_file():
            return candidate
        if Path(name_or_path).is_file():
            return Path(name_or_path)
        known = ", ".join(list_workflows()) or "none"
        raise SpecError(
            [Problem(f"no workflow named '{name_or_path}' (shipped workflows: {known})")]
        )
    path = Path(name_or_path)
    if not path.is_file():
        raise SpecError([Problem("workflow file does not exist", file=str(path))])
    return path


def list_workflows() -> list[str]:
    """Names of the shipped workflows, sorted."""
    folder = data_path("workflows")
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml"))


def load_workflow(name_or_path: str) -> WorkflowSpec:
    """Load a workflow by name or path and validate its structure (not its cross-references)."""
    spec, _lines, _file = load_workflow_with_lines(name_or_path)
    return spec


def load_workflow_with_lines(name_or_path: str) -> tuple[WorkflowSpec, LineMap, str]:
    """Like :func:`load_workflow`, also returning the LineMap and file label for checks."""
    path = find_workflow(name_or_path)
    try:
        raw = read_limited(path, path.name)
    except OSError as exc:
        raise SpecError([Problem(f"cannot be read ({exc.strerror})", file=str(path))]) from exc
    label = path.name
    spec, lines = parse_workflow(decode_utf8(raw, label), label, path.resolve().parent)
    return spec, lines, label


def parse_workflow(
    text: str, filename: str, folder: Path | None = None
) -> tuple[WorkflowSpec, LineMap]:
    """Validate workflow YAML text into a WorkflowSpec plus its LineMap.

    A definition that ``extends`` another is merged with it first (:mod:`docflow.spec.extends`);
    ``folder`` is where a relative ``extends`` path is looked up. Problems then name the file
    each part came from.
    """
    data, lines = load_yaml_text(text, filename)
    if isinstance(data, dict) and data.get("extends") is not None:
        from docflow.spec.extends import merge_extends

        data, lines = merge_extends(data, lines, filename, folder, ())
    try:
        return WorkflowSpec.model_validate(data if data is not None else {}), lines
    except ValidationError as exc:
        problems = validation_problems(exc, WorkflowSpec, lines, filename)
        locate = getattr(lines, "locate", None)
        if locate is not None:
            problems = [_relocated(p, locate, exc) for p in problems]
        raise SpecError(problems) from exc


def _relocated(problem: Problem, locate: Any, exc: ValidationError) -> Problem:
    """A problem of a merged workflow, named by the file its part came from."""
    path: PathKey = ()
    for item in exc.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if isinstance(part, str | int))
        if format_path(loc) == problem.path or format_path(loc[:-1]) == problem.path:
            path = loc
            break
    file, line = locate(path)
    return dataclasses.replace(problem, file=file, line=line)


def validation_problems(
    error: ValidationError, model: type[BaseModel], lines: LineMap | None, filename: str
) -> list[Problem]:
    """Turn a pydantic ValidationError into friendly, line-located Problems."""
    problems = []
    for item in error.errors(include_url=False):
        loc: PathKey = tuple(part for part in item["loc"] if isinstance(part, str | int))
        kind = item["type"]
        path = loc
        if kind in {"extra_forbidden", "missing"}:
            path = loc[:-1]
        line = lines.find(loc) if lines is not None else None
        hint = _did_you_mean(model, loc) if kind == "extra_forbidden" else None
        problems.append(
            Problem(
                _message(item, loc, hint),
                file=filename,
                line=line,
                path=format_path(path) or None,
                zh=zh_message(item, loc[-1] if loc else "", hint),
            )
        )
    return problems


def _message(item: Any, loc: PathKey, hint: str | None) -> str:
    kind: str = item["type"]
    ctx: dict[str, Any] = item.get("ctx") or {}
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        return f"unknown field '{name}'" + (f" (did you mean '{hint}'?)" if hint else "")
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind in {"literal_error", "enum"}:
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return "must be one of " + ", ".join(choices)
    if kind in _DATE_ERRORS:
        return "not a date (YYYY-MM-DD)"
    if kind == "string_type" and not isinstance(item.get("input"), dict | list | None):
        return f"must be text, not {describe_value(item.get('input'))} (put it in quotes)"
    if kind in _TYPE_MESSAGES:
        return f"{_TYPE_MESSAGES[kind]}, not {describe_value(item.get('input'))}"
    if kind == "string_pattern_mismatch":
        given = describe_value(item.get("input"))
        return f"{given} does not match the pattern {ctx.get('pattern')}"
    if kind == "value_error":
        return str(ctx.get("error", item["msg"]))
    msg: str = item["msg"]
    return msg[:1].lower() + msg[1:]


def _did_you_mean(model: type[BaseModel], loc: PathKey) -> str | None:
    """Suggest the closest field name of the model found at ``loc[:-1]``."""
    target = _annotation_at(model, loc[:-1])
    if not (isinstance(target, type) and issubclass(target, BaseModel)):
        return None
    close = difflib.get_close_matches(str(loc[-1]), list(target.model_fields), n=1, cutoff=0.75)
    return close[0] if close else None


def _annotation_at(model: type[BaseModel], loc: PathKey) -> Any:
    """Follow ``loc`` through model fields, dict values and list items to a type."""
    import typing

    current: Any = model
    for part in loc:
        current = _unwrap_optional(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
            continue
        origin, args = typing.get_origin(current), typing.get_args(current)
        if origin is dict and len(args) == 2:
            current = args[1]
        elif origin in (list, tuple) and args:
            current = args[0]
        else:
            return None
    return _unwrap_optional(current)


def _unwrap_optional(annotation: Any) -> Any:
    import types
    import typing

    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return options[0] if len(options) == 1 else annotation
    return annotation


def _duplicate_requirement_ids(data: Any, lines: LineMap, filename: str) -> list[Problem]:
    """Requirement ids must be unique: each repeat names both lines."""
    items = data.get("requirements") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    first: dict[str, int] = {}
    problems = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        rid = item["id"].strip()
        loc = ("requirements", index, "id")
        if rid in first:
            earlier = first[rid]
            problems.append(
                Problem(
                    f"duplicate requirement id '{rid}' (also requirements[{earlier}].id at "
                    f"line {lines.find(('requirements', earlier, 'id'))})",
                    file=filename,
                    line=lines.find(loc),
                    path=format_path(loc),
                )
            )
        else:
            first[rid] = index
    return problems


def _ordered(problems: Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))
