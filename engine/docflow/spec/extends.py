"""``extends:``: a workflow built on another one, without copying it.

Merge rules (the extended workflow is the parent, the file that extends it the child):

- ``name`` is the child's own (required); ``title``, ``locales``, ``initial`` are the child's
  when it writes them, else the parent's.
- ``states``, ``documents``, ``items`` and ``data_schema`` are merged by key: a child entry
  with a parent's key replaces that entry whole.
- ``transitions``: the parent's, in order, each replaced in place by the child transition with
  the same ``trigger`` and ``source``; then the child's other transitions. A parent transition
  listed in the child's ``remove_transitions`` (``{trigger, source}``) is left out.
- ``change_control`` and ``signatures``: field by field, the child's fields win (a list such as
  ``allowed_in`` is replaced whole).

The merged definition is then checked like any other (reachable states, no dead ends, known
guards, templates in every locale). A problem names the file and line it comes from: the
child's when the child wrote that part, else the parent's. Chains of ``extends`` are followed
up to :data:`MAX_DEPTH`; a cycle is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from docflow.errors import Problem, SpecError
from docflow.spec.yamlio import LineMap, PathKey

__all__ = ["MAX_DEPTH", "MergedLines", "merge_extends"]

MAX_DEPTH = 8
_BY_KEY = ("states", "documents", "items", "data_schema")
_BY_FIELD = ("change_control", "signatures")

Locate = Callable[[PathKey], tuple[str, int | None]]


class MergedLines(LineMap):
    """The child's line map, plus where every other part of the merged definition came from."""

    def __init__(self, child: LineMap, file: str, locate: Locate) -> None:
        super().__init__(child)
        self.file = file
        self._locate = locate

    def locate(self, path: PathKey) -> tuple[str, int | None]:
        """The file and line a path of the merged definition was written at."""
        return self._locate(path)


def _plain(lines: LineMap, file: str) -> Locate:
    return lambda path: (file, lines.find(path))


def _problem(message: str, file: str, lines: LineMap, path: PathKey) -> SpecError:
    return SpecError([Problem(message, file=file, line=lines.find(path), path="extends")])


def _parent_file(name: str, folder: Path | None) -> Path:
    from docflow.spec.loader import find_workflow

    if folder is not None and name.endswith((".yaml", ".yml")):
        candidate = (folder / name).resolve()
        if candidate.is_file():
            return candidate
    return find_workflow(name).resolve()


def _load(path: Path) -> tuple[dict[str, Any], LineMap, str]:
    from docflow.spec.loader import load_yaml_text
    from docflow.spec.yamlio import decode_utf8

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([Problem(f"cannot be read ({exc.strerror})", file=str(path))]) from exc
    data, lines = load_yaml_text(decode_utf8(raw, path.name), path.name)
    if not isinstance(data, dict):
        raise SpecError([Problem("a workflow must be a YAML mapping", file=path.name, line=1)])
    return data, lines, path.name


def merge_extends(
    data: dict[str, Any],
    lines: LineMap,
    file: str,
    folder: Path | None,
    seen: tuple[Path, ...] = (),
) -> tuple[dict[str, Any], LineMap]:
    """``data`` with the workflow it extends merged in; a MergedLines locates every part."""
    name = data.get("extends")
    if name is None:
        return data, lines
    if not isinstance(name, str) or not name.strip():
        raise _problem(
            "extends must name a workflow (a built-in name or a file)", file, lines, ("extends",)
        )
    if len(seen) >= MAX_DEPTH:
        raise _problem(f"extends goes deeper than {MAX_DEPTH} workflows", file, lines, ("extends",))
    parent_path = _parent_file(name.strip(), folder)
    if parent_path in seen:
        raise _problem(f"extends {name!r} makes a cycle", file, lines, ("extends",))
    raw_parent, parent_lines, parent_file = _load(parent_path)
    parent, parent_lines = merge_extends(
        raw_parent, parent_lines, parent_file, parent_path.parent, (*seen, parent_path)
    )
    parent_locate = getattr(parent_lines, "locate", None) or _plain(parent_lines, parent_file)
    merged, origin = _merge(parent, data, file, lines)

    def locate(path: PathKey) -> tuple[str, int | None]:
        if path and path[0] == "transitions" and len(path) > 1 and isinstance(path[1], int):
            side, index = origin[path[1]] if path[1] < len(origin) else ("child", path[1])
            rest = (path[0], index, *path[2:])
            return (file, lines.find(rest)) if side == "child" else parent_locate(rest)
        if path and (path[:2] in lines or (len(path) == 1 and path in lines)):
            return file, lines.find(path)
        if path and path[0] in data and path[0] not in _BY_KEY + _BY_FIELD + ("transitions",):
            return file, lines.find(path)
        return parent_locate(path)

    return merged, MergedLines(lines, file, locate)


def _merge(
    parent: Mapping[str, Any], child: Mapping[str, Any], file: str, lines: LineMap
) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    """The merged mapping, and for each merged transition its (side, original index)."""
    out = {k: v for k, v in parent.items() if k not in ("extends", "remove_transitions", "name")}
    for key, value in child.items():
        if key in _BY_KEY + _BY_FIELD and isinstance(value, dict):
            base = parent.get(key)
            out[key] = {**(base if isinstance(base, dict) else {}), **value}
        elif key not in ("transitions", "remove_transitions"):
            out[key] = value
    removed = _removed(parent, child, file, lines)
    own = child.get("transitions") or []
    if not isinstance(own, list):
        own = []
    key_of = {
        (t.get("trigger"), t.get("source")): i for i, t in enumerate(own) if isinstance(t, dict)
    }
    transitions: list[Any] = []
    origin: list[tuple[str, int]] = []
    used: set[int] = set()
    for index, transition in enumerate(parent.get("transitions") or []):
        ref = (
            (transition.get("trigger"), transition.get("source"))
            if isinstance(transition, dict)
            else None
        )
        if ref in removed:
            continue
        if ref is not None and ref in key_of:
            used.add(key_of[ref])
            transitions.append(own[key_of[ref]])
            origin.append(("child", key_of[ref]))
        else:
            transitions.append(transition)
            origin.append(("parent", index))
    for index, transition in enumerate(own):
        if index not in used:
            transitions.append(transition)
            origin.append(("child", index))
    out["transitions"] = transitions
    return out, origin


def _removed(
    parent: Mapping[str, Any], child: Mapping[str, Any], file: str, lines: LineMap
) -> set[tuple[Any, Any]]:
    wanted = child.get("remove_transitions") or []
    have = {
        (t.get("trigger"), t.get("source"))
        for t in parent.get("transitions") or []
        if isinstance(t, dict)
    }
    removed = set()
    problems = []
    for i, ref in enumerate(wanted if isinstance(wanted, list) else []):
        key = (ref.get("trigger"), ref.get("source")) if isinstance(ref, dict) else None
        if key not in have:
            problems.append(
                Problem(
                    f"remove_transitions[{i}] names no transition of the extended workflow "
                    f"(trigger {key[0] if key else '?'} from {key[1] if key else '?'})",
                    file=file,
                    line=lines.find(("remove_transitions", i)),
                    path=f"remove_transitions[{i}]",
                )
            )
        removed.add(key)
    if problems:
        raise SpecError(problems)
    return removed  # type: ignore[return-value]
