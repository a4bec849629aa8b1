"""Templates read only files inside their folders, and their work is bounded; every failure is
a TemplateError (exit 4) naming the template."""

from __future__ import annotations

import pickle
import re
import time
from pathlib import Path

import pytest
from render_helpers import TEST_TEMPLATES, make_request

from docflow.errors import TemplateError
from docflow.render import render_html
from docflow.render.confined import ConfinedLoader
from docflow.render.context import build_environment
from docflow.render.sandbox import DEFAULT_MAX_STEPS, MAX_CALL_DEPTH

SECRET = "top-secret-0451"


def _body(fragment: str) -> str:
    return '{% extends "base.html.j2" %}{% block body %}' + fragment + "{% endblock %}"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside every template folder."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A workspace template folder (empty but for what a test writes)."""
    root = tmp_path / "templates"
    (root / "zh-CN").mkdir(parents=True)
    return root


def _render(folder: Path, fragment: str) -> str:
    (folder / "zh-CN" / "sample.html.j2").write_text(_body(fragment), encoding="utf-8")
    return render_html(make_request(dirs=(folder, TEST_TEMPLATES)))


# files --------------------------------------------------------------------------------------


def test_a_linked_file_outside_is_refused(folder: Path, outside: Path) -> None:
    """A symbolic link in templates/ to a file elsewhere is refused where it is included."""
    (folder / "zh-CN" / "leak.html.j2").symlink_to(outside)
    with pytest.raises(TemplateError) as caught:
        _render(folder, '{% include "zh-CN/leak.html.j2" %}')
    assert caught.value.template == "zh-CN/sample.html.j2" and caught.value.line == 1
    assert "leak.html.j2 leads outside the template folders" in caught.value.message
    assert SECRET not in caught.value.message


def test_a_link_inside_the_folders_is_followed(folder: Path) -> None:
    """A link from one template folder file to another is a template file like any other."""
    (folder / "zh-CN" / "part.txt").write_text("<p>inside-part</p>", encoding="utf-8")
    (folder / "zh-CN" / "alias.html.j2").symlink_to(folder / "zh-CN" / "part.txt")
    assert "inside-part" in _render(folder, '{% include "zh-CN/alias.html.j2" %}')


@pytest.mark.parametrize(
    "name",
    ["../outside/secret.txt", "zh-CN/../../outside/secret.txt", "/etc/passwd", "a\\\\b"],
    ids=["dot-dot", "dot-dot-inside", "absolute", "backslash"],
)
@pytest.mark.parametrize("tag", ["include", "import", "extends"])
def test_names_leaving_the_folders_are_refused(folder: Path, name: str, tag: str) -> None:
    """``..``, absolute and backslash names are refused by every tag that loads a template."""
    statement = f'{{% {tag} "{name}"' + (" as x %}" if tag == "import" else " %}")
    template = folder / "zh-CN" / "sample.html.j2"
    template.write_text(statement if tag == "extends" else _body(statement), encoding="utf-8")
    with pytest.raises(TemplateError, match="is not allowed: name a file inside"):
        render_html(make_request(dirs=(folder, TEST_TEMPLATES)))


def test_a_linked_template_folder_is_refused(tmp_path: Path, outside: Path) -> None:
    """A template folder that is a symbolic link would make its target a template folder."""
    link = tmp_path / "linked"
    link.symlink_to(outside.parent)
    with pytest.raises(TemplateError, match="is a symbolic link"):
        render_html(make_request(dirs=(link, TEST_TEMPLATES)))


@pytest.mark.parametrize("name", ["style.css", "zh-CN/labels.yaml", "frame.docx"])
def test_linked_support_files_are_refused(folder: Path, outside: Path, name: str) -> None:
    """style.css, labels.yaml and frame.docx are confined like templates."""
    (folder / name).symlink_to(outside)
    with pytest.raises(TemplateError, match="leads outside the template folders"):
        render_html(make_request(dirs=(folder, TEST_TEMPLATES)))


def test_loader_refuses_non_regular_files(folder: Path) -> None:
    """A FIFO named like a template is not read (it would wait forever)."""
    import os

    os.mkfifo(folder / "zh-CN" / "fifo.html.j2")
    loader = ConfinedLoader((folder,))
    assert loader.list_templates()  # the folder is readable
    with pytest.raises(Exception, match="not found"):
        loader.get_source(None, "zh-CN/fifo.html.j2")


# work ---------------------------------------------------------------------------------------

BOUNDED = [
    pytest.param(
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "steps of work",
        id="nested-loops",
    ),
    pytest.param(
        "{% for a in requirements %}{% for b in range(100000) %}{% for c in range(100000) %}"
        "{{ c }}{% endfor %}{% endfor %}{% endfor %}",
        "steps of work",
        id="loops-with-output",
    ),
    pytest.param(
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        f"calls nest more than {MAX_CALL_DEPTH} deep",
        id="macro-recursion",
    ),
    pytest.param(
        "{% macro f(n) %}{% if n < 30 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}{% endmacro %}"
        "{{ f(0) }}",
        "steps of work",
        id="macro-doubling",
    ),
    pytest.param('{{ "x" * 1000000000 }}', "would build a value", id="repeat"),
    pytest.param("{{ [1] * 1000000000 }}", "would build a value", id="repeat-list"),
    pytest.param("{{ 2 ** 1000000000 }}", "too large a number", id="power"),
    pytest.param('{{ "%0999999999d" % 1 }}', "format field wider", id="percent-width"),
    pytest.param('{{ "%*d" % (999999999, 1) }}', "format field wider", id="star-width"),
    pytest.param('{{ "{:>999999999}".format(1) }}', "format field wider", id="format-width"),
    pytest.param('{{ "x".ljust(999999999) }}', "would build a value", id="ljust"),
    pytest.param('{{ "x"|center(999999999) }}', "would build a value", id="center-filter"),
    pytest.param('{{ "%0999999999d"|format(1) }}', "format field wider", id="format-filter"),
    pytest.param(
        '{% set s = "x" * 10000 %}{{ s|replace("x", s) }}', "would build a value", id="replace"
    ),
    pytest.param(
        '{% set ns = namespace(s="xxxxxxxxxx") %}{% for i in range(40) %}'
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "would build a value|steps of work",
        id="concat-doubling",
    ),
    pytest.param(
        '{% set ns = namespace(s=["x"]) %}{% for i in range(40) %}'
        "{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "would build a value|steps of work",
        id="list-doubling",
    ),
]


@pytest.mark.parametrize(("fragment", "expected"), BOUNDED)
def test_runaway_templates_fail_quickly_and_name_the_template(
    folder: Path, fragment: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each runaway is a TemplateError naming the template and line, within seconds.

    The step bound is lowered to a tenth of its default to keep the test short; the
    default's own figures are in bench/RESULTS.md.
    """
    monkeypatch.setenv("DOCFLOW_TEMPLATE_MAX_STEPS", str(DEFAULT_MAX_STEPS // 10))
    started = time.perf_counter()
    with pytest.raises(TemplateError) as caught:
        _render(folder, fragment)
    assert time.perf_counter() - started < 30
    assert re.search(expected, caught.value.message), caught.value.message
    assert caught.value.template == "zh-CN/sample.html.j2"
    assert caught.value.line == 1


def test_self_include_names_the_repeating_template(folder: Path) -> None:
    """A template including itself is a TemplateError at the include, not an internal error."""
    (folder / "zh-CN" / "loop.html.j2").write_text(
        '<p>x</p>\n{% include "zh-CN/loop.html.j2" %}', encoding="utf-8"
    )
    with pytest.raises(TemplateError) as caught:
        _render(folder, '{% include "zh-CN/loop.html.j2" %}')
    assert "templates nest too deeply" in caught.value.message
    assert (caught.value.template, caught.value.line) == ("zh-CN/loop.html.j2", 2)


def test_output_bound_is_configurable(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DOCFLOW_TEMPLATE_MAX_OUTPUT lowers the output bound; the default lets documents by."""
    fragment = "{% for r in requirements %}<p>{{ r.title }}</p>{% endfor %}"
    assert _render(folder, fragment)
    monkeypatch.setenv("DOCFLOW_TEMPLATE_MAX_OUTPUT", "100")
    with pytest.raises(TemplateError, match="wrote more than 100 characters"):
        _render(folder, fragment)


def test_step_bound_is_configurable(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DOCFLOW_TEMPLATE_MAX_STEPS lowers the step bound; a bad value is a clear error."""
    monkeypatch.setenv("DOCFLOW_TEMPLATE_MAX_STEPS", "50")
    with pytest.raises(TemplateError, match="more than 50 steps"):
        _render(folder, "{% for i in range(100) %}{% endfor %}")
    monkeypatch.setenv("DOCFLOW_TEMPLATE_MAX_STEPS", "many")
    with pytest.raises(TemplateError, match="DOCFLOW_TEMPLATE_MAX_STEPS='many'"):
        _render(folder, "<p>x</p>")


def test_loops_keep_their_meaning(folder: Path) -> None:
    """Counting loop items changes nothing a template sees (loop.length, last, else)."""
    html = _render(
        folder,
        "{% for x in [1, 2, 3] %}<p>{{ loop.index }}/{{ loop.length }}{{ '!' if loop.last }}"
        "</p>{% endfor %}{% for y in [] %}<p>no</p>{% else %}<p>empty</p>{% endfor %}"
        "<p>{{ 'a' ~ 1 ~ 'b' }}</p>",
    )
    # The text of the paragraphs; typesetting may wrap a token such as "1/3" in a keep span.
    text = re.sub(r"</?span\b[^>]*>", "", html)
    assert "<p>1/3</p>\n<p>2/3</p>\n<p>3/3!</p>\n<p>empty</p>\n<p>a1b</p>" in text


def test_nested_loops_fail_under_the_default_bound(folder: Path) -> None:
    """With the default bound, two nested loops of 100,000 fail within seconds."""
    started = time.perf_counter()
    with pytest.raises(TemplateError, match=f"more than {DEFAULT_MAX_STEPS:,} steps"):
        _render(folder, BOUNDED[0].values[0])
    assert time.perf_counter() - started < 60


def test_frame_environment_is_bounded_too() -> None:
    """The DOCX frame's Jinja runs in the same bounded sandbox."""
    env = build_environment((TEST_TEMPLATES,), "zh-CN")
    with pytest.raises(Exception, match="steps of work"):
        env.from_string(
            "{% for a in range(100000) %}{% for b in range(1000) %}{% endfor %}{% endfor %}"
        ).render()


def test_template_error_pickles_whole() -> None:
    """A TemplateError from a rendering process arrives with its template and line."""
    error = TemplateError("undefined variable: x", "zh-CN/a.html.j2", 7)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.template, copy.line, copy.message, copy.exit_code) == (
        "zh-CN/a.html.j2",
        7,
        "zh-CN/a.html.j2:7: undefined variable: x",
        4,
    )


def test_the_memo_of_a_large_project_is_within_the_bounds() -> None:
    """5,000 requirements render under the default bounds."""
    from render_helpers import project

    p = project("zh-CN")
    p["requirements"] = [
        {**p["requirements"][0], "id": f"R-{i}", "title": f"需求 {i}"} for i in range(5000)
    ]
    html = render_html(make_request("zh-CN", p=p, requirements=p["requirements"]))
    assert "R-4999" in html


def test_lists_nest_at_most_nine_deep(folder: Path) -> None:
    """3,000 nested lists are a TemplateError, not a RecursionError in a renderer."""
    nested = (
        "{% for i in range(3000) %}<ul><li>x{% endfor %}"
        "{% for i in range(3000) %}</li></ul>{% endfor %}"
    )
    with pytest.raises(TemplateError, match="lists nest more than 9 deep"):
        _render(folder, nested)
    assert "<ul><li>" in _render(folder, "<ul><li>a" * 9 + "</li></ul>" * 9)


def _render_in_a_worker(folder: Path) -> str:
    return render_html(make_request(dirs=(folder, TEST_TEMPLATES)))


def test_a_template_error_crosses_a_process_pool(folder: Path) -> None:
    """Raised in a pool worker (render --jobs, advance with workers), it arrives whole."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    (folder / "zh-CN" / "sample.html.j2").write_text(_body("<p>{{ nope.x }}</p>"), "utf-8")
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context) as pool, pytest.raises(TemplateError) as caught:
        pool.submit(_render_in_a_worker, folder).result()
    assert (caught.value.template, caught.value.line) == ("zh-CN/sample.html.j2", 1)
    assert caught.value.message == "zh-CN/sample.html.j2:1: undefined variable: 'nope' is undefined"
