"""The last answer of ``docflow status`` and ``docflow log``, kept while nothing it depends on
changes.

Both commands spend most of their time before they read anything: defining the pydantic
models of the workflow, the project data and the guards, and checking the two YAML files
with them (bench/RESULTS.md: about 60 % of `docflow status`). When nothing they depend on has
changed since they last ran, the answer is the same, so the JSON answer is kept in the
user's cache folder (``$XDG_CACHE_HOME/docflow/answers/``, one file per workspace; never in
the workspace, which a read-only command leaves as it was) under a digest of everything it
depends on, and printed again without loading the models. The digest covers:

- docflow's version and its modules' files (path, size, time), those of pydantic, PyYAML and
  ruamel.yaml, Python's version, the working folder;
- today's date (``DOCFLOW_TODAY`` included: how long a signature has been awaited, deadlines)
  and every ``DOCFLOW_*`` environment variable;
- the bytes of ``project.yaml``, of ``.docflow/store.json`` and of the workflow file the
  project runs;
- every file of the workspace but the store's database (path, size, modification time):
  documents, records, a workspace letterhead or template; every file in the template
  folders; the letterhead files outside the workspace (``$DOCFLOW_LETTERHEAD``, the user's
  config folder);
- the store's schema revision and every row the answer is made from: the project row, its
  events (the chain behind the rows, which the full answer checks the rows against), and for
  status its documents, signatures and change requests.

Nothing is kept for a store named by URL (PostgreSQL, or another SQLite file), for a workflow
with a guard that is not built in (a plugin guard may read anything), nor for one that
``extends`` another (its base may live anywhere). Any failure
to read or write the memo just means the answer is worked out in full. The memo is plain
JSON (no code is ever loaded from it) in a folder private to the user (one that others can
write to is never used): whoever can write it can already run code as that user.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow import __version__

if TYPE_CHECKING:
    from docflow.runtime.workspace import Workspace
    from docflow.spec.workflow import WorkflowSpec
    from docflow.store.base import Store

__all__ = ["Facts", "memo_file", "recall", "remember"]

_KEEP = 8  # answers kept: a few working folders and both commands


@dataclass(frozen=True)
class Facts:
    """What the full answer learnt that the next recall needs: the project's code and the
    workflow it runs."""

    code: str
    workflow: WorkflowSpec


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _listing(folders: Sequence[Path], suffix: str = "") -> str:
    """Every file (ending with ``suffix``) below ``folders``: path, size, modification time."""
    listing = []
    for folder in folders:
        for base, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(suffix):
                    stat = os.stat(os.path.join(base, name))
                    listing.append(f"{base}/{name}\x00{stat.st_size}\x00{stat.st_mtime_ns}")
        listing.append(f"{folder}\x01")
    return "\n".join(listing)


def _templates(root: Path) -> str:
    from docflow.runtime.workspace import template_dirs

    return _listing(template_dirs(root))


# The libraries that decide whether project.yaml and the workflow read and validate.
_LIBRARIES = ("pydantic", "pydantic_core", "yaml", "ruamel.yaml")


def _code() -> str:
    """docflow's own modules and the files of the libraries that parse and validate: an
    edited checkout (an editable install keeps its version number) or an upgraded library
    must not print an answer the older code worked out."""
    import importlib.util

    parts = [_listing([Path(__file__).resolve().parents[1]], ".py")]
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)  # finds, does not import
        origin = spec.origin if spec is not None else None
        if origin is not None:
            stat = os.stat(origin)
            parts.append(f"{origin}\x00{stat.st_size}\x00{stat.st_mtime_ns}")
    return "\n".join(parts)


def _workspace(root: Path) -> str:
    """Every file of the workspace but the store's database files (their rows are keyed)."""
    listing = []
    for base, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if base == str(root / ".docflow") and name.startswith("docflow.db"):
                continue
            stat = os.stat(os.path.join(base, name))
            listing.append(f"{base}/{name}\x00{stat.st_size}\x00{stat.st_mtime_ns}")
    return "\n".join(listing)


def _outside(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return f"{path}\x00-"
    return f"{path}\x00{stat.st_size}\x00{stat.st_mtime_ns}"


def _inputs(root: Path) -> str:
    """The digest of what the answer depends on outside the store and the workflow file."""
    from docflow.runtime.clock import today

    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    letterheads = [Path(config) / "docflow" / "letterhead.yaml"]
    if os.environ.get("DOCFLOW_LETTERHEAD"):
        letterheads.append(Path(os.environ["DOCFLOW_LETTERHEAD"]))
    binding = root / ".docflow" / "store.json"
    return _digest(
        __version__,
        _code(),
        sys.version,
        os.getcwd(),
        today().isoformat(),
        "\n".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("DOCFLOW_")),
        str(root),
        (root / "project.yaml").read_bytes(),
        binding.read_bytes() if binding.is_file() else b"",
        _workspace(root),
        _templates(root),
        "\n".join(_outside(path) for path in letterheads),
    )


def _rows(kind: str, store: Store, code: str) -> str:
    project = store.get_project(code)
    if project is None:
        raise LookupError(code)
    rows: list[Any] = [asdict(project)]
    rows += [asdict(e) for e in store.events(code)]
    if kind != "log":
        rows += [asdict(d) for d in store.documents(code)]
        rows += [asdict(s) for s in store.signatures(code)]
        rows += [asdict(c) for c in store.changes(code)]
    return json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False)


def _answer_key(kind: str, inputs: str, workflow_file: str, store: Store, code: str) -> str:
    return _digest(kind, inputs, Path(workflow_file).read_bytes(), _rows(kind, store, code))


def _open(root: Path) -> Store:
    from docflow.store import open_store

    store = open_store(None, root)
    store.ensure_schema()
    return store


def memo_file(root: Path) -> Path | None:
    """The file that keeps the answers for the workspace at ``root`` (None: no usable
    cache folder)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "docflow", "answers")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None
    name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return Path(folder) / f"{name[:32]}.json"


def _load(root: Path) -> dict[str, Any]:
    path = memo_file(root)
    if path is None:
        raise OSError("no cache folder")
    data = json.loads(path.read_text("utf-8"))
    if not isinstance(data, dict) or data.get("docflow") != __version__:
        return {"docflow": __version__, "inputs": {}, "answers": {}}
    return data


def recall(kind: str, workspace: Workspace, store_url: str | None) -> Any | None:
    """The answer ``kind`` ("status" or "log") gave when everything it depends on was as it
    is now, or None (then the caller works it out and calls :func:`remember`)."""
    if store_url is not None:
        return None
    root = workspace.root
    try:
        memo = _load(root)
        inputs = _inputs(root)
        known = memo["inputs"].get(inputs)
        if known is None:
            return None
        store = _open(root)
        try:
            key = _answer_key(kind, inputs, known["workflow_file"], store, known["code"])
        finally:
            store.close()
        return memo["answers"].get(key)
    except Exception:  # any doubt: work the answer out in full
        return None


def _builtin_guards_only(spec: WorkflowSpec) -> bool:
    from docflow.guards.builtin import BUILTIN

    names = {cls.name for cls in BUILTIN}
    return all(g.type in names for t in spec.transitions for g in t.guards)


def remember(
    kind: str,
    workspace: Workspace,
    store_url: str | None,
    facts: Facts,
    answer: Any,
    write: Callable[[Path, bytes], None] | None = None,
) -> None:
    """Keep ``answer`` for the next :func:`recall` of ``kind`` (never fails the command)."""
    if store_url is not None or not _builtin_guards_only(facts.workflow):
        return
    from docflow.runtime.workspace import atomic_write
    from docflow.spec.loader import find_workflow

    root = workspace.root
    try:
        store = _open(root)
        try:
            project = store.get_project(facts.code)
            if project is None or Path(project.workspace).resolve() != root.resolve():
                return
            workflow_file = str(find_workflow(project.workflow).resolve())
            if re.search(rb"^extends[ \t]*:", Path(workflow_file).read_bytes(), re.M):
                return
            inputs = _inputs(root)
            key = _answer_key(kind, inputs, workflow_file, store, facts.code)
        finally:
            store.close()
        try:
            memo = _load(root)
        except (OSError, ValueError):
            memo = {"docflow": __version__, "inputs": {}, "answers": {}}
        known = {"code": facts.code, "workflow_file": workflow_file}
        memo["inputs"] = _newest(memo["inputs"], inputs, known)
        # As `--json` prints it: what str() stands for there is the same string here.
        answer = json.loads(json.dumps(answer, ensure_ascii=False, default=str))
        memo["answers"] = _newest(memo["answers"], key, answer)
        data = json.dumps(memo, ensure_ascii=False).encode("utf-8")  # keys in answer order
        path = memo_file(root)
        if path is not None:
            (write or atomic_write)(path, data)
    except Exception:  # the memo only saves time; the answer stands without it
        return


def _newest(entries: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    kept: Sequence[tuple[str, Any]] = [(k, v) for k, v in entries.items() if k != key]
    return dict([*list(kept)[-(_KEEP - 1) :], (key, value)])
