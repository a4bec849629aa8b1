"""Writing an effective change back into the PM's ``project.yaml``, and reading its requirements.

The PM owns ``project.yaml``: its comments, key order, quoting and indentation are theirs. So
the write-back edits the text surgically: only the lines of the edited, removed and added
requirement entries change, every other byte stays. The result is parsed again and must hold
exactly the expected requirements and the same other data; if the file's layout defeats the
surgical edit (flow-style lists, say), a ruamel round-trip dump is used instead, checked the
same way. The file is replaced atomically.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from docflow.changes.rules import apply_change, outstanding_change
from docflow.errors import Conflict, EnvironmentProblem, Problem, SpecError
from docflow.spec.change import ChangeRequestSpec
from docflow.spec.loader import validation_problems
from docflow.spec.project import Requirement
from docflow.spec.yamlio import decode_utf8, load_yaml_text

__all__ = ["apply_change_to_project_yaml", "requirements_in_yaml"]

_KEY = "requirements"
_BOM = "\ufeff"
_COMMENT_AFTER_PLAIN = re.compile(r"\s#")


class _Requirements(BaseModel):
    """Just the requirements of a project.yaml, so that errors carry project.yaml's paths."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    requirements: list[Requirement] | None = None


def requirements_in_yaml(path: Path) -> list[Requirement]:
    """The requirements written in ``path`` (a project.yaml); [] when it has none."""
    return _requirements(_read(path)[1], str(path))[0]


def apply_change_to_project_yaml(path: Path, spec: ChangeRequestSpec) -> None:
    """Write the effective change ``spec`` into the ``requirements`` of ``path``.

    Edited fields are rewritten in place, removed entries deleted, added entries appended
    in the style of the existing ones. What the file holds already is left alone (an entry
    already added, a field already set, an entry already gone), so writing the same change
    twice changes nothing the second time. Raises SpecError when an edited requirement is
    missing from the file, Conflict when the file changes while it is being written; the
    file is then left untouched.
    """
    path = path.resolve()
    file = str(path)
    raw, text = _read(path)
    before, data = _requirements(text, file)
    todo = outstanding_change(spec, before)
    if todo is None:
        return
    after = apply_change(before, todo)
    new_text = _splice(text, data, todo, after)
    if new_text is None or not _faithful(new_text, data, after, file):
        new_text = _round_trip(text, data, after)
        if not _faithful(new_text, data, after, file):
            message = "the change cannot be written into this layout of requirements"
            raise SpecError([Problem(message, file, path=_KEY)])
    bom = _BOM if raw.startswith(_BOM.encode()) else ""
    _atomic_write(path, (bom + new_text).encode("utf-8"), raw)


def _read(path: Path) -> tuple[bytes, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([Problem(f"cannot read {path}: {exc.strerror}", str(path))]) from exc
    return raw, decode_utf8(raw, str(path))


def _requirements(text: str, file: str) -> tuple[list[Requirement], dict[str, Any]]:
    """The requirements of project.yaml text, read as ``docflow.spec.loader`` reads them."""
    data, lines = load_yaml_text(text, file)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SpecError([Problem("project.yaml must be a YAML mapping", file, 1)])
    try:
        held = _Requirements.model_validate(data).requirements
    except ValidationError as exc:
        raise SpecError(validation_problems(exc, _Requirements, lines, file)) from exc
    return list(held or []), data


def _faithful(text: str, original: dict[str, Any], after: list[Requirement], file: str) -> bool:
    """True when ``text`` holds exactly ``after`` and the rest of ``original`` unchanged."""
    try:
        held, data = _requirements(text, file)
    except SpecError:
        return False
    if held != after:
        return False
    rest = {k: v for k, v in data.items() if k != _KEY}
    return rest == {k: v for k, v in original.items() if k != _KEY}


def _ruamel_tree(text: str) -> Any:
    """The round-trip tree: it knows where each node is written and how it is quoted."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    return yaml.load(text)


def _splice(
    text: str, data: dict[str, Any], spec: ChangeRequestSpec, after: list[Requirement]
) -> str | None:
    """Edit only the affected entries' lines; None when the layout needs a full dump."""
    root: Any = _ruamel_tree(text)
    if not isinstance(root, Mapping):
        return None
    ids: list[Any] = [
        item.get("id") if isinstance(item, dict) else None for item in data.get(_KEY) or []
    ]
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    final_newline = not lines or lines[-1].endswith(("\n", "\r"))
    if not final_newline:
        lines[-1] += newline
    seq: Any = root.get(_KEY)
    if seq is not None and (not _is_block(seq, list) and seq):
        return None
    by_id = {r.id: r for r in after}
    # (start, rank, end, new lines), applied bottom-up. At one position higher ranks go first
    # and so end up below (header, an entry's new fields, added entries); a removal goes
    # before an insertion there, so that it deletes only the removed entry's lines
    ops: list[tuple[int, int, int, list[str]]] = []
    if seq:
        first_line, key_col = seq.lc.item(0)
        dash = lines[first_line][:key_col].rstrip()
        if not dash.endswith("-"):
            return None
        dash_col = len(dash) - 1
        ends = _item_ends(lines, root, seq, key_col)
        edits = {e.id: tuple(e.changes()) for e in spec.modifies}
        item: Any
        for i, item in enumerate(seq):
            if not _is_block(item, Mapping):
                if ids[i] in edits or ids[i] in spec.removes:
                    return None
                continue
            start = seq.lc.item(i)[0]
            if ids[i] in spec.removes:
                ops.append((start, 0, ends[i], []))
            elif ids[i] in edits:
                ops += _edit_ops(lines, item, edits[ids[i]], by_id[ids[i]], ends[i], newline)
        insert_at = ends[-1]
        template = [str(k) for k in seq[-1]] if isinstance(seq[-1], Mapping) else []
    else:
        insert_at, key_col, dash_col = _empty_list_anchor(text, lines, root, ops, newline)
        template = []
    added = [
        line
        for r in spec.adds
        for line in _render_item(by_id[r.id], template, dash_col, key_col, newline)
    ]
    if added:
        ops.append((insert_at, 1, insert_at, added))
    for start, _, end, new in sorted(ops, key=lambda op: op[:3], reverse=True):
        lines[start:end] = new
    result = "".join(lines)
    return result if final_newline else result.removesuffix(newline)


def _empty_list_anchor(
    text: str, lines: list[str], root: Any, ops: list[tuple[int, int, int, list[str]]], nl: str
) -> tuple[int, int, int]:
    """Where the first entries of an absent or empty list go; clears an inline ``[]``."""
    from ruamel.yaml.util import load_yaml_guess_indent

    _, _, offset = load_yaml_guess_indent(text)
    dash_col = offset if offset is not None else 2
    if _KEY not in root:
        ops.append((len(lines), -1, len(lines), [f"{_KEY}:{nl}"]))
        return len(lines), dash_col + 2, dash_col
    key_line, key_col = root.lc.key(_KEY)
    line = lines[key_line]
    value_col = root.lc.value(_KEY)[1]
    if line[value_col : value_col + 2] == "[]":
        ops.append((key_line, 0, key_line + 1, [line[:value_col].rstrip() + line[value_col + 2 :]]))
    return key_line + 1, key_col + dash_col + 2, key_col + dash_col


def _is_block(node: Any, kind: type) -> bool:
    """True when ``node`` is a ``kind`` (list or mapping) written in block style."""
    if not isinstance(node, kind):
        return False
    style: Any = node
    return not style.fa.flow_style()


def _item_ends(lines: list[str], root: Any, seq: Any, key_col: int) -> list[int]:
    """The line after each entry's own content (trailing blank and outer comment lines excluded)."""
    keys = list(root)
    following = keys[keys.index(_KEY) + 1 :]
    last = root.lc.key(following[0])[0] if following else len(lines)
    starts = [seq.lc.item(i)[0] for i in range(len(seq))] + [last]
    return [_trim(lines, starts[i], starts[i + 1], key_col) for i in range(len(seq))]


def _trim(lines: list[str], start: int, end: int, col: int) -> int:
    """``end`` moved up past blank lines and comment lines indented at most ``col``."""
    while end > start + 1:
        stripped = lines[end - 1].strip()
        indent = len(lines[end - 1]) - len(lines[end - 1].lstrip())
        if stripped and not (stripped.startswith("#") and indent <= col):
            break
        end -= 1
    return end


def _edit_ops(
    lines: list[str], item: Any, fields: tuple[str, ...], new: Requirement, end: int, nl: str
) -> list[tuple[int, int, int, list[str]]]:
    """Operations rewriting ``fields`` of one block-mapping entry to the values in ``new``."""
    ops = []
    keys = list(item)
    key_col = item.lc.key(keys[0])[1]
    appended: list[str] = []
    for field in fields:
        value = getattr(new, field)
        if field not in item:
            appended += _indent(_render_pair(field, value, None), key_col, nl)
            continue
        key_line, col = item.lc.key(field)
        nxt = keys.index(field) + 1
        stop = item.lc.key(keys[nxt])[0] if nxt < len(keys) else end
        stop = _trim(lines, key_line, stop, key_col)
        rendered = _render_pair(field, value, item[field])
        line = lines[key_line]
        value_line, value_col = item.lc.value(field)
        if stop == key_line + 1 and value_line == key_line and len(rendered) == 1:
            tail = line[_value_end(line, value_col) :]
            new_line = line[:value_col] + rendered[0][len(field) + 2 :] + tail
            ops.append((key_line, 0, key_line + 1, [new_line]))
        else:
            block = _indent(rendered, col, nl)
            block[0] = line[:col] + block[0].lstrip(" ")
            ops.append((key_line, 0, stop, block))
    if appended:
        ops.append((end, 0, end, appended))
    return ops


def _value_end(line: str, col: int) -> int:
    """Where a one-line scalar starting at ``col`` ends, before spaces and any comment."""
    body = line.rstrip("\r\n")
    quote = body[col : col + 1]
    end = len(body)
    if quote in ("'", '"'):
        i = col + 1
        while i < len(body):
            if quote == '"' and body[i] == "\\":
                i += 2
                continue
            if body[i] == quote:
                if quote == "'" and body[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                break
            i += 1
        match = _COMMENT_AFTER_PLAIN.search(body, i)
    else:
        match = _COMMENT_AFTER_PLAIN.search(body, col)
    if match:
        end = match.start()
    return len(body[:end].rstrip())


def _render_item(
    req: Requirement, template: list[str], dash_col: int, key_col: int, nl: str
) -> list[str]:
    """A new block entry with the last entry's keys in its order, other set fields in between."""
    defaults = Requirement(id="-", title="-")
    model = list(Requirement.model_fields)
    keys = [k for k in template if k in model]
    for key in model:
        if key in keys or (
            key not in ("id", "title", "type", "priority")
            and getattr(req, key) == getattr(defaults, key)
        ):
            continue
        # after the last key that the model puts before this one
        earlier = [i for i, k in enumerate(keys) if model.index(k) < model.index(key)]
        keys.insert(earlier[-1] + 1 if earlier else 0, key)
    out: list[str] = []
    for n, key in enumerate(keys):
        block = _indent(_render_pair(key, getattr(req, key), None), key_col, nl)
        if n == 0:
            block[0] = " " * dash_col + "-" + block[0][dash_col + 1 :]
        out += block
    return out


def _render_pair(key: str, value: Any, like: Any) -> list[str]:
    """``key: value`` as YAML lines at column 0, quoted like the value it replaces."""
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    if isinstance(value, str) and "\n" in value:
        value = LiteralScalarString(value)
    elif isinstance(value, str) and isinstance(
        like, DoubleQuotedScalarString | SingleQuotedScalarString
    ):
        value = type(like)(value)
    yaml = YAML(typ="rt")
    yaml.width = 4096  # never fold a PM's long sentence onto several lines
    yaml.allow_unicode = True
    buf = io.StringIO()
    yaml.dump({key: value}, buf)
    return buf.getvalue().splitlines()


def _indent(rendered: list[str], col: int, nl: str) -> list[str]:
    return [(" " * col + line if line else line) + nl for line in rendered]


def _round_trip(text: str, data: dict[str, Any], after: list[Requirement]) -> str:
    """The whole file dumped by ruamel with ``requirements`` replaced: the fallback."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.util import load_yaml_guess_indent

    _, indent, offset = load_yaml_guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.allow_unicode = True
    sequence, offset = (indent, offset) if indent and offset is not None else (4, 2)
    yaml.indent(mapping=max(sequence - offset, 2), sequence=sequence, offset=offset)
    root = yaml.load(text)
    if root is None:
        root = CommentedMap()
    defaults = Requirement(id="-", title="-").model_dump(mode="json")
    ids = [item.get("id") if isinstance(item, dict) else None for item in data.get(_KEY) or []]
    old = {rid: item for rid, item in zip(ids, root.get(_KEY) or [], strict=False)}
    items = []
    for req in after:
        item = old.get(req.id)
        if item is None:
            item = CommentedMap(id=req.id, title=req.title)
        for key, value in req.model_dump(mode="json").items():
            if item.get(key, defaults[key]) != value:
                item[key] = value
        items.append(item)
    root[_KEY] = items
    buf = io.StringIO()
    yaml.dump(root, buf)
    return buf.getvalue()


def _atomic_write(path: Path, data: bytes, was: bytes) -> None:
    """Replace ``path`` (still holding ``was``) by ``data``: a synced temp file, os.replace."""
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        # the PM may have saved the file meanwhile: never overwrite their edit
        if path.read_bytes() != was:
            raise Conflict(f"{path} changed while the change was being written; run again")
        os.replace(tmp, path)
        tmp = None
        with contextlib.suppress(OSError):  # make the rename itself durable where possible
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
