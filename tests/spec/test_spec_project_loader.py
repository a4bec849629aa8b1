"""project.yaml: valid data parses; every invalid input is named by file, line and path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from docflow.errors import SpecError
from docflow.resources import data_path
from docflow.spec.loader import load_project, parse_project

DATA = Path(__file__).parent / "data"

LAUGHS = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 6)).replace(
    "l1: &l1 [*l0", 'l0: &l0 "lol"\nl1: &l1 [*l0'
)


def test_valid_project_parses() -> None:
    """Every section of the valid fixture arrives typed as the model says."""
    project = load_project(DATA / "project_valid.yaml")
    assert project.locale == "en"
    assert project.contract.signed_on == dt.date(2026, 3, 10)
    assert project.contract.amount == Decimal("1200500.00")
    assert project.contract.scope == "Records and billing, with training."
    assert [r.id for r in project.requirements] == ["R-1", "R-2", "R-3"]
    assert project.deployment.training[0].hours == Decimal(4)


def test_yaml_12_scalars_stay_strings() -> None:
    """``0123``-style codes, ``12:30`` times and ``yes`` stay the strings that were typed."""
    project = load_project(DATA / "project_valid.yaml")
    assert project.project.code == "0123"
    assert project.contract.number == "0042"
    assert project.survey.sessions[0].time == "12:30"
    assert project.requirements[2].source == "yes"


@pytest.mark.parametrize(
    "name", ["implementation.en.yaml", "implementation.zh-CN.yaml", "skeleton.en.yaml"]
)
def test_shipped_example_projects_parse(name: str) -> None:
    """The example and skeleton projects that ``init`` writes are valid."""
    path = data_path("workflows") / "examples" / name
    if not path.is_file():
        pytest.skip(f"{name} is not shipped")
    assert load_project(path).workflow == "implementation"


INVALID = [
    pytest.param(
        "project:\n  code: [HIS\n  name: x\n",
        "project.yaml:3: invalid YAML: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence)",
        id="broken-yaml",
    ),
    pytest.param(
        "contract:\n  number: C-1\n  nubmer: C-2\n",
        "project.yaml:3: contract: unknown field 'nubmer' (did you mean 'number'?)",
        id="unknown-key",
    ),
    pytest.param(
        "foo: 1\n",
        "project.yaml:1: unknown field 'foo'",
        id="unknown-top-level-key",
    ),
    pytest.param(
        "contract:\n  amount: lots\n",
        "project.yaml:2: contract.amount: must be a number, not 'lots'",
        id="wrong-type-number",
    ),
    pytest.param(
        "risks: none\n",
        "project.yaml:1: risks: must be a list, not 'none'",
        id="wrong-type-list",
    ),
    pytest.param(
        "contract:\n  number: [1, 2]\n",
        "project.yaml:2: contract.number: must be text, not a list",
        id="wrong-type-text",
    ),
    pytest.param(
        "maintenance:\n  months: 12.5\n",
        "project.yaml:2: maintenance.months: must be a whole number, not 12.5",
        id="wrong-type-int",
    ),
    pytest.param(
        "contract:\n  signed_on: 2026-13-01\n",
        "project.yaml:2: contract.signed_on: not a date (YYYY-MM-DD)",
        id="bad-date",
    ),
    pytest.param(
        "contract:\n  signed_on: next week\n",
        "project.yaml:2: contract.signed_on: not a date (YYYY-MM-DD)",
        id="bad-date-text",
    ),
    pytest.param(
        "requirements:\n  - id: R-1\n    title: a\n    priority: high\n",
        "project.yaml:4: requirements[0].priority: must be one of must, should, could",
        id="literal-choice",
    ),
    pytest.param(
        "locale: fr\n",
        "project.yaml:1: locale: must be one of zh-CN, en",
        id="unknown-locale",
    ),
    pytest.param(
        "requirements:\n  - title: a\n",
        "project.yaml:2: requirements[0]: missing required field 'id'",
        id="missing-field",
    ),
    pytest.param(
        "contract:\n  number: C-1\n  number: C-2\n",
        "project.yaml:3: contract.number: duplicate key 'number' (first at line 2)",
        id="duplicate-key",
    ),
    pytest.param(
        "requirements:\n  - {id: R-1, title: a}\n  - {id: R-2, title: b}\n"
        "  - {id: R-1, title: c}\n",
        "project.yaml:4: requirements[2].id: duplicate requirement id 'R-1' "
        "(also requirements[0].id at line 2)",
        id="duplicate-requirement-id",
    ),
    pytest.param(
        LAUGHS,
        "project.yaml:6: invalid YAML: aliases expand this to 66,430 nodes, more than the "
        "10,022 allowed for a document of 22 nodes",
        id="billion-laughs",
    ),
    pytest.param(
        "project: &p\n  name: *p\n",
        "project.yaml:1: invalid YAML: an alias refers to itself",
        id="recursive-alias",
    ),
    pytest.param(
        'contract:\n  scope: "one\\ftwo"\n',
        "project.yaml:2: contract.scope: contains the control character U+000C, "
        "which documents cannot hold",
        id="xml-forbidden-escaped-formfeed",
    ),
    pytest.param(
        'memo:\n  assumptions: ["ok", "nul\\0"]\n',
        "project.yaml:2: memo.assumptions[1]: contains the control character U+0000, "
        "which documents cannot hold",
        id="xml-forbidden-escaped-nul",
    ),
    pytest.param(
        'project:\n  name: "x\\uFFFE"\n',
        "project.yaml:2: project.name: contains the control character U+FFFE, "
        "which documents cannot hold",
        id="xml-forbidden-noncharacter",
    ),
    pytest.param(
        "project:\n  code: HIS\n  name: one\x0ctwo\n",
        "project.yaml:3: project.name: contains the control character U+000C, "
        "which documents cannot hold",
        id="xml-forbidden-raw",
    ),
    pytest.param(
        "project:\n  code: 'bad code!'\n",
        "project.yaml:2: project.code: 'bad code!' does not match the pattern "
        "^$|^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
        id="pattern",
    ),
]


@pytest.mark.parametrize(("text", "expected"), INVALID)
def test_invalid_project_is_located(text: str, expected: str) -> None:
    """The SpecError's text names file, line, field path and what is wrong."""
    with pytest.raises(SpecError) as caught:
        parse_project(text, "project.yaml")
    assert expected in str(caught.value).splitlines()


def test_all_problems_collected() -> None:
    """Several errors in one file come back together, in line order."""
    text = (
        "locale: fr\n"
        "contract:\n  signed_on: soon\n  extra: 1\n"
        "requirements:\n  - {id: R-1, title: a}\n  - {id: R-1, title: b, priority: top}\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_project(text, "project.yaml")
    lines = [p.line for p in caught.value.problems]
    assert lines == [1, 3, 4, 7, 7]
    assert caught.value.problems[0].path == "locale"


def test_not_utf8(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are named by value and offset."""
    path = tmp_path / "project.yaml"
    path.write_bytes("project:\n  name: café\n".encode("latin-1"))
    with pytest.raises(SpecError) as caught:
        load_project(path)
    assert str(caught.value) == "project.yaml is not UTF-8 text (byte 0xe9 at offset 20)"


def test_bom_and_empty_file(tmp_path: Path) -> None:
    """A UTF-8 BOM is accepted, and an empty project.yaml is the all-defaults project."""
    path = tmp_path / "project.yaml"
    path.write_bytes("\ufefflocale: en\n".encode())
    assert load_project(path).locale == "en"
    path.write_text("", encoding="utf-8")
    assert load_project(path).workflow == "implementation"


def test_missing_file(tmp_path: Path) -> None:
    """A missing project.yaml is a SpecError naming the path."""
    with pytest.raises(SpecError, match=r"project\.yaml: cannot be read \("):
        load_project(tmp_path / "project.yaml")


def test_error_chained_from_validation() -> None:
    """The SpecError keeps pydantic's error as its cause."""
    with pytest.raises(SpecError) as caught:
        parse_project("locale: fr\n", "project.yaml")
    assert caught.value.__cause__ is not None
