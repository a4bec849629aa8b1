"""The bounds every YAML file obeys: nesting depth, alias expansion, file size, error listing."""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from docflow.errors import MAX_LISTED, Problem, SpecError
from docflow.spec import yamlio
from docflow.spec.change import parse_change_file, parse_change_text
from docflow.spec.loader import load_project, parse_project
from docflow.spec.yamlio import load_yaml_text, parse_yaml
from docflow.spec.yamlshape import (
    ALIAS_FLOOR,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    read_limited,
)


@pytest.fixture(params=["libyaml", "ruamel"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test with each of the two YAML composers docflow uses."""
    if request.param == "ruamel":
        monkeypatch.setattr(yamlio, "_compose_libyaml", lambda *_args: yamlio._UNREADABLE)
    yield request.param


def _flow(levels: int) -> str:
    return "a: " + "[" * levels + "]" * levels + "\n"


def _flow_map(levels: int) -> str:
    return "a: " + "{b: " * levels + "1" + "}" * levels + "\n"


def _block(levels: int) -> str:
    return "".join(" " * i + "k:\n" for i in range(levels)) + " " * levels + "k: 1\n"


def _compact(levels: int) -> str:
    return "a:\n" + "- " * levels + "1\n"


SHAPES: dict[str, Callable[[int], str]] = {
    "flow-list": _flow,
    "flow-map": _flow_map,
    "block-map": _block,
    "compact-list": _compact,
}


DEEP = [
    pytest.param(shape, levels, id=f"{shape}-{levels}")
    for shape in SHAPES
    for levels in (MAX_DEPTH + 1, 2_000, 100_000)
    if not (shape == "block-map" and levels > 2_000)  # its text grows with the square
]


@pytest.mark.parametrize(("shape", "levels"), DEEP)
def test_deep_nesting_is_refused_with_its_line(reader: str, shape: str, levels: int) -> None:
    """2,000 (or 100,000) nested levels give a SpecError with a line, not a RecursionError."""
    text = SHAPES[shape](levels)
    started = time.perf_counter()
    with pytest.raises(SpecError) as caught:
        parse_yaml(text, "p.yaml")
    problem = caught.value.problems[0]
    assert problem.file == "p.yaml" and problem.line is not None
    assert f"nest more than {MAX_DEPTH} levels deep" in problem.message
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_nesting_up_to_the_bound_is_read(reader: str, shape: str) -> None:
    """Exactly MAX_DEPTH levels (the outer mapping included) are fine."""
    data, _lines, problems = parse_yaml(SHAPES[shape](MAX_DEPTH - 1), "p.yaml")
    assert problems == [] and isinstance(data, dict)


def test_aliases_that_nest_too_deep_are_refused(reader: str) -> None:
    """Depth counts after expansion: each alias level below adds its anchor's depth."""
    lines = ["l0: &l0 [[[[[[[[[[1]]]]]]]]]]"]
    lines += [f"l{i}: &l{i} [[[[[[[[[[*l{i - 1}]]]]]]]]]]" for i in range(1, 8)]
    with pytest.raises(SpecError, match=r"p.yaml:\d+: invalid YAML: mappings and lists nest"):
        load_yaml_text("\n".join(lines) + "\n", "p.yaml")


LAUGHS = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9)).replace(
    "l1: &l1 [*l0", 'l0: &l0 "lol"\nl1: &l1 [*l0'
)


def test_billion_laughs_is_refused_quickly(reader: str) -> None:
    """Nine levels of nine aliases (43 million nodes) are refused without expanding them."""
    started = time.perf_counter()
    with pytest.raises(SpecError) as caught:
        parse_yaml(LAUGHS, "p.yaml")
    assert time.perf_counter() - started < 5
    assert "aliases expand this to" in caught.value.problems[0].message
    assert caught.value.problems[0].line is not None


def test_large_document_without_aliases_is_read() -> None:
    """Size alone is never an alias problem: 30,000 list items with no alias load."""
    text = "items:\n" + "".join(f"  - {{id: R-{i}, title: t{i}}}\n" for i in range(30_000))
    data, _ = load_yaml_text(text, "p.yaml")
    assert len(data["items"]) == 30_000


def test_alias_reuse_within_the_allowance_is_read() -> None:
    """Anchors reused for up to ALIAS_FLOOR nodes (whatever the factor) are expanded."""
    items = ", ".join(["x"] * 99)
    uses = ", ".join(["*a"] * (ALIAS_FLOOR // 100 - 1))
    data, _ = load_yaml_text(f"a: &a [{items}]\nb: [{uses}]\n", "p.yaml")
    assert len(data["b"]) == ALIAS_FLOOR // 100 - 1


def test_twenty_thousand_requirements_load() -> None:
    """A project of 20,000 requirements (3.5 MB, no alias) validates."""
    text = "requirements:\n" + "".join(
        f"  - id: R-{i:05d}\n    title: 需求 {i}\n    description: 第 {i} 项\n    priority: must\n"
        for i in range(20_000)
    )
    project = parse_project(text, "project.yaml")
    assert len(project.requirements) == 20_000


def test_recursive_alias_is_refused(reader: str) -> None:
    """An anchor whose value refers to itself is a problem with its line."""
    with pytest.raises(SpecError, match=r"p.yaml:1: invalid YAML: an alias refers to itself"):
        parse_yaml("a: &x [1, *x]\n", "p.yaml")


# files ------------------------------------------------------------------------------------


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO as project.yaml is refused at once instead of waiting for a writer."""
    fifo = tmp_path / "project.yaml"
    os.mkfifo(fifo)
    with pytest.raises(SpecError, match=r"project\.yaml: is not a regular file"):
        load_project(fifo)


def test_device_is_refused(tmp_path: Path) -> None:
    """A link to /dev/zero is not read (it would never end)."""
    link = tmp_path / "change.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(SpecError, match="is not a regular file"):
        parse_change_file(link)


def test_file_over_the_size_bound_is_refused(tmp_path: Path) -> None:
    """A sparse file larger than MAX_FILE_BYTES is refused after reading only the bound."""
    big = tmp_path / "project.yaml"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(SpecError, match="is larger than 32 MiB"):
        load_project(big)


def test_read_limited_reads_a_regular_file(tmp_path: Path) -> None:
    """Below the bound the bytes come back unchanged."""
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\n")
    assert read_limited(path, "x.yaml") == b"a: 1\n"


# error listings ---------------------------------------------------------------------------


def test_spec_error_lists_twenty_and_counts_the_rest() -> None:
    """1,001 problems: 20 listed, the message and the JSON say how many more there were."""
    error = SpecError([Problem(f"bad {i}", "p.yaml", i + 1) for i in range(1001)])
    assert len(error.problems) == MAX_LISTED and error.unlisted == 981
    assert error.message.endswith("(and 1,000 more problems; the first 20 are listed)")
    data = error.to_dict()
    assert len(data["problems"]) == MAX_LISTED and data["unlisted"] == 981
    assert len(str(error).splitlines()) == MAX_LISTED


def test_spec_error_pickles_whole() -> None:
    """A SpecError raised in a worker process arrives with its problems."""
    error = SpecError([Problem("bad", "p.yaml", 3, "a.b")])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and copy.message == error.message
    assert copy.exit_code == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("\x00" * 1000, 1, id="one-line-of-nul"),
        pytest.param("\x00\n" * 1000, MAX_LISTED + 1, id="thousand-lines-of-nul"),
        pytest.param("".join(f"a{i}: b\x01c\x02\n" for i in range(5)), 5, id="five-lines"),
    ],
)
def test_garbage_gives_a_short_listing(text: str, expected: int) -> None:
    """Control characters give one problem per line, at most 20 lines plus a count."""
    _data, _lines, problems = parse_yaml(text, "p.yaml")
    assert len(problems) == expected
    if expected > MAX_LISTED:
        assert problems[-1].message == (
            f"and {1000 - MAX_LISTED} more line(s) with control characters documents cannot hold"
        )


def test_a_megabyte_of_nul_is_quick() -> None:
    """Finding the lines of a large garbage file takes linear time."""
    started = time.perf_counter()
    _data, _lines, problems = parse_yaml("\x00" * 999 + "\n" + "\x00\n" * 500_000, "p.yaml")
    assert time.perf_counter() - started < 5
    assert "(999 such characters on this line)" in problems[0].message


def test_an_int_too_long_for_python_is_text() -> None:
    """A 5,000-digit number does not crash the reader; the model then refuses it."""
    data, _ = load_yaml_text("n: " + "1" * 5000 + "\n", "p.yaml")
    assert data["n"] == "1" * 5000
    with pytest.raises(SpecError, match="must be less than"):
        parse_project("contract:\n  amount: " + "1" * 5000 + "\n", "project.yaml")


def test_deep_change_text_is_refused(reader: str) -> None:
    """The change-file parser shares the bound."""
    with pytest.raises(SpecError, match=r"c.yaml:3: invalid YAML: mappings and lists nest"):
        parse_change_text("title: t\nreason: r\nrisks: " + "[" * 3000 + "]" * 3000, "c.yaml")


@pytest.mark.parametrize(
    ("length", "refused"),
    [
        pytest.param(MAX_TEXT_CHARS, False, id="at-bound"),
        pytest.param(MAX_TEXT_CHARS + 1, True, id="over"),
    ],
)
def test_one_value_holds_at_most_twenty_thousand_characters(length: int, refused: bool) -> None:
    """A huge value would take the PDF renderer minutes: it is refused with its path."""
    text = "requirements:\n  - id: R-1\n    title: " + "需" * length + "\n"
    if not refused:
        assert len(parse_project(text, "project.yaml").requirements[0].title) == length
        return
    with pytest.raises(SpecError) as caught:
        parse_project(text, "project.yaml")
    assert str(caught.value) == (
        f"project.yaml:3: requirements[0].title: is {length:,} characters long; a value may "
        "hold at most 20,000 (about ten printed pages)"
    )
