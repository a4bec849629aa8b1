"""Helpers of the change-control tests: short builders of requirements and change requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docflow.spec.change import ChangeRequestSpec
from docflow.spec.project import Requirement

DATA = Path(__file__).parent / "data"


def req(rid: str, title: str = "", **fields: Any) -> Requirement:
    """A requirement with a title derived from its id unless given."""
    return Requirement(id=rid, title=title or f"title of {rid}", **fields)


def change(**fields: Any) -> ChangeRequestSpec:
    """A change request with a title and reason, plus ``fields``."""
    return ChangeRequestSpec.model_validate({"title": "t", "reason": "r", **fields})
