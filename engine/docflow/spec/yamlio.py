"""YAML text -> plain Python data plus a map of where each field was written.

docflow reads YAML 1.2 with its own scalar rules, chosen for people who type codes and times:
a plain scalar becomes null, a bool (``true``/``false`` only), a canonical int (no leading
zero), a float, a date (``YYYY-MM-DD``) or else a string. So ``0123`` stays the code
``"0123"``, ``12:30`` stays a time string and ``yes``/``no`` stay words. Duplicate keys,
recursive or over-expanding aliases ("billion laughs") and characters XML cannot hold are
problems named by file and line; :mod:`docflow.spec.yamlshape` holds the bounds on size,
nesting and alias expansion. The YAML libraries (PyYAML's libyaml binding, ruamel.yaml) are
imported inside the functions: this module sits on the command line's start-up path.
"""

from __future__ import annotations

import contextlib
import gc
import io
import re
from collections.abc import Iterator
from typing import Any

from docflow.errors import MAX_LISTED, Problem, SpecError
from docflow.spec.yamlshape import check_event_depth, check_shape, depth_problem
from docflow.spec.yamltree import (
    PLAIN,
    XML_FORBIDDEN,
    Builder,
    LineMap,
    PathKey,
    forbidden_problem,
    format_path,
)

__all__ = [
    "LineMap",
    "PathKey",
    "decode_utf8",
    "format_path",
    "load_yaml_text",
    "parse_yaml",
]

_FORBIDDEN_LINE = re.compile("^[^\n]*?" + XML_FORBIDDEN.pattern, re.MULTILINE)


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
    text, raw, unlisted = _mask_raw_forbidden(text)
    lines = LineMap()
    with _collector_paused():
        node = _compose(text, filename)
        if node is None:
            problems.extend(forbidden_problem(c, filename, n, (), k) for n, c, k in raw)
            return None, lines, _with_unlisted(problems, unlisted, filename)
        check_shape(node, filename)
        builder = Builder(filename, lines, problems)
        data = builder.build(node, ())
    for line, char, count in raw:
        path = _deepest_on(lines, line)
        problems.append(forbidden_problem(char, filename, line, path, count))
    return data, lines, _with_unlisted(problems, unlisted, filename)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document is composed and built.

    Composing allocates one object per node and none of them is garbage yet; with the
    collector running, the work grew faster than the file (a 20,000-requirement project
    took four times as long). Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _with_unlisted(problems: list[Problem], unlisted: int, filename: str) -> list[Problem]:
    """``problems`` plus one line saying how many more were found but not listed."""
    if unlisted:
        problems.append(
            Problem(
                f"and {unlisted:,} more line(s) with control characters documents cannot hold",
                file=filename,
            )
        )
    return problems


def _mask_raw_forbidden(text: str) -> tuple[str, list[tuple[int, str, int]], int]:
    """Blank raw forbidden characters so the rest can be parsed, and say where they were.

    Returns the masked text, (line, first character, how many) for each of the first
    MAX_LISTED lines holding any, and how many more lines do. ruamel's reader refuses them
    with only a character offset; a line and field are kinder. A file of garbage costs time
    linear in its size and gives at most MAX_LISTED + 1 problems.
    """
    first = XML_FORBIDDEN.search(text)
    if first is None:
        return text, [], 0
    found: list[tuple[int, str, int]] = []
    line = text.count("\n", 0, first.start()) + 1
    match: re.Match[str] | None = first
    while match is not None and len(found) < MAX_LISTED:
        end = text.find("\n", match.start())
        end = len(text) if end < 0 else end
        found.append((line, match.group(), len(XML_FORBIDDEN.findall(text, match.start(), end))))
        match = XML_FORBIDDEN.search(text, end)
        if match is not None:
            line += text.count("\n", end, match.start())
    unlisted = 0
    if match is not None:
        unlisted = len(_FORBIDDEN_LINE.findall(text, text.rfind("\n", 0, match.start()) + 1))
    return XML_FORBIDDEN.sub(" ", text), found, unlisted


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
        node = _compose_libyaml(text, filename)
        if node is not _UNREADABLE:
            return node
    return _compose_ruamel(text, filename)


# Line breaks in YAML 1.1 only (NEL, LS, PS): libyaml would count lines differently.
_LINE_BREAKS_1_1 = re.compile("[\x85\u2028\u2029]")
_UNREADABLE = object()


def _compose_libyaml(text: str, filename: str) -> Any:
    """The node graph composed by libyaml, or _UNREADABLE when it is missing or refuses.

    libyaml refuses nesting over 1,000 levels; such a text is refused here, at the line of
    its 65th level read from libyaml's event stream, or of libyaml's own refusal when its
    scanner, reading a line of brackets ahead, refuses first (ruamel's scanner would take
    seconds over such a line).
    """
    try:
        from yaml import YAMLError
        from yaml._yaml import CParser
        from yaml.nodes import ScalarNode
        from yaml.resolver import BaseResolver
    except ImportError:
        return _UNREADABLE

    class _Loader(CParser, BaseResolver):  # type: ignore[misc,unused-ignore]
        # Leave untagged plain scalars for docflow's own rules (see the module docstring).
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0]:
                return PLAIN
            return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call,unused-ignore]

    def events(parser: Any) -> Iterator[Any]:
        while parser.check_event():
            yield parser.get_event()

    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except YAMLError as exc:
        if "nesting depth" in str(exc):
            with contextlib.suppress(YAMLError):  # the scanner reads a flow line ahead
                check_event_depth(events(_Loader(text)), filename)
            mark = getattr(exc, "problem_mark", None)
            raise SpecError([depth_problem(filename, mark.line + 1 if mark else None)]) from exc
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

    plain = Tag(suffix=PLAIN)

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
        # ruamel composes recursively: measure the nesting on the (iterative) event stream
        # first, so that a deep document is refused before it can exhaust the stack.
        check_event_depth(yaml.parse(io.StringIO(text)), filename)
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
