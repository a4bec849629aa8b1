"""The template layer: sandbox, autoescape, strict undefined, lookup order, labels, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from render_helpers import TEST_TEMPLATES, make_request, project

from docflow.errors import TemplateError
from docflow.render import RenderRequest, render_html

RequestFor = Callable[..., RenderRequest]


def kind(tmp_path: Path, body: str, name: str = "x", locale: str = "zh-CN") -> Path:
    """Write a kind template whose body block is ``body``; return its template folder."""
    folder = tmp_path / locale
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.html.j2").write_text(
        '{% extends "base.html.j2" %}\n{% import "_macros.html.j2" as m %}\n'
        "{% block body %}\n" + body + "\n{% endblock %}\n",
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("<p>{{ p.project.nope }}</p>", "nope", id="missing-attribute"),
        pytest.param("<p>{{ nothing_here }}</p>", "nothing_here", id="missing-name"),
        pytest.param("<p>{{ p.__class__ }}</p>", "__class__", id="sandbox-dunder"),
        pytest.param("<p>{{ requirements.append(1) }}</p>", "append", id="sandbox-mutation"),
        pytest.param("<p>{{ -1 | money_words }}</p>", "negative", id="filter-error"),
    ],
)
def test_runtime_errors_name_template_and_line(tmp_path: Path, body: str, message: str) -> None:
    """A failing expression becomes a TemplateError naming the template, line and variable."""
    dirs = (kind(tmp_path, body),)
    with pytest.raises(TemplateError, match=message) as caught:
        render_html(make_request(template="x", dirs=dirs))
    assert caught.value.template == "zh-CN/x.html.j2"
    assert caught.value.line == 4
    assert "zh-CN/x.html.j2:4" in str(caught.value)


def test_syntax_error_names_line(tmp_path: Path) -> None:
    """A syntax error names the template and the line."""
    dirs = (kind(tmp_path, "<p>ok</p>\n{% if %}"),)
    with pytest.raises(TemplateError, match="syntax error") as caught:
        render_html(make_request(template="x", dirs=dirs))
    assert caught.value.line == 5


@pytest.mark.parametrize(
    ("template", "body"),
    [
        pytest.param("absent", None, id="kind-template"),
        pytest.param("x", '{% include "missing.html.j2" %}', id="include"),
    ],
)
def test_missing_template(tmp_path: Path, template: str, body: str | None) -> None:
    """A missing template is a TemplateError that says where it looked."""
    dirs = (kind(tmp_path, body or "<p></p>"),)
    with pytest.raises(TemplateError, match="not found"):
        render_html(make_request(template=template, dirs=dirs))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param("{{ 7*7 }}", "{{ 7*7 }}", id="expression"),
        pytest.param("{% for x in y %}", "{% for x in y %}", id="statement"),
        pytest.param("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;", id="markup"),
        pytest.param("A & B", "A &amp; B", id="ampersand"),
        pytest.param(
            '<img src="file:///etc/passwd">',
            '&lt;img src="file:///etc/passwd"&gt;',
            id="img",
        ),
    ],
)
def test_data_is_never_code(tmp_path: Path, value: str, shown: str) -> None:
    """Data prints literally (escaped once), never evaluated as template code or markup."""
    dirs = (kind(tmp_path, "<p>{{ p.project.name }}</p>"),)
    html = render_html(
        make_request(
            template="x",
            dirs=dirs,
            p=project("zh-CN") | {"project": {"code": "X", "name": value, "subsystems": []}},
        )
    )
    assert f"<p>{shown}</p>" in html
    assert "49" not in html


def test_none_prints_empty(tmp_path: Path) -> None:
    """None in the context shows as an empty string, not "None"."""
    dirs = (kind(tmp_path, "<p>[{{ change }}]</p>"),)
    assert "<p>[]</p>" in render_html(make_request(template="x", dirs=dirs))


def test_lookup_order_and_builtin_fallback(tmp_path: Path) -> None:
    """Earlier folders win; base.html.j2 and the macros still come from the built-in folder."""
    dirs = (kind(tmp_path, "<p>override wins</p>", name="sample"), TEST_TEMPLATES)
    html = render_html(make_request(dirs=dirs))
    assert "override wins" in html
    assert "需求清单" not in html


def test_labels_merge_earlier_folders_first(tmp_path: Path) -> None:
    """labels.yaml of an earlier folder overrides keys of later ones."""
    dirs = (kind(tmp_path, "<p>{{ labels.extra.word }}</p>"),)
    (tmp_path / "zh-CN" / "labels.yaml").write_text("extra:\n  word: 自定义\n", encoding="utf-8")
    assert "<p>自定义</p>" in render_html(make_request(template="x", dirs=dirs))


def test_bad_labels_file(tmp_path: Path) -> None:
    """A labels file that is not YAML is a TemplateError naming the file."""
    dirs = (kind(tmp_path, "<p></p>"),)
    (tmp_path / "zh-CN" / "labels.yaml").write_text("a: [unclosed\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"labels\.yaml"):
        render_html(make_request(template="x", dirs=dirs))


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_signature_macro_cells(request_for: RequestFor, locale: str) -> None:
    """signature_block gives one sig-<party> cell per signer, in signer order."""
    html = render_html(request_for(locale, signers=("vendor", "client")))
    assert html.index('id="sig-vendor"') < html.index('id="sig-client"')
    assert html.count('id="sig-') == 2
