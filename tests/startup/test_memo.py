"""`docflow status` and `docflow log` answer again from the user's cache folder while nothing
they depend on changed, without loading the pydantic models and without writing into the
workspace, and work the answer out afresh as soon as anything did: project.yaml, the
templates, the store's rows or schema, the environment."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Any


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (docflow processes inherit it)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


PROBE = """
import json, sys
from docflow.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "models": "pydantic" in sys.modules}), file=sys.stderr)
"""


def _probe(ws: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, bool, str]:
    """(exit code, whether pydantic was loaded, stdout) of one docflow command."""
    import os

    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")},
            "DOCFLOW_ACTOR": "tester",
            **(env or {}),
        },
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report["code"], report["models"], proc.stdout


@pytest.mark.parametrize("command", ["status", "log"])
def test_the_same_answer_without_the_models(
    command: str, example_workspace: Path, tree_snapshot: Callable[[Path], dict[str, bytes]]
) -> None:
    """The second run prints the same bytes and never loads pydantic; the workspace is left
    as it was."""
    from docflow.app.memo import memo_file

    before = tree_snapshot(example_workspace)
    code, loaded, first = _probe(example_workspace, command, "--json")
    assert (code, loaded) == (0, True)

    code, loaded, second = _probe(example_workspace, command, "--json")

    assert (code, loaded) == (0, False)
    assert second == first
    assert tree_snapshot(example_workspace) == before
    path = memo_file(example_workspace)
    assert path is not None and json.loads(path.read_text("utf-8"))


def _edit_project(ws: Path) -> None:
    text = (ws / "project.yaml").read_text("utf-8")
    old = "  name: 市第一人民医院医院信息系统（HIS）建设项目\n"
    assert old in text
    (ws / "project.yaml").write_text(text.replace(old, old.replace("建设", "二期建设")), "utf-8")


def _add_template(ws: Path) -> None:
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "extra.css").write_text("p {}\n", "utf-8")


def _bump_version(ws: Path) -> None:
    with sqlite3.connect(ws / ".docflow" / "docflow.db") as conn:
        conn.execute("UPDATE projects SET version = version + 1")


def _damage_memo(ws: Path) -> None:
    from docflow.app.memo import memo_file

    path = memo_file(ws)
    assert path is not None and path.is_file()
    path.write_text("{not json", "utf-8")


@pytest.mark.parametrize(
    ("change", "expect"),
    [
        (_edit_project, lambda v: "二期建设项目" in v["project"]["name"]),
        (_add_template, lambda v: v["version"] == 1),
        (_bump_version, lambda v: v["version"] == 2),
        (_damage_memo, lambda v: v["version"] == 1),
    ],
    ids=["project-yaml", "template-added", "store-row", "memo-damaged"],
)
def test_any_change_is_seen(
    change: Callable[[Path], None], expect: Callable[[Any], bool], example_workspace: Path
) -> None:
    """After a change to what status depends on, the answer is worked out afresh."""
    assert _probe(example_workspace, "status", "--json")[0] == 0
    change(example_workspace)

    code, loaded, out = _probe(example_workspace, "status", "--json")

    assert (code, loaded) == (0, True)
    assert expect(json.loads(out))


def test_errors_are_never_remembered(example_workspace: Path, docflow: Callable[..., Run]) -> None:
    """A project.yaml that no longer validates, a store at another schema revision, or a
    template folder from the environment: the command answers as it would without a memo."""
    assert docflow("status", cwd=example_workspace).code == 0
    assert docflow("log", cwd=example_workspace).code == 0
    project = example_workspace / "project.yaml"
    good = project.read_text("utf-8")
    project.write_text(good + "unknown_field: 1\n", "utf-8")
    for command in ("status", "log"):
        assert docflow(command, cwd=example_workspace).code == 4
    project.write_text(good, "utf-8")

    missing = example_workspace / "no-such-templates"
    code, loaded, _ = _probe(
        example_workspace, "status", "--json", env={"DOCFLOW_TEMPLATES": str(missing)}
    )
    assert (code, loaded) == (0, True)

    with sqlite3.connect(example_workspace / ".docflow" / "docflow.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    result = docflow("log", cwd=example_workspace)
    assert result.code == 1 and "9999_future" in result.err


def test_an_edited_event_is_not_answered_from_the_memo(example_workspace: Path) -> None:
    """The chain behind the rows is part of the key: an event edited by hand makes status
    check the rows against it again and refuse (exit 6), as it would without a memo."""
    assert _probe(example_workspace, "status", "--json")[:2] == (0, True)
    with sqlite3.connect(example_workspace / ".docflow" / "docflow.db") as conn:
        conn.execute(
            "UPDATE events SET data = replace(data, '\"state\"', '\"State\"') "
            "WHERE seq = (SELECT max(seq) FROM events)"
        )

    code, loaded, _ = _probe(example_workspace, "status", "--json")

    assert (code, loaded) == (6, True)


@pytest.mark.parametrize(
    "env",
    [{"DOCFLOW_TODAY": "2031-01-01"}, {"DOCFLOW_TEMPLATE_MAX_STEPS": "1000000"}],
    ids=["another-day", "docflow-variable"],
)
def test_another_day_or_setting_is_worked_out_afresh(
    env: dict[str, str], example_workspace: Path
) -> None:
    """Today's date (signatures awaited since, deadlines) and every DOCFLOW_ variable are in
    the key."""
    assert _probe(example_workspace, "status", "--json")[:2] == (0, True)
    assert _probe(example_workspace, "status", "--json")[:2] == (0, False)

    assert _probe(example_workspace, "status", "--json", env=env)[:2] == (0, True)


def test_a_letterhead_outside_the_workspace_is_seen(
    example_workspace: Path, tmp_path: Path
) -> None:
    """A company-wide letterhead in the user's config folder appearing is a change."""
    config = tmp_path / "config"
    env = {"XDG_CONFIG_HOME": str(config)}
    assert _probe(example_workspace, "status", "--json", env=env)[:2] == (0, True)
    (config / "docflow").mkdir(parents=True)
    (config / "docflow" / "letterhead.yaml").write_text("company: 示例\n", "utf-8")

    assert _probe(example_workspace, "status", "--json", env=env)[:2] == (0, True)


def test_a_filtered_log_is_never_kept(example_workspace: Path) -> None:
    """Only the whole trail is kept; a filtered one is read afresh each time."""
    for _ in range(2):
        assert _probe(example_workspace, "log", "--limit", "2", "--json")[:2] == (0, True)
