"""What a template reads of its context, and what differs at those reads: the comparison
``status`` makes instead of rendering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from docflow.documents.freshness import Difference, compare
from docflow.documents.reads import Reads, decode_reads, encode_reads

CONTEXT: dict[str, Any] = {
    "p": {
        "a": {"b": "x", "c": "unused"},
        "rows": [{"n": "one", "m": 1}, {"n": "two", "m": 2}],
        "tags": ["t1", "t2"],
        "d": {"k": 1},
    },
    "ratio": 0.25,
    "change": None,
}


def _render(source: str, tmp_path: Path) -> list[tuple[str, tuple[Any, ...]]]:
    from docflow.render.context import build_environment

    reads = Reads()
    context = reads.wrap(CONTEXT)
    env = build_environment((tmp_path,), "en", context)
    env.from_string(source).render(context)
    return [(m, p) for m, p in reads.patterns() if p != ("change",)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("{{ p.a.b }}", [("value", ("p", "a", "b"))], id="a-value"),
        pytest.param(
            "{% for i in p.rows %}{{ i.n }}{% endfor %}",
            [("shape", ("p", "rows")), ("value", ("p", "rows", None, "n"))],
            id="a-loop",
        ),
        pytest.param("{{ p.rows | length }}", [("shape", ("p", "rows"))], id="length"),
        pytest.param("{{ p.d }}", [("whole", ("p", "d"))], id="printed-whole"),
        pytest.param(
            "{{ p.tags | join(', ') }}",
            [("shape", ("p", "tags")), ("value", ("p", "tags", None))],
            id="join",
        ),
        pytest.param(
            "{% if p.missing is defined %}x{% endif %}", [("value", ("p", "missing"))], id="absent"
        ),
        pytest.param("{{ p.a.get('b') }}", [("value", ("p", "a", "b"))], id="get"),
        pytest.param(
            "{{ (p.rows | last).m }}",
            [("shape", ("p", "rows")), ("value", ("p", "rows", None, "m"))],
            id="last",
        ),
        pytest.param(
            "{{ p.rows | selectattr('m', 'equalto', 2) | map(attribute='n') | join }}",
            [
                ("shape", ("p", "rows")),
                ("value", ("p", "rows", None, "m")),
                ("value", ("p", "rows", None, "n")),
            ],
            id="filters",
        ),
        pytest.param("{{ ratio | percent }}", [("value", ("ratio",))], id="ratio"),
        pytest.param("nothing", [], id="nothing-read"),
    ],
)
def test_what_a_template_reads(source: str, expected: list[Any], tmp_path: Path) -> None:
    assert _render(source, tmp_path) == sorted(expected, key=lambda r: (r[1], r[0]))


def test_a_tracked_context_renders_as_the_plain_one(tmp_path: Path) -> None:
    from docflow.render.context import build_environment

    source = (
        "{{ p.a.b }} {{ p.rows | map(attribute='n') | join('/') }} {{ ratio | percent }} "
        "{{ p.rows | sum(attribute='m') }} {{ p.tags + ['t3'] }} {{ p.d.k }}"
    )
    plain = build_environment((tmp_path,), "en", CONTEXT).from_string(source).render(CONTEXT)
    reads = Reads()
    tracked = reads.wrap(CONTEXT)
    env = build_environment((tmp_path,), "en", tracked)
    assert env.from_string(source).render(tracked) == plain


def test_reads_survive_their_json_form() -> None:
    reads = [("value", ("p", "rows", None, "n")), ("shape", ("p",))]
    assert decode_reads(encode_reads(reads)) == reads
    assert decode_reads("not a list") is None
    assert decode_reads([["nonsense", []]]) is None


OLD = {"p": {"a": {"b": "x", "c": "1"}, "rows": [{"n": "one"}, {"n": "two"}]}, "documents": []}


@pytest.mark.parametrize(
    ("new", "reads", "expected"),
    [
        pytest.param(
            {"p": {"a": {"b": "y", "c": "1"}, "rows": OLD["p"]["rows"]}},
            [("value", ("p", "a", "b"))],
            [Difference(("p", "a", "b"), "changed", "x", "y")],
            id="read-value-changed",
        ),
        pytest.param(
            {"p": {"a": {"b": "x", "c": "2"}, "rows": OLD["p"]["rows"]}},
            [("value", ("p", "a", "b"))],
            [],
            id="unread-value-changed",
        ),
        pytest.param(
            {"p": {"a": OLD["p"]["a"], "rows": [{"n": "one"}, {"n": "TWO"}]}},
            [("shape", ("p", "rows")), ("value", ("p", "rows", None, "n"))],
            [Difference(("p", "rows", 1, "n"), "changed", "two", "TWO")],
            id="entry-changed",
        ),
        pytest.param(
            {"p": {"a": OLD["p"]["a"], "rows": [*OLD["p"]["rows"], {"n": "three"}]}},
            [("shape", ("p", "rows")), ("value", ("p", "rows", None, "n"))],
            [Difference(("p", "rows"), "count", 2, 3)],
            id="entry-added",
        ),
        pytest.param(
            {"p": {"a": {"b": "x"}, "rows": OLD["p"]["rows"]}},
            [("whole", ("p", "a"))],
            [Difference(("p", "a", "c"), "removed", "1", None)],
            id="whole-read",
        ),
        pytest.param(
            {**OLD, "documents": [{"id": "SP-1"}]},
            [("whole", ("documents",))],
            [],
            id="documents-not-compared",
        ),
        pytest.param(
            {"p": {"a": {"b": "y", "c": "1"}, "rows": OLD["p"]["rows"]}},
            None,
            [Difference(("p", "a", "b"), "changed", "x", "y")],
            id="no-reads-compares-all",
        ),
    ],
)
def test_what_differs_at_the_reads(
    new: dict[str, Any], reads: list[Any] | None, expected: list[Difference]
) -> None:
    assert compare(OLD, {"documents": [], **new}, reads) == expected
