"""From a composed YAML node graph to plain data, with a map of where each field was written.

The builder applies docflow's scalar rules (:mod:`docflow.spec.yamlscalars`) and records
each problem it meets (duplicate keys, complex keys, unreadable tags, characters documents
cannot hold, over-long values) with its file, line and field path. It recurses once per
level of nesting, which :mod:`docflow.spec.yamlshape` has bounded before it runs.
"""

from __future__ import annotations

import re
from typing import Any

from docflow.errors import Problem
from docflow.spec.yamlscalars import resolve_plain
from docflow.spec.yamlshape import MAX_TEXT_CHARS

__all__ = [
    "PLAIN",
    "XML_FORBIDDEN",
    "Builder",
    "LineMap",
    "PathKey",
    "forbidden_problem",
    "format_path",
]

PathKey = tuple[str | int, ...]

PLAIN = "tag:docflow,plain"
# XML 1.0 Char production: everything else cannot appear in a .docx or be shown reliably.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class LineMap(dict[PathKey, int]):
    """Field path (``("requirements", 3, "priority")``) -> 1-based line where it is written."""

    def find(self, path: PathKey) -> int | None:
        """The line of ``path``, else of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def format_path(path: PathKey) -> str:
    """``("requirements", 3, "priority")`` -> ``requirements[3].priority``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENT.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part}]"
    return out


def forbidden_problem(
    char: str, filename: str, line: int | None, path: PathKey, count: int = 1
) -> Problem:
    """The problem of ``count`` characters like ``char`` that no document can hold."""
    times = f" ({count:,} such characters on this line)" if count > 1 else ""
    return Problem(
        f"contains the control character U+{ord(char):04X}, which documents cannot hold{times}",
        file=filename,
        line=line,
        path=format_path(path) or None,
    )


class Builder:
    """Turns a composed node graph into plain data, filling the LineMap on the way."""

    def __init__(self, filename: str, lines: LineMap, problems: list[Problem]) -> None:
        self.filename = filename
        self.lines = lines
        self.problems = problems

    def build(self, node: Any, path: PathKey) -> Any:
        """The plain data of ``node``, found at ``path`` of the document."""
        self.lines.setdefault(path, node.start_mark.line + 1)
        if node.id == "mapping":
            return self._mapping(node, path)
        if node.id == "sequence":
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: Any, path: PathKey) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.id != "scalar":
                self.problems.append(
                    Problem(
                        "a key must be a plain value, not a list or mapping",
                        file=self.filename,
                        line=line,
                        path=format_path(path) or None,
                    )
                )
                continue
            key = self._scalar(key_node, path)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = key_node.value
            if key in first_line:
                self.problems.append(
                    Problem(
                        f"duplicate key '{key}' (first at line {first_line[key]})",
                        file=self.filename,
                        line=line,
                        path=format_path((*path, key)),
                    )
                )
                continue
            first_line[key] = line
            self.lines[(*path, key)] = line
            out[key] = self.build(value_node, (*path, key))
        return out

    def _scalar(self, node: Any, path: PathKey) -> Any:
        tag = str(node.tag)
        value: str = node.value
        if node.style == ">":
            # ruamel's round-trip scanner marks fold points with BEL; raw BELs were masked.
            value = value.replace("\a", "")
        elif node.style == '"':
            # Raw forbidden characters were masked before parsing; only the escapes of a
            # double-quoted scalar ("\f", "\x00") can still produce one.
            self._check_chars(value, node, path)
        if len(value) > MAX_TEXT_CHARS:
            self.problems.append(
                Problem(
                    f"is {len(value):,} characters long; a value may hold at most "
                    f"{MAX_TEXT_CHARS:,} (about ten printed pages)",
                    file=self.filename,
                    line=node.start_mark.line + 1,
                    path=format_path(path) or None,
                )
            )
        if tag == PLAIN:
            return resolve_plain(value)
        if tag == "tag:yaml.org,2002:str":
            return value
        if tag in _EXPLICIT:
            resolved = resolve_plain(value)
            wanted = _EXPLICIT[tag]
            if isinstance(resolved, bool) == (wanted is bool) and isinstance(resolved, wanted):
                return float(str(resolved)) if tag.endswith(":float") else resolved
        self.problems.append(
            Problem(
                f"cannot read {value!r} as {tag}",
                file=self.filename,
                line=node.start_mark.line + 1,
                path=format_path(path) or None,
            )
        )
        return value

    def _check_chars(self, value: str, node: Any, path: PathKey) -> None:
        match = XML_FORBIDDEN.search(value)
        if match:
            line = node.start_mark.line + 1
            self.problems.append(forbidden_problem(match.group(), self.filename, line, path))


_EXPLICIT: dict[str, type | tuple[type, ...]] = {
    "tag:yaml.org,2002:null": type(None),
    "tag:yaml.org,2002:bool": bool,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": (float, int),
}
