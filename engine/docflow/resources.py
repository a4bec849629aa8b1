"""The one place that finds the data shipped with docflow: workflows, templates, schemas."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["data_dir", "data_path"]


def data_dir(name: str) -> Traversable:
    """Return the shipped folder `name` (workflows, doc_templates or schemas)."""
    packaged = files("docflow") / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name  # editable checkout


def data_path(name: str) -> Path:
    """Return the shipped folder `name` as a real filesystem path.

    Wheels are installed unzipped, so the Traversable is always a directory on disk; Jinja,
    WeasyPrint and docxtpl need real paths.
    """
    return Path(str(data_dir(name)))
