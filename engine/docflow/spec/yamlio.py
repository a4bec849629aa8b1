"""YAML text -> plain Python data plus a map of where each field was written.

docflow reads YAML 1.2 with its own scalar rules, chosen for people who type codes and times:
a plain scalar becomes null, a bool (``true``/``false`` only), a canonical int (no leading
zero), a float, a date (``YYYY-MM-DD``) or else a string. So ``0123`` stays the code
``"0123"``, ``12:30`` stays a time string and ``yes``/``no`` stay words. Duplicate keys,
recursive or over-expanding aliases ("billion laughs") and characters XML cannot hold are
problems named by file and line. The YAML libraries (PyYAML's libyaml binding, ruamel.yaml)
are imported inside the functions: this module sits on the command line's start-up path.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from docflow.errors import Problem, SpecError
from docflow.spec.yamlscalars import resolve_plain

__all__ = [
    "MAX_NODES",
    "LineMap",
    "PathKey",
    "decode_utf8",
    "forbidden_char_problems",
    "format_path",
    "load_yaml_text",
    "parse_yaml",
]

PathKey = tuple[str | int, ...]

# Generous for any real project.yaml (a few thousand nodes), tiny against alias bombs.
MAX_NODES = 10_000

_PLAIN = "tag:docflow,plain"
# XML 1.0 Char production: everything else cannot appear in a .docx or be shown reliably.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
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


def decode_utf8(data: bytes, filename: str) -> str:
    """Decode file bytes as UTF-8 (a BOM is dropped) or raise a SpecError naming the byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        # The message names the file itself: a line number means little in undecodable text.
        problem = Problem(f"{filename} is not UTF-8 text (byte 0x{bad:02x} at offset {exc.start})")
        raise SpecError([problem]) from exc
    return text.removeprefix("\ufeff")


def load_yaml_text(text: str, filename: str) -> tuple[Any, LineMap]:
    """Parse one YAML document into plain data and a LineMap; raise SpecError on any problem."""
    data, lines, problems = parse_yaml(text, filename)
    if problems:
        raise SpecError(problems)
    return data, lines


def parse_yaml(text: str, filename: str) -> tuple[Any, LineMap, list[Problem]]:
    """Parse like :func:`load_yaml_text` but return the problems that still left usable data.

    Syntax errors and alias bombs raise SpecError at once (there is no data to check further);
    duplicate keys and forbidden characters are returned so a caller can report them
    together with its own validation problems.
    """
    problems: list[Problem] = []
    text, raw = _mask_raw_forbidden(text)
    node = _compose(text, filename)
    lines = LineMap()
    if node is None:
        problems.extend(_forbidden_problem(c, filename, n, ()) for n, c in raw)
        return None, lines, problems
    _check_size(node, filename)
    builder = _Builder(filename, lines, problems)
    data = builder.build(node, ())
    for line, char in raw:
        problems.append(_forbidden_problem(char, filename, line, _deepest_on(lines, line)))
    problems.extend(forbidden_char_problems(data, lines, filename))
    return data, lines, problems


def forbidden_char_problems(data: Any, lines: LineMap, filename: str) -> list[Problem]:
    """One problem per string (key or value) holding a character XML forbids, e.g. ``\\f``."""
    found: list[Problem] = []
    for path, value in _walk_strings(data, ()):
        match = _XML_FORBIDDEN.search(value)
        if match:
            found.append(_forbidden_problem(match.group(), filename, lines.find(path), path))
    return found


def _forbidden_problem(char: str, filename: str, line: int | None, path: PathKey) -> Problem:
    return Problem(
        f"contains the control character U+{ord(char):04X}, which documents cannot hold",
        file=filename,
        line=line,
        path=format_path(path) or None,
    )


def _walk_strings(data: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield (*path, key), key
            yield from _walk_strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk_strings(value, (*path, index))


def _mask_raw_forbidden(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Find raw forbidden characters (line, char) and blank them so the rest can be parsed.

    ruamel's reader refuses them with only a character offset; a line and field are kinder.
    """
    if not _XML_FORBIDDEN.search(text):
        return text, []
    found = [(text.count("\n", 0, m.start()) + 1, m.group()) for m in _XML_FORBIDDEN.finditer(text)]
    return _XML_FORBIDDEN.sub(" ", text), found


def _deepest_on(lines: LineMap, line: int) -> PathKey:
    """The most specific field path written on ``line`` (or the root)."""
    on_line = [path for path, at in lines.items() if at == line]
    return max(on_line, key=len, default=())


def _compose(text: str, filename: str) -> Any:
    """Compose the node graph with docflow's resolver; syntax errors become SpecError.

    libyaml (PyYAML's C parser) composes ordinary documents about twenty times faster than
    ruamel's pure-Python parser, and every command reads project.yaml and a workflow. Any
    text libyaml refuses, or whose line breaks YAML 1.1 and 1.2 count differently, goes to
    ruamel, whose YAML 1.2 reading and error messages are the reference.
    """
    if not _LINE_BREAKS_1_1.search(text):
        node = _compose_libyaml(text)
        if node is not _UNREADABLE:
            return node
    return _compose_ruamel(text, filename)


# Line breaks in YAML 1.1 only (NEL, LS, PS): libyaml would count lines differently.
_LINE_BREAKS_1_1 = re.compile("[\x85\u2028\u2029]")
_UNREADABLE = object()


def _compose_libyaml(text: str) -> Any:
    """The node graph composed by libyaml, or _UNREADABLE when it is missing or refuses."""
    try:
        from yaml import YAMLError
        from yaml._yaml import CParser
        from yaml.nodes import ScalarNode
        from yaml.resolver import BaseResolver
    except ImportError:
        return _UNREADABLE

    class _Loader(CParser, BaseResolver):
        # Leave untagged plain scalars for docflow's own rules (see the module docstring).
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0]:
                return _PLAIN
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except YAMLError:
        return _UNREADABLE
    finally:
        loader.dispose()


def _compose_ruamel(text: str, filename: str) -> Any:
    """Compose with ruamel.yaml (YAML 1.2); its errors name the line of the problem."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.tag import Tag

    plain = Tag(suffix=_PLAIN)

    class _PlainResolver(VersionedResolver):
        # Leave untagged plain scalars for docflow's own rules (see the module docstring).
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0]:
                return plain
            return super().resolve(kind, value, implicit)

    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _PlainResolver
    yaml.version = (1, 2)
    try:
        return yaml.compose(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = exc.problem or exc.context or "malformed YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        raise SpecError([Problem(f"invalid YAML: {message}", file=filename, line=line)]) from exc
    except YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "malformed YAML"
        position = getattr(exc, "position", None)  # ReaderError: an unprintable character
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        raise SpecError([Problem(f"invalid YAML: {first}", file=filename, line=line)]) from exc


def _check_size(root: Any, filename: str) -> None:
    """Refuse recursive aliases and documents whose alias expansion exceeds MAX_NODES."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Any) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise SpecError([_located(filename, node, "invalid YAML: an alias refers to itself")])
        active.add(key)
        total = 1
        if node.id == "mapping":
            children = [part for pair in node.value for part in pair]
        elif node.id == "sequence":
            children = list(node.value)
        else:
            children = []
        for child in children:
            total += size(child)
            if total > MAX_NODES:
                raise SpecError(
                    [
                        _located(
                            filename,
                            node,
                            f"invalid YAML: aliases expand to more than {MAX_NODES} nodes",
                        )
                    ]
                )
        active.discard(key)
        sizes[key] = total
        return total

    size(root)


def _located(filename: str, node: Any, message: str) -> Problem:
    return Problem(message, file=filename, line=node.start_mark.line + 1)


class _Builder:
    """Turns a composed node graph into plain data, filling the LineMap on the way."""

    def __init__(self, filename: str, lines: LineMap, problems: list[Problem]) -> None:
        self.filename = filename
        self.lines = lines
        self.problems = problems

    def build(self, node: Any, path: PathKey) -> Any:
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
        if tag == _PLAIN:
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


_EXPLICIT: dict[str, type | tuple[type, ...]] = {
    "tag:yaml.org,2002:null": type(None),
    "tag:yaml.org,2002:bool": bool,
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": (float, int),
}
