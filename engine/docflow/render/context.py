"""The template side of rendering: sandboxed Jinja environment, template lookup, labels.

Template lookup follows ``request.template_dirs`` in order, then the built-in doc_templates.
The kind template is ``<locale>/<template>.html.j2``. Every failure of a template (syntax,
undefined variable, a file outside the template folders, a bound of
:mod:`docflow.render.sandbox` exceeded, recursion) becomes a :class:`TemplateError` naming
the template, the line and, when known, the variable: exit 4 wherever it happens.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import functools
import os
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docflow.errors import SpecError, TemplateError
from docflow.render.filters import FilterError, make_filters
from docflow.render.meta import RenderRequest
from docflow.resources import data_path

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = [
    "CONTEXT_KEYS",
    "build_environment",
    "kind_template_name",
    "load_labels",
    "render_template",
    "search_path",
]

CONTEXT_KEYS = ("p", "doc", "requirements", "change", "changes", "ratio", "documents", "labels")


def search_path(template_dirs: tuple[Path, ...]) -> tuple[Path, ...]:
    """The folders templates are looked up in: the given ones, then the built-in folder.

    A given folder may not be a symbolic link: templates are confined to their folders by
    real path, and a linked folder would make wherever it points a template folder.
    """
    builtin = data_path("doc_templates").resolve()
    for folder in template_dirs:
        if Path(folder).is_symlink() and Path(folder).resolve() != builtin:
            raise TemplateError(
                f"the template folder {folder} is a symbolic link (to "
                f"{Path(folder).resolve()}); name the real folder in DOCFLOW_TEMPLATES instead",
                str(folder),
            )
    dirs = [Path(d).resolve() for d in template_dirs]
    if builtin not in dirs:
        dirs.append(builtin)
    return tuple(dict.fromkeys(dirs))


def kind_template_name(template: str, locale: str) -> str:
    """The loader name of a document kind's template: ``zh-CN/survey_plan.html.j2``."""
    return f"{locale}/{template}.html.j2"


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@functools.lru_cache(maxsize=16)
def _parse_labels(text: str, where: str) -> Any:
    # Every render reads the labels; batch rendering would parse the same text each time.
    # project.yaml's reader and scalar rules (libyaml): ruamel's pure-Python parser cost a
    # rendering process about 35 ms, most of it importing ruamel for this one file.
    from docflow.spec.yamlio import load_yaml_text

    try:
        return load_yaml_text(text, where)[0]
    except SpecError as exc:
        raise TemplateError(f"labels file is not valid YAML: {exc.message}", where) from exc


def load_labels(dirs: tuple[Path, ...], locale: str) -> dict[str, Any]:
    """``<locale>/labels.yaml`` of every folder, earlier folders overriding later ones."""
    from docflow.render.fetcher import template_file
    from docflow.spec.yamlshape import read_limited

    labels: dict[str, Any] = {}
    for folder in reversed(dirs):
        path = folder / locale / "labels.yaml"
        if not path.is_file():
            continue
        try:
            text = read_limited(template_file(path, dirs), str(path)).decode("utf-8")
        except SpecError as exc:
            raise TemplateError(f"labels file {exc.problems[0].message}", str(path)) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"labels file cannot be read: {exc}", str(path)) from exc
        loaded = copy.deepcopy(_parse_labels(text, str(path)))
        if loaded is None:
            continue
        if not isinstance(loaded, dict):
            raise TemplateError("labels file must hold a mapping", str(path))
        labels = _merge(labels, loaded)
    return labels


def _finalize(value: Any) -> Any:
    # Optional facts are None in the context; a document shows them as blanks.
    return "" if value is None else value


def _cache_dir() -> str | None:
    """The user's cache folder for compiled templates, or None when it cannot be used.

    ``$XDG_CACHE_HOME/docflow/templates`` (default ``~/.cache``), private to the user: code
    is loaded from it, so a folder that others could write to is never used.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "docflow", "templates")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None
    return folder


@functools.cache
def _bytecode_cache() -> Any:
    """Compiled templates, kept for the process and in the user's cache folder.

    Every render builds a fresh environment (its globals are the context), so without this
    each document compiles base, macros and kind template again: most of a template's cost,
    and in a one-document command such as ``advance`` a tenth of its time. Jinja checks each
    entry against its template's source, so an edited template is compiled afresh; a cache
    folder that cannot be used leaves the process cache alone.
    """
    from jinja2 import FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    class _Cache(FileSystemBytecodeCache):
        def __init__(self, folder: str | None) -> None:
            # The name changes whenever the sandbox rewrites templates differently: code
            # compiled without its loop and concatenation counters must never be loaded.
            super().__init__(folder or ".", pattern="__docflow_bounded_1_%s.cache")
            self._folder = folder
            self._code: dict[str, bytes] = {}

        def load_bytecode(self, bucket: Bucket) -> None:
            code = self._code.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)
            elif self._folder is not None:
                super().load_bytecode(bucket)
                if bucket.code is not None:
                    self._code[bucket.key] = bucket.bytecode_to_string()

        def dump_bytecode(self, bucket: Bucket) -> None:
            self._code[bucket.key] = bucket.bytecode_to_string()
            if self._folder is not None:
                with contextlib.suppress(OSError):
                    super().dump_bytecode(bucket)

    return _Cache(_cache_dir())


def build_environment(
    dirs: tuple[Path, ...], locale: str, globals_: Mapping[str, Any] | None = None
) -> ImmutableSandboxedEnvironment:
    """A sandboxed, autoescaping, strict environment over ``dirs`` with the locale's filters.

    ``globals_`` (the render context) is visible to imported macros as well, so that
    ``{% import "_macros.html.j2" as m %}`` works without ``with context``. Templates are
    read only from inside ``dirs`` and their work is bounded (:mod:`docflow.render.sandbox`).
    """
    from jinja2 import StrictUndefined

    from docflow.render.confined import ConfinedLoader
    from docflow.render.sandbox import BoundedEnvironment, Limits

    env = BoundedEnvironment(
        Limits.from_environment(),
        loader=ConfinedLoader(dirs),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=False,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(make_filters(locale))
    if globals_:
        env.globals.update(globals_)
    return env


def _template_location(
    exc: BaseException, dirs: tuple[Path, ...], repeated: bool = False
) -> tuple[str | None, int | None]:
    """The innermost template frame of a rendering traceback (Jinja rewrites frames).

    With ``repeated``, the template line met most often instead: in a recursion that is
    the include or call that repeats, not wherever the stack happened to run out.
    """
    roots = [str(d) for d in dirs]
    frames: list[tuple[str | None, int | None]] = []
    for frame in traceback.extract_tb(exc.__traceback__):
        for root in roots:
            if frame.filename.startswith(root + "/"):
                frames.append((frame.filename[len(root) + 1 :], frame.lineno))
    if not frames:
        return None, None
    if repeated:
        return collections.Counter(frames).most_common(1)[0][0]
    return frames[-1]


def render_template(request: RenderRequest) -> str:
    """Render the request's kind template to HTML text (not yet checked against the subset)."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateRuntimeError

    meta = request.meta
    dirs = search_path(request.template_dirs)
    context: dict[str, Any] = {key: None for key in CONTEXT_KEYS}
    context.update(request.context)
    context["doc"] = meta.to_dict()
    if not context.get("labels"):
        context["labels"] = load_labels(dirs, meta.locale)
    for key in ("requirements", "changes", "documents"):
        if context[key] is None:
            context[key] = []
    if context["ratio"] is None:
        context["ratio"] = 0.0
    name = kind_template_name(meta.template, meta.locale)
    env = build_environment(dirs, meta.locale, context)
    try:
        return _generate(env, name, context)
    except TemplateError as exc:
        if exc.line is not None:
            raise
        # Refused by the sandbox's loader: say which template asked for the file, and where.
        where, line = _template_location(exc, dirs)
        if where is None:
            raise
        raise TemplateError(exc.reason, where, line) from exc
    except TemplateSyntaxError as exc:
        raise TemplateError(f"syntax error: {exc.message}", exc.name or name, exc.lineno) from exc
    except TemplateNotFound as exc:
        looked = ", ".join(str(d) for d in dirs)
        raise TemplateError(f"template {exc.name!r} not found in {looked}", name) from exc
    except UndefinedError as exc:
        where, line = _template_location(exc, dirs)
        raise TemplateError(f"undefined variable: {exc.message}", where or name, line) from exc
    except RecursionError as exc:
        where, line = _template_location(exc, dirs, repeated=True)
        message = (
            "templates nest too deeply: a template including itself, or a macro calling itself?"
        )
        raise TemplateError(message, where or name, line) from exc
    except MemoryError as exc:
        where, line = _template_location(exc, dirs)
        raise TemplateError("the template ran out of memory", where or name, line) from exc
    except (
        SecurityError,
        TemplateRuntimeError,
        FilterError,
        TypeError,
        ValueError,
        ArithmeticError,
        LookupError,
        AttributeError,
        SyntaxError,
    ) as exc:
        where, line = _template_location(exc, dirs)
        raise TemplateError(str(exc), where or name, line) from exc


def _generate(env: Any, name: str, context: dict[str, Any]) -> str:
    """The template's output, stopped as soon as it passes the sandbox's output bound."""
    chunks = []
    for chunk in env.get_template(name).generate(context):
        env.write(chunk)
        chunks.append(chunk)
    return "".join(chunks)
