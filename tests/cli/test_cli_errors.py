"""Bad input: one clear sentence, the documented exit code, and nothing changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "  code: HIS-2026", "  code: HIS-2026\n  colour: red", "未知字段", id="unknown-key"
        ),
        pytest.param("  signed_on: 2026-", "  signed_on: 2026-13-45 #", "不是日期", id="bad-date"),
        pytest.param("locale: zh-CN", "locale: [zh-CN", "project.yaml:", id="broken-yaml"),
        pytest.param("  amount:", "  amount: [1, 2] #", "contract.amount", id="wrong-type"),
    ],
)
def test_invalid_project_yaml_exits_4_and_changes_nothing(
    example_workspace: Path,
    docflow: Callable[..., Any],
    tree_snapshot: Callable[[Path], dict[str, bytes]],
    old: str,
    new: str,
    expected: str,
) -> None:
    ws = example_workspace
    project = ws / "project.yaml"
    text = project.read_text("utf-8")
    assert old in text, old
    project.write_text(text.replace(old, new, 1), "utf-8")
    before = tree_snapshot(ws)
    for args in (("status",), ("advance",), ("advance", "--json")):
        r = docflow(*args, cwd=ws)
        assert r.code == 4, (args, r.err)
        assert "project.yaml:" in r.err and expected in r.err
        assert "Traceback" not in r.err
    assert tree_snapshot(ws) == before


def test_duplicate_requirement_id_exits_4(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    project = example_workspace / "project.yaml"
    text = project.read_text("utf-8")
    first = text.index("- id: ", text.index("requirements:"))
    second = text.index("- id: ", first + 1)
    line = text[second : text.index("\n", second)]
    first_id = text[first : text.index("\n", first)].split(":", 1)[1]
    project.write_text(text.replace(line, "- id:" + first_id, 1), "utf-8")
    r = docflow("status", cwd=example_workspace)
    assert r.code == 4 and "duplicate" in r.err.lower()


def test_unknown_trigger_is_usage_error(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    r = docflow("advance", "launch_rocket", "--json", cwd=example_workspace)
    assert r.code == 2
    assert r.json()["error"] == "usage" and "launch_rocket" in r.json()["message"]


def test_trigger_from_wrong_state_is_conflict(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    r = docflow("advance", "accept", cwd=example_workspace)
    assert r.code == 5 and "contract.drafting" in r.err


def test_unknown_document_is_invalid(example_workspace: Path, docflow: Callable[..., Any]) -> None:
    r = docflow("sign", "XX-9", "--party", "client", "--signer", "A", cwd=example_workspace)
    assert r.code == 4 and "XX-9" in r.err


def test_skeleton_status_works_and_advance_is_blocked(
    tmp_path: Path, docflow: Callable[..., Any]
) -> None:
    ws = tmp_path / "acme-erp"
    assert docflow("init", str(ws)).code == 0
    text = (ws / "project.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert docflow("status", cwd=ws).code == 0
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 3
    body = r.json()
    assert body["error"] == "blocked"
    paths = {b["path"] for b in body["blockers"]}
    assert {"contract.number", "contract.amount", "risks"} <= paths
    assert "contract.number" in r.err


def test_init_twice_is_conflict(example_workspace: Path, docflow: Callable[..., Any]) -> None:
    r = docflow("init", str(example_workspace), "--example")
    assert r.code == 5 and "already" in r.err


def test_outside_a_workspace_is_usage_error(tmp_path: Path, docflow: Callable[..., Any]) -> None:
    r = docflow("status", cwd=tmp_path)
    assert r.code == 2 and "docflow init" in r.err


def test_blocked_step_reports_every_blocker(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    ws = example_workspace
    project = ws / "project.yaml"
    text = project.read_text("utf-8")
    import re

    text = re.sub(r"(?m)^(  number:).*$", r'\1 ""', text, count=1)
    text = re.sub(r"(?m)^(  scope:).*$", r'\1 ""', text, count=1)
    project.write_text(text, "utf-8")
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 3
    paths = [b["path"] for b in r.json()["blockers"]]
    assert "contract.number" in paths and "contract.scope" in paths


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (("advance", "nope", "--json"), 2, "usage"),
        (("sign", "XX-9", "--party", "client", "--signer", "A", "--json"), 4, "invalid"),
        (("change", "approve", "CR-1", "--json"), 5, "conflict"),
        (("frobnicate",), 2, None),
    ],
    ids=["unknown-trigger", "unknown-document", "wrong-state", "unknown-command"],
)
def test_exit_codes_of_a_real_process(
    example_workspace: Path,
    docflow_process: Callable[..., Any],
    args: tuple[str, ...],
    code: int,
    error: str | None,
) -> None:
    r = docflow_process(*args, cwd=example_workspace)
    assert r.code == code, r.err
    assert "Traceback" not in r.err and r.err.strip()
    if error is not None:
        assert r.json()["error"] == error


# Bounds on input: each through the command, with exit code, message and nothing changed --


def _replace_requirements(project: Path, items: str) -> None:
    """Swap the requirements section of a project.yaml for ``items`` (YAML list lines)."""
    lines = project.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("requirements:"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\n", "#"))
    project.write_text("".join(lines[: start + 1]) + items + "".join(lines[end:]), "utf-8")


def _into_block(template: Path, block: str, text: str) -> None:
    """Put ``text`` at the start of ``block`` of a copied template; the block must be there,
    so that the edit cannot silently miss."""
    opening = "{% block " + block + " %}"
    source = template.read_text("utf-8")
    assert opening in source, f"{template.name} has no {opening}"
    template.write_text(source.replace(opening, opening + text, 1), "utf-8")


def _generated(count: int) -> str:
    kinds = ("functional", "non_functional", "interface")
    return "".join(
        f"  - id: R-{i:05d}\n    title: 需求 {i}\n    type: {kinds[i % 3]}\n    priority: must\n"
        "    verification: test\n"
        for i in range(1, count + 1)
    )


def test_twenty_thousand_requirements_load(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    """A project far past the old alias-count limit (about 700 requirements) loads."""
    _replace_requirements(example_workspace / "project.yaml", _generated(20_000))
    r = docflow("status", "--json", cwd=example_workspace)
    assert r.code == 0, r.err
    assert r.json()["state"] == "contract.drafting"


def test_a_thousand_requirement_memo_is_issued(tmp_path: Path, docflow: Callable[..., Any]) -> None:
    """The requirement memo of 1,000 requirements is issued, in both files."""
    from docflow.app.demo import walk
    from docflow.app.init import init_workspace
    from docflow.runtime.workspace import Workspace

    ws = tmp_path / "big"
    init_workspace(ws, example=True, actor="tester")
    walk(Workspace(ws), actor="tester", say=lambda _m: None, until="survey.in_progress")
    _replace_requirements(ws / "project.yaml", _generated(1000))
    r = docflow("advance", "issue_requirement_memo", "--json", cwd=ws)
    assert r.code == 0, r.err
    (memo,) = r.json()["documents"]
    assert (ws / memo["files"]["pdf"]).stat().st_size > 100_000
    assert (ws / memo["files"]["docx"]).stat().st_size > 20_000


LAUGHS = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9)).replace(
    "l1: &l1 [*l0", 'l0: &l0 "lol"\nl1: &l1 [*l0'
)
HOSTILE_YAML = {
    "alias-bomb": (LAUGHS, "project.yaml:6: invalid YAML: aliases expand this to 66,430 nodes"),
    "deep-flow": (
        "locale: zh-CN\nmemo:\n  assumptions: " + "[" * 3000 + "]" * 3000 + "\n",
        # its locale: line asks for Chinese, and the parser's detail stays as it reads
        "project.yaml:3: YAML 格式错误：mappings and lists nest more than 64 levels deep",
    ),
    "deep-block": (
        "memo:\n  assumptions:\n" + "".join(" " * (i + 3) + "-\n" for i in range(2000)),
        "project.yaml:65: invalid YAML: mappings and lists nest more than 64 levels deep",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE_YAML), ids=list(HOSTILE_YAML))
def test_hostile_project_yaml_exits_4_with_its_line(
    example_workspace: Path,
    docflow: Callable[..., Any],
    tree_snapshot: Callable[[Path], dict[str, bytes]],
    case: str,
) -> None:
    """An alias bomb or 2,000+ levels of nesting: exit 4, file and line, nothing changed."""
    text, expected = HOSTILE_YAML[case]
    (example_workspace / "project.yaml").write_text(text, "utf-8")
    before = tree_snapshot(example_workspace)
    for args in (("status",), ("advance",), ("render",)):
        r = docflow(*args, cwd=example_workspace)
        assert r.code == 4, (args, r.err)
        assert r.err.startswith(f"docflow: {expected}") and "Traceback" not in r.err
    r = docflow("status", "--json", cwd=example_workspace)
    assert r.json()["problems"][0]["line"] == int(expected.split(":")[1])
    assert tree_snapshot(example_workspace) == before


def test_deep_workflow_file_exits_4(tmp_path: Path, docflow: Callable[..., Any]) -> None:
    """A workflow definition nested 3,000 levels deep is refused with its line."""
    path = tmp_path / "deep.yaml"
    path.write_text("name: x\nstates:\n" + "".join(" " * (i + 2) + "k:\n" for i in range(3000)))
    r = docflow("workflow", "validate", str(path))
    assert r.code == 4 and "deep.yaml:66: invalid YAML: mappings and lists nest" in r.err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            "title: t\nreason: r\nrisks: " + "[" * 3000 + "]" * 3000 + "\n",
            ":3: invalid YAML: mappings and lists nest more than 64 levels deep",
            id="deep-flow",
        ),
        pytest.param("title: t\nreason: r\ncost: .inf\n", ":3: cost: must be a finite", id="inf"),
        pytest.param("title: t\nreason: r\ncost: 1e30\n", ":3: cost: must be less than", id="1e30"),
        pytest.param(
            "title: t\nreason: r\ncost: 12.345\n", ":3: cost: must have at most 2", id="3-places"
        ),
        pytest.param(None, "is not a regular file", id="fifo"),
    ],
)
def test_bad_change_file_exits_4(
    confirmed_copy: Path,
    docflow: Callable[..., Any],
    tree_snapshot: Callable[[Path], dict[str, bytes]],
    content: str | None,
    expected: str,
) -> None:
    """``change new --file``: deep YAML, bad costs and FIFOs are exit 4; no request is filed."""
    import os

    path = confirmed_copy.parent / "change.yaml"
    if content is None:
        os.mkfifo(path)
    else:
        path.write_text(content, "utf-8")
    before = tree_snapshot(confirmed_copy)
    # In English: the example speaks Chinese (tests/cli/test_cli_lang_more.py reads that).
    r = docflow("--lang", "en", "change", "new", "--file", str(path), cwd=confirmed_copy)
    assert r.code == 4, r.err
    assert expected in r.err and str(path) in r.err
    assert tree_snapshot(confirmed_copy) == before


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("-1", "must not be negative, not -1", id="negative"),
        pytest.param("1e309", "must be less than 10,000,000,000,000, not 1e309", id="1e309"),
        pytest.param("1e30", "must be less than 10,000,000,000,000, not 1e30", id="1e30"),
        pytest.param(".nan", "must be a finite amount", id="nan"),
        pytest.param(".inf", "must be a finite amount", id="infinity"),
        pytest.param("1200500.005", "must have at most 2 decimal places", id="three-places"),
    ],
)
def test_bad_contract_amount_exits_4_at_load(
    example_workspace: Path,
    docflow: Callable[..., Any],
    tree_snapshot: Callable[[Path], dict[str, bytes]],
    value: str,
    expected: str,
) -> None:
    """Amounts that used to crash rendering are refused when project.yaml is read."""
    project = example_workspace / "project.yaml"
    text = project.read_text("utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("  amount:"))
    lines = text.splitlines(keepends=True)
    lines[line - 1] = f"  amount: {value}\n"
    project.write_text("".join(lines), "utf-8")
    before = tree_snapshot(example_workspace)
    for args in (("status",), ("advance",)):
        r = docflow(*args, cwd=example_workspace)
        assert r.code == 4, r.err
        assert r.err.startswith(f"docflow: project.yaml:{line}: contract.amount: {expected}")
        assert len(r.err.splitlines()) == 1
    assert tree_snapshot(example_workspace) == before


@pytest.mark.parametrize(
    ("cost", "expected"),
    [
        pytest.param("1e309", "is not an amount (write e.g. 48000", id="exponent"),
        pytest.param("10000000000000", "is not below 10,000,000,000,000", id="too-large"),
        pytest.param("1,000,000,000,000,000", "is not below 10,000,000,000,000", id="grouped"),
    ],
)
def test_bad_cost_flag_exits_4(
    confirmed_copy: Path, docflow: Callable[..., Any], cost: str, expected: str
) -> None:
    """``--cost`` takes an amount as people write it, bounded as a change file's cost is."""
    r = docflow(
        "change", "new", "--title", "t", "--reason", "r", "--cost", cost, cwd=confirmed_copy
    )
    assert r.code == 4, r.err
    assert r.err.startswith(f"docflow: --cost {cost!r} {expected}")
    assert docflow("change", "list", "--json", cwd=confirmed_copy).json() == []


@pytest.mark.parametrize(
    ("garbage", "listed"),
    [
        pytest.param("\x00" * 1000, 1, id="one-line"),
        pytest.param("\x00\n" * 1000, 21, id="thousand-lines"),
    ],
)
def test_garbage_project_yaml_gives_a_short_error(
    example_workspace: Path,
    docflow: Callable[..., Any],
    tree_snapshot: Callable[[Path], dict[str, bytes]],
    garbage: str,
    listed: int,
) -> None:
    """An all-NUL project.yaml: at most 20 problems listed plus a count, in text and JSON."""
    (example_workspace / "project.yaml").write_text(garbage, "utf-8")
    before = tree_snapshot(example_workspace)
    r = docflow("status", cwd=example_workspace)
    assert r.code == 4
    assert len(r.err.splitlines()) <= 22
    assert r.err.startswith("docflow: project.yaml:1: contains the control character U+0000")
    body = docflow("status", "--json", cwd=example_workspace).json()
    assert len(body["problems"]) == min(listed, 20)
    assert body["unlisted"] == max(listed - 20, 0)
    assert tree_snapshot(example_workspace) == before


def test_bidi_controls_do_not_reach_the_documents(
    tmp_path: Path, docflow: Callable[..., Any]
) -> None:
    """An override in a requirement title: both issued files show the stored order."""
    import io
    import zipfile

    import pypdf

    from docflow.app.demo import walk
    from docflow.app.init import init_workspace
    from docflow.runtime.workspace import Workspace

    ws = tmp_path / "bidi"
    init_workspace(ws, example=True, actor="tester")
    walk(Workspace(ws), actor="tester", say=lambda _m: None, until="survey.in_progress")
    project = ws / "project.yaml"
    text = project.read_text("utf-8")
    project.write_text(text.replace("title: 门诊挂号与预约", 'title: "金额\\u202e005\\u202c元"', 1))
    r = docflow("advance", "issue_requirement_memo", "--json", cwd=ws)
    assert r.code == 0, r.err
    files = r.json()["documents"][0]["files"]
    with zipfile.ZipFile(ws / files["docx"]) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    pdf = "".join(
        p.extract_text()
        for p in pypdf.PdfReader(io.BytesIO((ws / files["pdf"]).read_bytes())).pages
    )
    # What a reader sees of the DOCX: the text of its runs, in which the word joiners that keep
    # a short table cell on one line read as nothing.
    words = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))
    for raw, text_of_file in ((xml, words), (pdf, pdf)):
        assert "\u202e" not in raw and "\u202c" not in raw
        assert "金额005元" in "".join(text_of_file.replace("\u2060", "").split())


def test_linked_template_outside_is_refused(
    tmp_path: Path,
    docflow: Callable[..., Any],
    tree_snapshot: Callable[[Path], dict[str, bytes]],
) -> None:
    """A copied template including a link to /etc/passwd: exit 4 naming the file, nothing
    issued, and no file of the workspace holds the secret."""
    from docflow.app.demo import walk
    from docflow.app.init import init_workspace
    from docflow.runtime.workspace import Workspace

    ws = tmp_path / "leak"
    init_workspace(ws, example=True, actor="tester")
    walk(Workspace(ws), actor="tester", say=lambda _m: None, until="survey.in_progress")
    secret = tmp_path / "secret.txt"
    secret.write_text("<p>root:x:0:0:secret</p>", "utf-8")
    assert docflow("templates", "copy", "requirement_memo", cwd=ws).code == 0
    memo = ws / "templates" / "zh-CN" / "requirement_memo.html.j2"
    _into_block(memo, "intro", '{% include "zh-CN/x.html.j2" %}')
    (ws / "templates" / "zh-CN" / "x.html.j2").symlink_to(secret)
    before = tree_snapshot(ws)
    for args in (
        ("advance", "issue_requirement_memo"),
        ("advance", "issue_requirement_memo", "--json"),
    ):
        r = docflow(*args, cwd=ws)
        assert r.code == 4, r.err
        assert "zh-CN/requirement_memo.html.j2:" in r.err
        assert "x.html.j2 leads outside the template folders" in r.err
    assert r.json()["error"] == "template"
    assert tree_snapshot(ws) == before
    issued = {k: v for k, v in before.items() if not k.startswith("templates")}
    assert not any(b"root:x:0:0" in data for data in issued.values())


BROKEN_MACROS = "{%- set _ = nope.value -%}\n"


def _break_macros(ws: Path) -> None:
    """A workspace copy of _macros.html.j2 (used by every kind) that fails at its line 1."""
    from docflow.resources import data_path

    local = ws / "templates"
    local.mkdir(exist_ok=True)
    source = (data_path("doc_templates") / "_macros.html.j2").read_text("utf-8")
    (local / "_macros.html.j2").write_text(BROKEN_MACROS + source, "utf-8")


TEMPLATE_ERROR = "_macros.html.j2:1: undefined variable: 'nope' is undefined"


def test_a_broken_template_is_exit_4_everywhere(
    confirmed_copy: Path,
    docflow: Callable[..., Any],
    tree_snapshot: Callable[[Path], dict[str, bytes]],
) -> None:
    """advance, render (one process or a pool) and change approve report the same error."""
    ws = confirmed_copy
    for n in (1, 2, 3):
        r = docflow(
            "change",
            "new",
            "--title",
            f"c{n}",
            "--reason",
            "r",
            "--adds",
            f"a{n}",
            "--description",
            f"what a{n} does",
            cwd=ws,
        )
        assert r.code == 0, r.err
    for cr in ("CR-1", "CR-2"):
        assert docflow("change", "approve", cr, cwd=ws).code == 0
    _break_macros(ws)
    before = tree_snapshot(ws)
    for args in (
        ("advance", "plan_deployment"),
        ("render",),
        ("render", "--jobs", "1"),
        ("render", "--jobs", "2"),
        ("render", "CA-2", "--jobs", "2"),
        ("change", "approve", "CR-3"),
    ):
        r = docflow(*args, cwd=ws)
        assert r.code == 4, (args, r.err)
        assert TEMPLATE_ERROR in r.err + r.out, (args, r.err, r.out)
        assert "Traceback" not in r.err
    r = docflow("render", "--jobs", "2", "--json", cwd=ws)
    assert r.code == 4
    failed = r.json()["failed"]
    assert {f["id"] for f in failed} == {"CA-1", "CA-2"}
    assert all(f["error"] == "template" and TEMPLATE_ERROR in f["message"] for f in failed)
    assert tree_snapshot(ws) == before


def test_batch_render_reports_template_errors_as_exit_4(
    tmp_path: Path, docflow: Callable[..., Any]
) -> None:
    """``projects render --jobs 2``: a project whose template breaks makes the batch exit 4."""
    from docflow.app.demo import walk
    from docflow.app.init import init_workspace
    from docflow.runtime.workspace import Workspace

    store = f"sqlite:///{tmp_path / 'shared.db'}"
    for code in ("FINE", "BROKEN"):
        ws = tmp_path / code
        init_workspace(ws, example=True, code=code, store_url=store, actor="tester")
        walk(
            Workspace(ws),
            store_url=store,
            actor="tester",
            say=lambda _m: None,
            until="survey.planned",
        )
    _break_macros(tmp_path / "BROKEN")
    r = docflow("--store", store, "projects", "render", "--jobs", "2", "--json")
    assert r.code == 4, r.err
    report = {p["code"]: p for p in r.json()["projects"]}
    assert report["FINE"]["failed"] == [] and report["FINE"]["error"] is None
    (failure,) = report["BROKEN"]["failed"]
    assert failure["error"] == "template" and TEMPLATE_ERROR in failure["message"]
    assert r.json()["summary"]["exit_code"] == 4


def test_a_runaway_template_is_stopped(
    tmp_path: Path, docflow: Callable[..., Any], tree_snapshot: Callable[[Path], dict[str, bytes]]
) -> None:
    """Nested loops in a workspace template fail with exit 4 and the template's line; the
    bound is configurable."""
    from docflow.app.demo import walk
    from docflow.app.init import init_workspace
    from docflow.runtime.workspace import Workspace

    ws = tmp_path / "loops"
    init_workspace(ws, example=True, actor="tester")
    walk(Workspace(ws), actor="tester", say=lambda _m: None, until="survey.in_progress")
    assert docflow("templates", "copy", "requirement_memo", cwd=ws).code == 0
    memo = ws / "templates" / "zh-CN" / "requirement_memo.html.j2"
    loops = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    _into_block(memo, "intro", loops)
    before = tree_snapshot(ws)
    r = docflow(
        "advance", "issue_requirement_memo", cwd=ws, env={"DOCFLOW_TEMPLATE_MAX_STEPS": "100000"}
    )
    assert r.code == 4, r.err
    assert "zh-CN/requirement_memo.html.j2:" in r.err and "more than 100,000 steps" in r.err
    assert tree_snapshot(ws) == before
