"""The value types that cross the rendering boundary: what to render and what came out.

All of them are frozen dataclasses of plain values so that they pickle (batch rendering runs
in a process pool) and compare by value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["DocMeta", "RenderRequest", "RenderedDocument", "SigBox"]


@dataclass(frozen=True)
class DocMeta:
    """The identity of one issued document, as printed on it."""

    id: str
    code: str
    template: str
    title: str
    number: str
    version: int
    annex: int | None
    issued_on: dt.date
    signers: tuple[str, ...]
    locale: str
    project_code: str
    project_name: str
    contract_number: str
    anchor_seq: int
    anchor_hash: str
    subject: str | None = None  # "<item kind>:<key>" of a document about one item, e.g. change:CR-1

    def to_dict(self) -> dict[str, Any]:
        """The ``doc`` value of the template context."""
        return asdict(self)

    @property
    def anchor_keyword(self) -> str:
        """The keyword that ties the file to the head of the project's event chain."""
        return f"docflow-anchor:{self.anchor_seq}:{self.anchor_hash}"


@dataclass(frozen=True)
class RenderRequest:
    """Everything a rendering depends on: the same request always gives the same bytes."""

    meta: DocMeta
    context: Mapping[str, Any]
    template_dirs: tuple[Path, ...]


@dataclass(frozen=True)
class SigBox:
    """Where a party's signature cell lies: PDF points, origin at the page's bottom left."""

    page: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class RenderedDocument:
    """The two files of a document, where each party signs in the PDF, the page HTML the
    PDF was made from (what :func:`docflow.render.render_html` gives for the request), and
    the data snapshot the PDF carries as data.json (empty when none was asked for)."""

    docx: bytes
    pdf: bytes
    signature_boxes: dict[str, SigBox]
    html: str = ""
    data: bytes = b""
