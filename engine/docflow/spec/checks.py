"""Cross-reference checks of a WorkflowSpec: collect every problem, never stop at the first.

The model (:mod:`docflow.spec.workflow`) gives each field its shape; this module checks that
the parts fit together: states named by transitions exist and are reachable, no state is a
dead end, triggers are plain words, emitted documents exist and have a template in every
declared locale, per-item documents name an item kind, and guards are known with good
parameters. Guard types belong to the
guards layer, which spec may not import, so the caller passes ``guard_check``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from docflow.errors import Problem, SpecError
from docflow.spec.records import KEPT_ITEMS, record_problems
from docflow.spec.workflow import CHANGE_ITEMS, GuardSpec, WorkflowSpec
from docflow.spec.yamlio import LineMap, PathKey, format_path

__all__ = ["GuardCheck", "check_workflow", "validate_workflow_file"]

GuardCheck = Callable[[GuardSpec], list[str]]

# A trigger is typed on the command line and named in JSON and the log: one plain word.
_TRIGGER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _Collector:
    """Builds Problems located by the LineMap."""

    def __init__(self, file: str, lines: LineMap | None) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, path: PathKey, message: str) -> None:
        file, line = self.file, self.lines.find(path) if self.lines is not None else None
        locate = getattr(self.lines, "locate", None)
        if locate is not None:  # a definition that extends another: the file it came from
            file, line = locate(path)
        self.problems.append(Problem(message, file=file, line=line, path=format_path(path) or None))


def check_workflow(
    spec: WorkflowSpec,
    *,
    file: str,
    lines: LineMap | None,
    guard_check: GuardCheck | None,
    template_dirs: Sequence[Path],
) -> list[Problem]:
    """Every cross-reference problem of ``spec``, in definition order; empty when it is sound."""
    out = _Collector(file, lines)
    _check_states(spec, out)
    _check_transitions(spec, out, guard_check)
    _check_documents(spec, out, template_dirs)
    _check_items(spec, out)
    _check_change_control(spec, out)
    _check_titles(spec, out)
    _check_data_schema(spec, out)

    for path, message in record_problems(spec):
        out.add(path, message)
    return out.problems


def validate_workflow_file(
    path: Path, guard_check: GuardCheck | None, template_dirs: Sequence[Path]
) -> WorkflowSpec:
    """Load a workflow file and check it; raise one SpecError holding every problem."""
    from docflow.spec.loader import load_workflow_with_lines

    spec, lines, label = load_workflow_with_lines(str(path))
    problems = check_workflow(
        spec, file=label, lines=lines, guard_check=guard_check, template_dirs=template_dirs
    )
    if problems:
        raise SpecError(problems)
    return spec


def _check_states(spec: WorkflowSpec, out: _Collector) -> None:
    if spec.initial not in spec.states:
        out.add(("initial",), f"initial state '{spec.initial}' is not a declared state")
        reachable: set[str] = set(spec.states)  # unknown start: do not pile on
    else:
        reachable = _reachable(spec)
    for state_id, state in spec.states.items():
        path: PathKey = ("states", state_id)
        outgoing = spec.transitions_from(state_id)
        if state_id not in reachable:
            out.add(path, f"state '{state_id}' cannot be reached from '{spec.initial}'")
        if state.final and outgoing:
            triggers = ", ".join(t.trigger for t in outgoing)
            out.add(path, f"final state '{state_id}' has transitions out ({triggers})")
        if not state.final and not outgoing:
            out.add(path, f"state '{state_id}' has no transition out and is not marked final: true")


def _reachable(spec: WorkflowSpec) -> set[str]:
    seen = {spec.initial}
    todo = [spec.initial]
    while todo:
        for transition in spec.transitions_from(todo.pop()):
            if transition.dest not in seen:
                seen.add(transition.dest)
                todo.append(transition.dest)
    return seen


def _check_transitions(spec: WorkflowSpec, out: _Collector, guard_check: GuardCheck | None) -> None:
    seen: dict[tuple[str, str], int] = {}
    for index, transition in enumerate(spec.transitions):
        path: PathKey = ("transitions", index)
        for end in ("source", "dest"):
            state = getattr(transition, end)
            if state not in spec.states:
                out.add((*path, end), f"unknown state '{state}'")
        problem = _trigger_problem(transition.trigger)
        if problem:
            out.add((*path, "trigger"), problem)
        key = (transition.source, transition.trigger)
        if key in seen:
            out.add(
                (*path, "trigger"),
                f"trigger '{transition.trigger}' leaves '{transition.source}' twice "
                f"(also transitions[{seen[key]}])",
            )
        else:
            seen[key] = index
        for j, code in enumerate(transition.emits):
            if code not in spec.documents:
                out.add((*path, "emits", j), f"emits unknown document '{code}'")
        if guard_check is not None:
            for j, guard in enumerate(transition.guards):
                for message in guard_check(guard):
                    out.add((*path, "guards", j), message)


def _trigger_problem(trigger: str) -> str | None:
    """Why ``trigger`` cannot name a step, or None when it can."""
    if not _TRIGGER.match(trigger):
        return f"trigger '{trigger}' is not an identifier (letters, digits, _)"
    return None


def _check_documents(spec: WorkflowSpec, out: _Collector, template_dirs: Sequence[Path]) -> None:
    for code, doc in spec.documents.items():
        order = doc.signing_order or ()
        strangers = [p for p in order if p not in doc.signers]
        if strangers or len(set(order)) != len(order):
            out.add(
                ("documents", code, "signing_order"),
                f"signing_order of document {code} must list its signers "
                f"({', '.join(doc.signers) or 'none'}) at most once each",
            )
        for locale in spec.locales:
            name = f"{locale}/{doc.template}.html.j2"
            if not any((folder / name).is_file() for folder in template_dirs):
                searched = ", ".join(str(d) for d in template_dirs) or "no template folder"
                out.add(
                    ("documents", code, "template"),
                    f"template '{name}' for document {code} is missing (searched {searched})",
                )


# Names a template's context holds already: an item kind may not take one of them.
_CONTEXT_NAMES = frozenset(
    {
        "p",
        "doc",
        "requirements",
        "changes",
        "ratio",
        "documents",
        "labels",
        "subject",
        "figures",
        "satisfaction",
    }
)


def _check_items(spec: WorkflowSpec, out: _Collector) -> None:
    """Per-item documents: their item kinds exist, and only change control issues per-change
    documents (a step has no change request to be about)."""
    for name in spec.items:
        if name in (CHANGE_ITEMS, *KEPT_ITEMS) or name in _CONTEXT_NAMES:
            out.add(("items", name), f"item kind '{name}' is a name docflow uses already")
    for code, doc in spec.documents.items():
        own = (CHANGE_ITEMS, *KEPT_ITEMS)
        if doc.per is not None and doc.per not in own and doc.per not in spec.items:
            known = ", ".join([*own, *spec.items])
            out.add(
                ("documents", code, "per"),
                f"document {code} is per '{doc.per}', which is no item kind (known: {known})",
            )
    for index, transition in enumerate(spec.transitions):
        for j, code in enumerate(transition.emits):
            kind = spec.documents.get(code)
            if kind is not None and kind.per == CHANGE_ITEMS:
                out.add(
                    ("transitions", index, "emits", j),
                    f"document {code} is issued per change request, by approving one "
                    "(change_control.annex_document); a step cannot emit it",
                )


def _check_change_control(spec: WorkflowSpec, out: _Collector) -> None:
    control = spec.change_control
    for index, state in enumerate(control.allowed_in):
        if state not in spec.states:
            out.add(("change_control", "allowed_in", index), f"unknown state '{state}'")
    if control.allowed_in and control.annex_document not in spec.documents:
        out.add(
            ("change_control", "annex_document"),
            f"annex_document '{control.annex_document}' is not a declared document",
        )
    elif control.allowed_in and spec.documents[control.annex_document].per != CHANGE_ITEMS:
        out.add(
            ("documents", control.annex_document, "per"),
            f"annex_document {control.annex_document} is about a change request: per: change",
        )
    form = control.request_document
    if form and form not in spec.documents:
        out.add(
            ("change_control", "request_document"),
            f"request_document '{form}' is not a declared document",
        )
    elif form and (spec.documents[form].per != CHANGE_ITEMS or spec.documents[form].annex):
        out.add(
            ("documents", form, "per"),
            f"request_document {form} is about one change request (per: change) and is no "
            "contract annex (annex: false)",
        )
    elif form and form == control.annex_document:
        out.add(
            ("change_control", "request_document"),
            "the request form and the change annex are two document kinds",
        )
    if control.alarm_ratio < control.warn_ratio:
        out.add(
            ("change_control", "alarm_ratio"),
            f"alarm_ratio {control.alarm_ratio} is below warn_ratio {control.warn_ratio}",
        )


def _check_data_schema(spec: WorkflowSpec, out: _Collector) -> None:
    """Each data_schema entry is a JSON Schema (Draft 2020-12) that can be checked."""
    if not spec.data_schema:
        return
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    for key, schema in spec.data_schema.items():
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
            out.add(("data_schema", key), f"data_schema key '{key}' is not an identifier")
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in exc.path)
            out.add(("data_schema", key), f"not a JSON Schema: {where.lstrip('.')} {exc.message}")


def _check_titles(spec: WorkflowSpec, out: _Collector) -> None:
    """Every title speaks every declared locale: status and documents show them."""
    titled: list[tuple[PathKey, dict[str, str]]] = [(("title",), spec.title)]
    titled += [(("states", key, "title"), s.title) for key, s in spec.states.items()]
    titled += [(("transitions", i, "title"), t.title) for i, t in enumerate(spec.transitions)]
    titled += [(("documents", key, "title"), d.title) for key, d in spec.documents.items()]
    for path, title in titled:
        missing = [locale for locale in spec.locales if not title.get(locale)]
        if missing:
            out.add(path, f"title has no text for {', '.join(missing)}")
