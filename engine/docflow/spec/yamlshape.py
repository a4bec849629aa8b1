"""How large and how deep a YAML document may be: the bounds of every YAML file docflow reads.

project.yaml, workflow definitions, change files (``change new --file``) and template labels
all obey them; each refusal is a SpecError naming the file and line.

- **File**: a regular file (not a FIFO, device or folder) of at most :data:`MAX_FILE_BYTES`
  (32 MiB: a project of 20,000 requirements takes about 3.5 MiB). Read with that bound, so
  ``/dev/zero`` or a file that grows while read cannot exhaust memory.
- **Nesting**: at most :data:`MAX_DEPTH` (64) mappings and lists inside each other, counted
  after aliases are expanded. Real files nest about 6 deep; the bound keeps every later
  step (validation, hashing, rendering) far from Python's recursion limit.
- **Text**: one value holds at most :data:`MAX_TEXT_CHARS` (20,000) characters, about ten
  printed pages. A PDF lays out one long paragraph in time that grows faster than its
  length (a 300,000-character requirement title took minutes), so a longer value is
  refused when the file is read, not after minutes of rendering.
- **Aliases**: the nodes reached through aliases, beyond the document's own nodes, may
  number at most ``max(ALIAS_FLOOR, ALIAS_FACTOR x own nodes)``: 10,000, or ten times what
  the file itself writes. A large file without aliases is never refused; a "billion laughs"
  (a few lines whose aliases expand to millions of nodes) is refused before any expansion.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docflow.errors import Problem, SpecError

__all__ = [
    "ALIAS_FACTOR",
    "ALIAS_FLOOR",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "check_event_depth",
    "check_shape",
    "depth_problem",
    "read_limited",
]

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_TEXT_CHARS = 20_000
ALIAS_FLOOR = 10_000
ALIAS_FACTOR = 10

_OPEN = ("MappingStartEvent", "SequenceStartEvent")
_CLOSE = ("MappingEndEvent", "SequenceEndEvent")


def read_limited(path: Path, label: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path``; SpecError if it is anything else or too large.

    OSError (missing, unreadable) is left to the caller, which words it for its file.
    """
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SpecError([Problem("is not a regular file", file=label)])
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SpecError(
            [Problem(f"is larger than {limit // (1024 * 1024)} MiB, the most docflow reads", label)]
        )
    return data


def check_event_depth(events: Iterable[Any], filename: str) -> None:
    """Refuse a parse event stream whose mappings and lists nest deeper than MAX_DEPTH.

    Reads the stream only as far as the first level too deep, so a file of a million
    opening brackets costs no more than its first 65.
    """
    depth = 0
    for event in events:
        kind = type(event).__name__
        if kind in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise SpecError([depth_problem(filename, event.start_mark.line + 1)])
        elif kind in _CLOSE:
            depth -= 1


def depth_problem(filename: str, line: int | None) -> Problem:
    """The problem of a document nested more than MAX_DEPTH levels deep at ``line``."""
    return Problem(
        f"invalid YAML: mappings and lists nest more than {MAX_DEPTH} levels deep here",
        file=filename,
        line=line,
    )


def _children(node: Any) -> list[Any]:
    if node.id == "mapping":
        return [part for pair in node.value for part in pair]
    if node.id == "sequence":
        return list(node.value)
    return []


def check_shape(root: Any, filename: str) -> None:
    """Refuse a composed node graph that is recursive, too deep or expands too far.

    Walks each distinct collection once, without recursion (a node reached through an
    alias is the same object as its anchor, so a bomb costs only its own size to check).
    """
    sizes: dict[int, int] = {}  # expanded node count of each distinct collection
    heights: dict[int, int] = {}  # collections nested in it, itself included
    own = 0  # nodes the document writes itself
    order: list[Any] = []  # collections, children first
    active: set[int] = set()
    if root.id == "scalar":
        return
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        kids = _children(node)
        if finished:
            size, height = 1, 0
            for kid in kids:
                if kid.id == "scalar":
                    size += 1
                else:
                    size += sizes[id(kid)]
                    height = max(height, heights[id(kid)])
            sizes[key], heights[key] = size, height + 1
            active.discard(key)
            order.append(node)
            continue
        if key in sizes:
            continue
        if key in active:
            raise SpecError([_located(filename, node, "invalid YAML: an alias refers to itself")])
        active.add(key)
        stack.append((node, True))
        own += 1
        for kid in kids:
            if kid.id == "scalar":
                own += 1
            elif id(kid) in active:
                raise SpecError(
                    [_located(filename, kid, "invalid YAML: an alias refers to itself")]
                )
            elif id(kid) not in sizes:
                stack.append((kid, False))
    if heights[id(root)] > MAX_DEPTH:
        raise SpecError([depth_problem(filename, _deepest(root, heights).start_mark.line + 1)])
    allowed = own + max(ALIAS_FLOOR, ALIAS_FACTOR * own)
    if sizes[id(root)] > allowed:
        culprit = next(node for node in order if sizes[id(node)] > allowed)
        message = (
            f"invalid YAML: aliases expand this to {sizes[id(culprit)]:,} nodes, more than "
            f"the {allowed:,} allowed for a document of {own:,} nodes"
        )
        raise SpecError([_located(filename, culprit, message)])


def _deepest(root: Any, heights: dict[int, int]) -> Any:
    """The collection at level MAX_DEPTH + 1 on the deepest path from ``root``."""
    node = root
    for _level in range(MAX_DEPTH):
        node = max(
            (kid for kid in _children(node) if kid.id != "scalar"),
            key=lambda kid: heights[id(kid)],
        )
    return node


def _located(filename: str, node: Any, message: str) -> Problem:
    return Problem(message, file=filename, line=node.start_mark.line + 1)
