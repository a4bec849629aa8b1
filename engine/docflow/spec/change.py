"""What a change request is: the facts a PM files for CR-n, and the loader of change files.

A change request adds whole requirements, edits fields of existing ones and removes others.
Whether those ids exist is checked against the current requirement set by
``docflow.changes.rules.validate_change``; this module only checks the shape.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from docflow.errors import Problem, SpecError
from docflow.spec.loader import validation_problems
from docflow.spec.money import SignedMoney
from docflow.spec.project import Priority, Requirement, RequirementType, Verification
from docflow.spec.yamlio import decode_utf8, parse_yaml
from docflow.spec.yamlshape import read_limited

__all__ = [
    "EDITABLE_FIELDS",
    "ChangeRequestSpec",
    "RequirementEdit",
    "filing_problems",
    "parse_change_file",
    "parse_change_text",
]

#: The requirement fields a change request may edit, in the order documents list them.
EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "type",
    "priority",
    "source",
    "delivered",
    "verification",
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
    verification: Verification | None = None

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
    cost: SignedMoney | None = None  # negative when the change lowers the contract amount
    # the instalment of contract.payments (by name) the cost goes to; None: the contract's
    # change_payment, else the last instalment
    payment: str | None = Field(default=None, min_length=1)
    risks: list[str] = []

    def touched_ids(self) -> list[str]:
        """Every requirement id this change adds, edits or removes, first mention first."""
        ids = [r.id for r in self.adds] + [m.id for m in self.modifies] + list(self.removes)
        return list(dict.fromkeys(ids))


def filing_problems(spec: ChangeRequestSpec, locale: str = "en") -> list[Problem]:
    """What a request needs before it is filed or edited, beyond its shape.

    An added requirement goes into a contract annex word for word: it needs a description
    saying what is to be built, not a title alone. Requests filed before this rule stay
    readable (the rule is checked when filing, never when reading the store).
    """
    zh = locale.lower().startswith("zh")
    return [
        Problem(
            f"新增需求 {req.id}（{req.title}）没有描述；新增需求将写入合同的变更附件，"
            "请说明要实现什么（--description，或变更文件中的 description:）"
            if zh
            else f"requirement {req.id} ({req.title}) has no description; an added requirement "
            "is written into the change annex of the contract: say what is to be built "
            "(--description, or description: in the change file)",
            path=f"adds[{i}].description",
        )
        for i, req in enumerate(spec.adds)
        if not req.description.strip()
    ]


def parse_change_text(text: str, file: str = "<change>") -> ChangeRequestSpec:
    """Parse and validate the YAML of a change request; every problem is in one SpecError."""
    data, lines, problems = parse_yaml(text, file)
    if data is not None and not isinstance(data, dict):
        raise SpecError([Problem("a change request must be a YAML mapping", file, 1)])
    try:
        spec = ChangeRequestSpec.model_validate(data if data is not None else {})
    except ValidationError as exc:
        problems += validation_problems(exc, ChangeRequestSpec, lines, file)
        raise SpecError(sorted(problems, key=lambda p: p.line or 0)) from exc
    for index, req in enumerate(spec.adds):
        if not req.description.strip():
            [problem] = filing_problems(spec.model_copy(update={"adds": [req]}))
            where = ("adds", index, "description")
            problems.append(Problem(problem.message, file, lines.find(where), f"adds[{index}]"))
    if problems:
        raise SpecError(sorted(problems, key=lambda p: p.line or 0))
    return spec


def parse_change_file(path: Path) -> ChangeRequestSpec:
    """Read, parse and validate a change request file (``docflow change new --file``)."""
    try:
        raw = read_limited(path, str(path))
    except OSError as exc:
        raise SpecError([Problem(f"cannot read {path}: {exc.strerror}", str(path))]) from exc
    return parse_change_text(decode_utf8(raw, str(path)), str(path))
