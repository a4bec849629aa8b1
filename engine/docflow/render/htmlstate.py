"""The parser's working state: runs being collected, open lists and tables, and the rules.

Kept apart from html.py so that the parser reads as the subset's grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docflow.render.blocks import Cell, ListBlock, ListItem, Paragraph, Row, Run, TableKind

__all__ = [
    "BLOCK_CLASSES",
    "CELL_CLASSES",
    "INLINE",
    "SIG_ID",
    "SPACE",
    "TABLE_KINDS",
    "WIDTH",
    "InlineRuns",
    "ListFrame",
    "TableFrame",
    "clean_text",
    "strip_bidi",
]

SPACE = re.compile(r"[ \t\n\r\f]+")
WIDTH = re.compile(r"^\s*width\s*:\s*(\d+(?:\.\d+)?)\s*%\s*;?\s*$")
SIG_ID = re.compile(r"^sig-[a-z][a-z0-9_]*$")
INLINE = {"strong", "em", "u", "span"}
BLOCK_CLASSES = {"center", "right", "small"}
CELL_CLASSES = {"center", "right"}
TABLE_KINDS = {"grid", "kv", "plain", "signatures"}
# Bidirectional controls: the marks (U+200E, U+200F, U+061C), embeddings and overrides
# (U+202A-U+202E) and isolates (U+2066-U+2069). They are invisible and can show text in
# another order than it is stored ("U+202E" makes "500" read "005"); no document carries
# them, so a reader sees the characters in the order docflow holds them.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BIDI_CONTROLS = re.compile(f"[{_BIDI}]")
# Characters XML 1.0 (and so DOCX) cannot hold, and the bidi controls; dropped from both
# outputs alike.
_DROPPED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff{_BIDI}]")


def clean_text(data: str) -> str:
    """Collapse HTML whitespace; drop characters a DOCX cannot hold and bidi controls."""
    return SPACE.sub(" ", _DROPPED.sub("", data))


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters (see ``_BIDI``)."""
    return _BIDI_CONTROLS.sub("", text) if _BIDI_CONTROLS.search(text) else text


@dataclass
class InlineRuns:
    """Runs being collected for one paragraph, heading, list item or cell paragraph."""

    runs: list[Run] = field(default_factory=list)

    def finish(self) -> tuple[Run, ...]:
        """Collapse HTML whitespace across runs and trim it around line breaks."""
        out: list[Run] = []
        at_line_start = True
        for run in self.runs:
            if run.is_break:
                if out and not out[-1].is_break:
                    out[-1] = Run(
                        out[-1].text.rstrip(" "), out[-1].bold, out[-1].italic, out[-1].underline
                    )
                out.append(run)
                at_line_start = True
                continue
            text = SPACE.sub(" ", run.text)
            if at_line_start or (out and not out[-1].is_break and out[-1].text.endswith(" ")):
                text = text.lstrip(" ")
            if not text:
                continue
            out.append(Run(text, run.bold, run.italic, run.underline))
            at_line_start = False
        if out and not out[-1].is_break:
            out[-1] = Run(out[-1].text.rstrip(" "), out[-1].bold, out[-1].italic, out[-1].underline)
        return tuple(run for run in out if run.text)


@dataclass
class ListFrame:
    """An open ``ul``/``ol``: finished items, the open item and its nested lists."""

    ordered: bool
    items: list[ListItem] = field(default_factory=list)
    item: InlineRuns | None = None
    children: list[ListBlock] = field(default_factory=list)


@dataclass
class TableFrame:
    """An open table: widths, finished rows, the open row and the open cell."""

    kind: TableKind
    widths: list[float] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    in_head: bool = False
    cells: list[Cell] | None = None
    cell_attrs: dict[str, str | None] = field(default_factory=dict)
    cell_header: bool = False
    cell_paragraphs: list[Paragraph] = field(default_factory=list)
    cell_inline: InlineRuns | None = None
    cell_open: bool = False
