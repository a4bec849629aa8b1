"""Reading the files a PM hands in about contacts with the client: meeting minutes and the
answers of a satisfaction survey, each checked with the line of every problem."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docflow.spec.minutes import MinutesSpec, RecordFile, ScoresSpec

__all__ = ["read_minutes_file", "read_scores_file"]


def read_minutes_file(path: str | Path) -> RecordFile[MinutesSpec]:
    """A minutes file (YAML, schemas/minutes.schema.json), checked with line numbers; pass it
    to :meth:`docflow.api.Project.record_meeting`."""
    from docflow.spec.minutes import MinutesSpec, parse_record_file

    return parse_record_file(MinutesSpec, Path(path))


def read_scores_file(path: str | Path) -> RecordFile[ScoresSpec]:
    """A satisfaction survey's answers (YAML, schemas/satisfaction.schema.json), checked with
    line numbers; pass it to :meth:`docflow.api.Project.record_satisfaction`."""
    from docflow.spec.minutes import ScoresSpec, parse_record_file

    return parse_record_file(ScoresSpec, Path(path))
