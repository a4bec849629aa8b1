"""The YAML reader: docflow's scalar rules, the line map, and what it refuses."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from typing import Any

import pytest

from docflow.errors import SpecError
from docflow.spec.yamlio import LineMap, decode_utf8, format_path, load_yaml_text
from docflow.spec.yamlscalars import WrittenFloat

SCALARS = [
    ("0123", "0123"),
    ("0", 0),
    ("-12", -12),
    ("0x1F", 31),
    ("0o17", 15),
    ("12:30", "12:30"),
    ("1:20:30", "1:20:30"),
    ("yes", "yes"),
    ("no", "no"),
    ("on", "on"),
    ("true", True),
    ("False", False),
    ("~", None),
    ("null", None),
    ("", None),
    ("1.5", 1.5),
    ("1e3", 1000.0),
    ("1_000", "1_000"),
    ("2026-11-23", dt.date(2026, 11, 23)),
    ("2026-02-30", "2026-02-30"),
    ("2026-11-23 10:00", "2026-11-23 10:00"),
    ("'0123'", "0123"),
    ('"true"', "true"),
    ("!!str 12", "12"),
    ("!!int 12", 12),
    ("!!float 12", 12.0),
]


@pytest.mark.parametrize(("written", "value"), SCALARS, ids=[s[0] or "empty" for s in SCALARS])
def test_scalar_rules(written: str, value: Any) -> None:
    """Plain scalars follow docflow's YAML 1.2 rules; quoted and tagged ones are honoured."""
    data, _ = load_yaml_text(f"v: {written}\n", "t.yaml")
    assert data["v"] == value
    if isinstance(data["v"], WrittenFloat):  # a plain float keeps its digits for amounts
        assert type(value) is float and data["v"].text == written
    else:
        assert type(data["v"]) is type(value)


def test_inf_and_nan() -> None:
    """.inf and .nan are floats, as YAML 1.2 says."""
    data, _ = load_yaml_text("a: .inf\nb: -.Inf\nc: .nan\n", "t.yaml")
    assert data["a"] == math.inf and data["b"] == -math.inf and math.isnan(data["c"])


def test_line_map() -> None:
    """Each key and list item maps to its 1-based line; find falls back to the parent."""
    text = "a:\n  b: 1\n  c:\n    - x\n    - y: 2\n"
    data, lines = load_yaml_text(text, "t.yaml")
    assert data == {"a": {"b": 1, "c": ["x", {"y": 2}]}}
    assert lines[("a",)] == 1
    assert lines[("a", "b")] == 2
    assert lines[("a", "c", 1)] == 5
    assert lines[("a", "c", 1, "y")] == 5
    assert lines.find(("a", "c", 1, "missing")) == 5
    assert LineMap().find(("x",)) is None


def test_folded_block_scalar() -> None:
    """Folded text is joined with spaces, with no marker characters left in it."""
    data, _ = load_yaml_text("t: >-\n  one\n  two\n", "t.yaml")
    assert data["t"] == "one two"


def test_aliases_within_bound() -> None:
    """Ordinary anchors and aliases are expanded into independent copies."""
    data, _ = load_yaml_text("a: &x {k: [1, 2]}\nb: *x\n", "t.yaml")
    assert data["a"] == data["b"] == {"k": [1, 2]}
    assert data["a"] is not data["b"]


def test_alias_expansion_bound() -> None:
    """A document whose aliases expand past the bound is refused, naming the line."""
    wide = ", ".join(["*a"] * 120)
    text = f"a: &a [{', '.join(['x'] * 100)}]\nb: [{wide}]\n"
    with pytest.raises(SpecError, match=r"t.yaml:2: invalid YAML: aliases expand this to "):
        load_yaml_text(text, "t.yaml")


REFUSED = [
    pytest.param("a: 1\n---\nb: 2\n", "t.yaml:2: invalid YAML: ", id="two-documents"),
    pytest.param(
        "a: 1\nb: x\x7f\n",
        "t.yaml:2: invalid YAML: unacceptable character #x007f",
        id="unprintable",
    ),
    pytest.param("a: *nope\n", "t.yaml:1: invalid YAML: found undefined alias 'nope'", id="alias"),
    pytest.param("a: !custom x\n", "t.yaml:1: a: cannot read 'x' as !custom", id="unknown-tag"),
    pytest.param("a: !!int x\n", "t.yaml:1: a: cannot read 'x' as tag:yaml.org,2002:int", id="int"),
    pytest.param("? [a]\n: 1\n", "t.yaml:1: a key must be a plain value", id="complex-key"),
    pytest.param(
        "a:\n  b: 1\n  b: 2\n", "t.yaml:3: a.b: duplicate key 'b' (first at line 2)", id="dup"
    ),
]


@pytest.mark.parametrize(("text", "expected"), REFUSED)
def test_refused(text: str, expected: str) -> None:
    """What the reader refuses, named by file and line."""
    with pytest.raises(SpecError) as caught:
        load_yaml_text(text, "t.yaml")
    assert str(caught.value).startswith(expected)


PATHS = [
    ((), ""),
    (("requirements", 3, "priority"), "requirements[3].priority"),
    (("states", "contract.drafting", "phase"), "states[contract.drafting].phase"),
    (("documents", "SP"), "documents.SP"),
]


@pytest.mark.parametrize(("path", "text"), PATHS, ids=[p[1] or "root" for p in PATHS])
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    """Paths read like the YAML that holds them."""
    assert format_path(path) == text


def test_decode_utf8() -> None:
    """UTF-8 decodes (BOM dropped); anything else names the first bad byte."""
    assert decode_utf8("\ufeffé".encode(), "x.yaml") == "é"
    with pytest.raises(SpecError, match=r"^x\.yaml is not UTF-8 text \(byte 0xff at offset 2\)$"):
        decode_utf8(b"a:\xff", "x.yaml")


def test_spec_import_is_light() -> None:
    """Importing the spec layer loads no YAML library and nothing heavy."""
    code = (
        "import sys, docflow.spec, docflow.spec.checks, docflow.spec.loader;"
        "heavy = {'ruamel', 'weasyprint', 'docx', 'docxtpl', 'sqlalchemy', 'rich', 'jinja2'};"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
