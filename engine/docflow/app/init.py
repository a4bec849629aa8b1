"""Creating a workspace: project.yaml (an example or a commented skeleton), registered in the
store in the workflow's initial state."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docflow.errors import Conflict, InvalidInput
from docflow.resources import data_path
from docflow.runtime.result import Result
from docflow.runtime.session import default_actor, load_spec
from docflow.runtime.workspace import PROJECT_FILE, Workspace, atomic_write

__all__ = ["InitResult", "derive_code", "init_workspace", "starter_text"]


@dataclass(frozen=True)
class InitResult(Result):
    """The workspace created and the project registered for it."""

    workspace: str
    project: str
    workflow: str
    state: str
    locale: str
    store: str
    example: bool
    name: str = ""


def derive_code(folder: Path) -> str:
    """A project code from a folder name, in upper case (letters, digits, . _ -):
    ``warehouse-2027`` gives ``WAREHOUSE-2027``."""
    code = re.sub(r"[^A-Za-z0-9._-]+", "-", folder.resolve().name).strip("-._")
    return (code or "PROJECT")[:64].upper()


def _yaml_text(value: str) -> str:
    """``value`` as a double-quoted YAML scalar."""
    import json

    return json.dumps(value, ensure_ascii=False)


def starter_text(
    workflow: str, locale: str, example: bool, code: str | None, name: str | None = None
) -> str:
    """The project.yaml text ``init`` writes (the skeleton's code and name filled in)."""
    examples = data_path("workflows") / "examples"
    stem = Path(workflow).stem
    filename = f"{stem}.{locale}.yaml" if example else f"skeleton.{locale}.yaml"
    path = examples / filename
    if not path.is_file():
        what = "example project" if example else "skeleton"
        raise InvalidInput(f"no {what} for workflow {stem!r} in locale {locale} ({path})")
    text = path.read_text("utf-8")
    schema = data_path("schemas") / "project.schema.json"
    text = re.sub(
        r"^# yaml-language-server: \$schema=\S+",
        f"# yaml-language-server: $schema={schema.as_uri()}",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    if not example or code:
        # The skeleton's code is empty: fill it so the project can be registered.
        text = re.sub(
            r'^(  code:\s*)(""|\S+)',
            lambda m: f'{m.group(1)}"{code}"',
            text,
            count=1,
            flags=re.MULTILINE,
        )
    if name:
        text = re.sub(
            r'^(  name:\s*)(""|"[^"\n]*"|[^#\n]*?)(\s*#.*)?$',
            lambda m: f"{m.group(1)}{_yaml_text(name)}{m.group(3) or ''}",
            text,
            count=1,
            flags=re.MULTILINE,
        )
    text = re.sub(
        r"^workflow:[ \t]*[^\s#]+", f"workflow: {workflow}", text, count=1, flags=re.MULTILINE
    )
    return text


def _example_records(folder: Path, locale: str) -> None:
    """The example's meeting minutes and survey answers, in records/, ready to record."""
    source = data_path("workflows") / "examples" / "records" / locale
    if not source.is_dir():
        return
    target = folder / "records"
    target.mkdir(exist_ok=True)
    schemas = data_path("schemas")
    for path in sorted(source.glob("*.yaml")):
        text = re.sub(
            r"^# yaml-language-server: \$schema=(?:\.\./)+schemas/(\S+)",
            lambda m: f"# yaml-language-server: $schema={(schemas / m.group(1)).as_uri()}",
            path.read_text("utf-8"),
            count=1,
            flags=re.MULTILINE,
        )
        atomic_write(target / path.name, text.encode("utf-8"))


def init_workspace(
    folder: Path,
    *,
    workflow: str = "implementation",
    locale: str = "zh-CN",
    example: bool = False,
    code: str | None = None,
    store_url: str | None = None,
    actor: str | None = None,
    name: str | None = None,
) -> InitResult:
    """Create the workspace and register the project; nothing is left behind on failure.

    The skeleton's project code is ``code``, else the folder's name in upper case; its name
    is ``name``, else the folder's name, so that the register never lists a blank project.
    """
    from docflow.spec.loader import parse_project
    from docflow.store import open_store
    from docflow.store.binding import public_url, write_binding

    if locale not in ("zh-CN", "en"):
        raise InvalidInput(f"unknown locale {locale!r} (zh-CN or en)")
    folder = folder.resolve()
    target = folder / PROJECT_FILE
    if target.exists():
        raise Conflict(f"{target} already exists; this folder is a workspace already")
    ws = Workspace(folder)
    if Path(workflow).suffix in (".yaml", ".yml") and Path(workflow).is_file():
        workflow = str(Path(workflow).resolve())
    spec = load_spec(workflow, ws.template_dirs())
    if locale not in spec.locales:
        raise InvalidInput(
            f"workflow {spec.name} has no documents in {locale} (it has {', '.join(spec.locales)})"
        )
    if code is not None:
        from docflow.spec.names import doc_id

        code = code.strip().upper() if doc_id(code) else code
    if name is None and not example:
        name = folder.name
    text = starter_text(
        workflow, locale, example, code or (None if example else derive_code(folder)), name
    )
    data = parse_project(text, str(target))
    folder.mkdir(parents=True, exist_ok=True)
    store = open_store(store_url, folder)
    store.ensure_schema(create=True)
    row = store.create_project(
        code=data.project.code,
        name=data.project.name,
        workflow=workflow,
        locale=locale,
        state=spec.initial,
        workspace=str(folder),
        actor=actor or default_actor(data),
        data={"workflow": spec.name, "locale": locale, "example": example},
    )
    write_binding(folder, store.url, row.code)
    atomic_write(target, text.encode("utf-8"))
    (folder / "documents").mkdir(exist_ok=True)
    if example:
        _example_records(folder, locale)
    return InitResult(
        workspace=str(folder),
        project=row.code,
        workflow=spec.name,
        state=row.state,
        locale=locale,
        store=public_url(store.url),
        example=example,
        name=data.project.name,
    )
