"""What a change request is: the facts a PM files for CR-n, and the loader of change files.

A change request adds whole requirements, edits fields of existing ones and removes others.
Whether those ids exist is checked against the current requirement set by
``docflow.runtime.requirements.validate_change``; this module only checks the shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from docflow.errors import Problem, SpecError
from docflow.spec.project import Priority, Requirement, RequirementType

__all__ = [
    "EDITABLE_FIELDS",
    "ChangeRequestSpec",
    "RequirementEdit",
    "load_yaml",
    "locate",
    "parse_change_file",
    "parse_change_text",
    "plain_data",
    "validation_problems",
]

#: The requirement fields a change request may edit, in the order documents list them.
EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "type",
    "priority",
    "source",
    "delivered",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class RequirementEdit(_Model):
    """New values for some fields of one existing requirement; unnamed fields stay as they are."""

    id: str = Field(min_length=1)
    title: str | None = Field(default=None, min_length=1)
    description: str | None = None
    type: RequirementType | None = None
    priority: Priority | None = None
    source: str | None = None
    delivered: bool | None = None

    @model_validator(mode="after")
    def _names_a_field(self) -> RequirementEdit:
        if not self.changes():
            raise ValueError(
                f"the edit of {self.id} names no field to change; give at least one of "
                + ", ".join(EDITABLE_FIELDS)
            )
        return self

    def changes(self) -> dict[str, Any]:
        """The fields this edit sets, with their new values, in ``EDITABLE_FIELDS`` order."""
        return {f: getattr(self, f) for f in EDITABLE_FIELDS if getattr(self, f) is not None}


class ChangeRequestSpec(_Model):
    """What a PM files as a change request (变更申请): the change, its reason and its impact."""

    title: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    adds: list[Requirement] = []
    modifies: list[RequirementEdit] = []
    removes: list[str] = []
    days: int | None = None  # schedule impact in days; negative when the change saves time
    cost: Decimal | None = None
    risks: list[str] = []

    def touched_ids(self) -> list[str]:
        """Every requirement id this change adds, edits or removes, first mention first."""
        ids = [r.id for r in self.adds] + [m.id for m in self.modifies] + list(self.removes)
        return list(dict.fromkeys(ids))


def locate(root: Any, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the deepest node along ``loc`` in a ruamel round-trip tree.

    Missing keys (a required field left out) point at the innermost node that exists.
    """
    line: int | None = None
    node = root
    for part in loc:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        try:
            if isinstance(node, Mapping) and part in node:
                line = lc.key(part)[0] + 1
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                line = lc.item(part)[0] + 1
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
        node = node[part]
    if line is None and getattr(root, "lc", None) is not None:
        line = root.lc.line + 1
    return line


def _dotted(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_problems(
    error: ValidationError,
    root: Any,
    file: str | None,
    prefix: Sequence[str | int] = (),
) -> list[Problem]:
    """Turn a pydantic error into problems naming file, line and field path (under ``prefix``)."""
    problems = []
    for item in error.errors():
        # pydantic appends the failing union member or validator name as a str: drop those
        loc = [p for p in item["loc"] if isinstance(p, int | str)]
        full = [*prefix, *loc]
        problems.append(
            Problem(
                message=item["msg"],
                file=file,
                line=locate(root, full),
                path=_dotted(full) or None,
            )
        )
    return problems


def load_yaml(text: str, file: str | None) -> Any:
    """Parse YAML text into a ruamel round-trip tree; a syntax error becomes a SpecError."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True  # the write-back keeps the PM's quoting
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise SpecError([Problem(f"not valid YAML: {reason}", file, line)]) from exc
    except YAMLError as exc:
        raise SpecError([Problem(f"not valid YAML: {exc}", file)]) from exc


def parse_change_text(text: str, file: str | None = None) -> ChangeRequestSpec:
    """Parse and validate the YAML of a change request; every problem is in one SpecError."""
    root = load_yaml(text, file)
    if not isinstance(root, Mapping):
        raise SpecError([Problem("a change request must be a YAML mapping", file, 1)])
    try:
        return ChangeRequestSpec.model_validate(plain_data(root))
    except ValidationError as exc:
        raise SpecError(validation_problems(exc, root, file)) from exc


def parse_change_file(path: Path) -> ChangeRequestSpec:
    """Read, parse and validate a change request file (``docflow change new --file``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Problem(f"cannot read the change file: {exc}", str(path))]) from exc
    return parse_change_text(text, str(path))


def plain_data(node: Any) -> Any:
    """Strip ruamel's comment-carrying types down to plain dicts, lists and scalars."""
    if isinstance(node, Mapping):
        return {str(k): plain_data(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain_data(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node
