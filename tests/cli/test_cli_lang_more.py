"""Every command a PM runs speaks the project's language, or the one chosen with ``--lang``.

One skeleton project per locale (``docflow init``, filled in, walked to the confirmed
requirements) gets a change request, a meeting, an objection, a report and two bundles once
per module; then each command's text is read in the project's language and in the other
one, and its JSON is the same in both. Usage errors, validation problems and the tables of
words are read the same way.
"""

from __future__ import annotations

import re
import shutil
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pm_helpers import edit_project, skeleton_at, skeleton_states

__all__ = ["skeleton_at", "skeleton_states"]  # fixtures used by name

Run = Any  # tests/conftest.py's Run: code, out, err, json()
Docflow = Callable[..., Run]
# The projects made once per module, by locale.
_MADE: dict[str, tuple[Path, dict[str, Run]]] = {}

STATE = "survey.confirmed"
OTHER = {"zh-CN": "en", "en": "zh-CN"}

MINUTES = {
    "title": "Weekly meeting",
    "date": "2026-04-09",
    "place": "Room 1",
    "participants": {"client": [{"name": "Ann", "role": "IT"}], "vendor": ["Vic"]},
    "topics": ["Progress"],
    "decisions": [{"text": "Go on as planned."}],
    "action_items": [
        {"party": "client", "owner": "Ann", "due": "2026-04-20", "task": "Send the plan"}
    ],
}


def _ok(docflow: Docflow, ws: Path, *args: str, stdin: str | None = None) -> Run:
    r = docflow(*args, cwd=ws, input=stdin)
    assert r.code == 0, (args, r.err)
    return r


@pytest.fixture
def worked(
    skeleton_states: Callable[[str, str], Path],
    tmp_path_factory: pytest.TempPathFactory,
    docflow: Docflow,
) -> Callable[[str], tuple[Path, dict[str, Run]]]:
    """``get(locale)``: a skeleton project with a change request (priced, then another one
    rejected), a meeting, an objection to its minutes, a report, a legal and a client
    bundle and a dashboard account, made once per locale; and the text each of those
    commands printed, in the project's language."""
    made = _MADE

    def get(locale: str) -> tuple[Path, dict[str, Run]]:
        if locale in made:
            return made[locale]
        ws = tmp_path_factory.mktemp(f"lang-more-{locale}") / "ws"
        shutil.copytree(skeleton_states(locale, STATE), ws)
        minutes = ws.parent / "minutes.yaml"
        minutes.write_text(yaml.safe_dump(MINUTES, allow_unicode=True), "utf-8")
        said = {
            "change new": _ok(
                docflow,
                ws,
                *("change", "new", "--title", "Scan", "--reason", "Queues"),
                *("--adds", "Scan in", "--description", "Scan at the door", "--days", "3"),
            ),
            "change edit": _ok(docflow, ws, "change", "edit", "CR-1", "--cost", "48,000"),
            "change new 2": _ok(
                docflow,
                ws,
                *("change", "new", "--title", "Other", "--reason", "R", "--removes", "R-1"),
            ),
            "meeting new": _ok(docflow, ws, "meeting", "new", "--file", str(minutes)),
            "object": _ok(docflow, ws, "object", "MM-1", "--party", "client", "--reason", "late"),
            "report": _ok(docflow, ws, "report", "--week", "2026-W15"),
            "export legal": _ok(docflow, ws, "export", "legal", str(ws.parent / "legal.zip")),
            "export client": _ok(docflow, ws, "export", "client", "MM-1", str(ws.parent / "c.zip")),
            "user add": _ok(
                docflow, ws, "user", "add", "pm", "--password-stdin", stdin="pw-1234567890\n"
            ),
        }
        said["change reject"] = _ok(docflow, ws, "change", "reject", "CR-2", "--reason", "no")
        made[locale] = (ws, said)
        return made[locale]

    return get


# (command, what zh-CN prints, what English prints): each side's words never in the other.
SAID = [
    (
        "change new",
        ("CR-1 待决定：Scan", "（应当）", "影响：3 天"),
        ("CR-1 open: Scan", "(should)"),
    ),
    ("change edit", ("费用 48000.00",), ("cost 48000.00",)),
    ("change reject", ("CR-2 已拒绝",), ("CR-2 rejected",)),
    ("meeting new", ("待确认，异议期至", "期限 2026-04-20"), ("awaiting, objections until",)),
    ("object", ("MM-1 v1：甲方于", "提出异议：late", "修订："), ("objection by the client",)),
    ("report", ("PR-1 v1：2026-04-06 至 2026-04-12", "会议 1"), ("2026-04-06 to 2026-04-12",)),
    ("export legal", ("已写入", "附件 1 份", "已签署"), ("Wrote", "annex(es)")),
    ("export client", ("已写入", "文件 1 份", "MM-1 待甲方签署"), ("document(s)", "awaits")),
    ("user add", ("已创建账户 pm",), ("account pm created",)),
]


def _check(out: str, locale: str, zh: tuple[str, ...], en: tuple[str, ...]) -> None:
    must, never = (zh, en) if locale == "zh-CN" else (en, zh)
    for words in must:
        assert words in out, (words, out)
    for words in never:
        assert words not in out, (words, out)


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize(("command", "zh", "en"), SAID, ids=[c for c, _, _ in SAID])
def test_what_a_command_did_is_said_in_the_projects_language(
    worked: Callable[[str], tuple[Path, dict[str, Run]]],
    locale: str,
    command: str,
    zh: tuple[str, ...],
    en: tuple[str, ...],
) -> None:
    _ws, said = worked(locale)
    _check(said[command].out, locale, zh, en)


# (id, arguments, zh-CN words, English words, JSON too): read-only (or idempotent) commands.
READ = [
    ("projects", ("projects",), ("共 1 个项目", "下一步"), ("1 project(s)", "next step"), True),
    ("change-list", ("change", "list"), ("待决定", "已拒绝"), ("open", "rejected"), True),
    ("change-show", ("change", "show", "CR-1"), ("影响：", "费用"), ("impact:", "cost"), True),
    ("meeting-list", ("meeting", "list"), ("有异议（",), ("objected on",), True),
    ("verify", ("verify",), ("正常：事件",), ("ok: ", " events"), True),
    ("render", ("render",), ("重新生成 0 份",), ("0 re-rendered",), True),
    ("templates", ("templates", "list"), ("内置",), ("built-in",), True),
    ("links", ("links",), ("没有签署链接。",), ("No signing links.",), True),
    ("db-upgrade", ("db", "upgrade"), ("数据库结构已升级到版本",), ("schema at revision",), True),
    ("workflow-show", ("workflow", "show", "implementation"), ("项条件",), ("guard(s)",), False),
    (
        "doctor",
        ("doctor",),
        ("正常  cjk-font", "已安装中文字体", "数据库结构为最新", "各文件模板齐全"),
        ("ok  cjk-font", "a Chinese font is installed", "schema current", "template present"),
        True,
    ),
]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize(
    ("args", "zh", "en", "has_json"),
    [r[1:] for r in READ],
    ids=[r[0] for r in READ],
)
def test_commands_speak_the_projects_language_or_the_chosen_one(
    worked: Callable[[str], tuple[Path, dict[str, Run]]],
    locale: str,
    args: tuple[str, ...],
    zh: tuple[str, ...],
    en: tuple[str, ...],
    has_json: bool,
    docflow: Docflow,
) -> None:
    ws, _said = worked(locale)
    own = docflow(*args, cwd=ws)
    _check(own.out, locale, zh, en)
    other = docflow("--lang", OTHER[locale], *args, cwd=ws)
    assert other.code == own.code
    _check(other.out, OTHER[locale], zh, en)
    if has_json:
        plain = docflow(*args, "--json", cwd=ws)
        chosen = docflow("--lang", OTHER[locale], *args, "--json", cwd=ws)
        assert plain.code == chosen.code == own.code
        assert _steady(plain.json()) == _steady(chosen.json())


def _steady(data: Any) -> Any:
    """JSON without what changes from one run to the next (clock readings, timings)."""
    if isinstance(data, dict):
        return {k: _steady(v) for k, v in data.items() if k not in {"seconds", "checked_at"}}
    if isinstance(data, list):
        return [_steady(v) for v in data]
    return data


def test_a_held_document_and_a_translation_are_said_in_chinese(
    skeleton_at: Callable[[str, str], Path],
    docflow: Docflow,
) -> None:
    ws = skeleton_at("zh-CN", "survey.memo_issued")
    r = _ok(docflow, ws, "render", "SP-1", "--locale", "en")
    assert "SP-1 v1：参考译本（en，不具约束力；以 zh-CN 版本为准）" in r.out
    r = _ok(docflow, ws, "--lang", "en", "render", "SP-1", "--locale", "en")
    assert "convenience translation (en, not binding; the zh-CN version is)" in r.out


# (id, state, arguments, what zh-CN says, what English says)
REFUSALS = [
    (
        "change-state",
        "contract.drafting",
        ("change", "new", "--title", "x", "--reason", "y", "--adds", "z", "--description", "d"),
        "状态 contract.drafting 下不能提出变更申请",
        "change requests are not allowed in state contract.drafting",
    ),
    (
        "object-party",
        "survey.planned",
        ("object", "SP-1", "--party", "vendor", "--reason", "x"),
        "SP-1 不需要乙方签署",
        "SP-1 is not for the vendor to sign",
    ),
    (
        "object-signed",
        "survey.memo_issued",
        ("object", "SP-1", "--party", "client", "--reason", "x"),
        "SP-1 v1 已签署，无可异议",
        "SP-1 v1 is signed; there is nothing to object to",
    ),
]


@pytest.mark.parametrize(
    ("state", "args", "zh", "en"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_refusals_speak_the_projects_language(
    skeleton_at: Callable[[str, str], Path],
    docflow: Docflow,
    state: str,
    args: tuple[str, ...],
    zh: str,
    en: str,
) -> None:
    ws = skeleton_at("zh-CN", state)
    said = docflow(*args, cwd=ws)
    assert said.code in (4, 5) and zh in said.err and en not in said.err, said.err
    english = docflow("--lang", "en", *args, cwd=ws)
    assert english.code == said.code and en in english.err, english.err
    machine = docflow(*args, "--json", cwd=ws)
    assert en in machine.json()["message"], machine.out


# (id, arguments, what zh-CN says, what click says in English)
USAGE = [
    ("missing-argument", ("sign",), "错误：缺少参数 'DOC_ID'。", "Missing argument 'DOC_ID'"),
    (
        "no-such-option",
        ("docs", "--jsn"),
        "没有选项 --jsn（是否想输入 '--json'？）",
        "No such option",
    ),
    (
        "bad-party",
        ("sign", "SP-1", "--party", "x", "--signer", "A"),
        "'--party' 的值无效，可选：client（甲方）、vendor（乙方）",
        "Invalid value for '--party'",
    ),
    (
        "bad-choice",
        ("object", "SP-1", "--party", "x", "--reason", "r"),
        "'--party' 的值无效，可选：client、vendor",
        "Invalid value for '--party'",
    ),
    ("no-command", ("stauts",), "没有命令 'stauts'（是否想输入 'status'？）", "No such command"),
    ("no-sub", ("change", "aprove"), "没有命令 'aprove'（是否想输入 'approve'？）", "No such"),
    ("bad-date", ("actions", "--date", "2026"), "'--date' 应为日期（YYYY-MM-DD）", "Invalid value"),
    ("range", ("projects", "--limit", "0"), "'--limit' 超出范围（1<=x<=1000）", "Invalid value"),
    (
        "needs-value",
        ("sign", "SP-1", "--party"),
        "选项 --party 需要一个值。",
        "requires an argument",
    ),
    ("flag-value", ("docs", "--all=1"), "选项 --all 不接受值。", "does not take a value"),
    ("extra", ("status", "extra"), "多余的参数：extra。", "unexpected extra argument"),
]


@pytest.mark.parametrize(("args", "zh", "en"), [u[1:] for u in USAGE], ids=[u[0] for u in USAGE])
def test_usage_errors_speak_the_projects_language(
    worked: Callable[[str], tuple[Path, dict[str, Run]]],
    args: tuple[str, ...],
    zh: str,
    en: str,
    docflow: Docflow,
) -> None:
    zh_ws, _ = worked("zh-CN")
    r = docflow(*args, cwd=zh_ws)
    assert r.code == 2 and zh in r.err and "Error:" not in r.err and en not in r.err, r.err
    for lang, ws in ((("--lang", "en"), zh_ws), ((), worked("en")[0])):
        r = docflow(*lang, *args, cwd=ws)
        assert r.code == 2 and en in r.err and "错误" not in r.err, r.err
    r = docflow(*args, "--json", cwd=zh_ws)
    assert r.code == 2
    if r.out:  # click's own words in JSON, whatever the language
        assert "错误" not in r.json()["message"]


@pytest.mark.parametrize(
    ("tail", "zh", "en"),
    [
        ("colour: red\n", "project: 未知字段 'colour'", "unknown field 'colour'"),
        ("contract_typo: 1\n", "未知字段 'contract_typo'（是否想输入", "did you mean"),
        ("risks: 3\n", "risks: 应为列表，而不是 3", "risks: must be a list, not 3"),
        ("locale: fr\n", "locale: 应为以下之一：", "locale: must be one of"),
    ],
    ids=["unknown", "did-you-mean", "wrong-type", "choice"],
)
def test_validation_problems_are_framed_in_chinese_by_their_type(
    skeleton_at: Callable[[str, str], Path],
    tail: str,
    zh: str,
    en: str,
    docflow: Docflow,
) -> None:
    ws = skeleton_at("zh-CN", "survey.planned")
    edit_project(ws, lambda data: data.update(yaml.safe_load(tail)))
    if "colour" in tail:  # inside a section: the path frames it
        edit_project(ws, lambda data: (data.pop("colour"), data["project"].update(colour="red")))
    r = docflow("status", cwd=ws)
    first = r.err.splitlines()[0]
    assert r.code == 4 and re.match(r"docflow: project\.yaml:\d+: ", first), r.err
    if "locale" in tail:  # the file no longer names zh: the place's language frames it
        r = docflow("--lang", "zh-CN", "status", cwd=ws)
        first = r.err.splitlines()[0]
    assert zh in first and en not in first, r.err
    r = docflow("--lang", "en", "status", cwd=ws)
    assert r.code == 4 and en in r.err and zh not in r.err
    data = docflow("status", "--json", cwd=ws).json()
    assert en in data["message"] and not re.search(r"[\u4e00-\u9fff]", data["message"])


def test_a_minutes_file_is_framed_in_the_workspaces_language(
    worked: Callable[[str], tuple[Path, dict[str, Run]]],
    docflow: Docflow,
) -> None:
    ws, _ = worked("zh-CN")
    bad = ws.parent / "bad.yaml"
    bad.write_text("title: x\ndate: 2026-04-09\nbogus: 1\ntopics: 3\n", "utf-8")
    r = docflow("meeting", "new", "--file", str(bad), cwd=ws)
    assert r.code == 4
    assert f"{bad}:1: 缺少必填字段 'participants'（另有 2 处问题）" in r.err
    assert f"{bad}:4: topics: 应为列表，而不是 3" in r.err and "must be" not in r.err
    r = docflow("--lang", "en", "meeting", "new", "--file", str(bad), cwd=ws)
    assert r.code == 4 and "missing required field 'participants'" in r.err


def test_projects_outside_a_workspace_follow_the_users_language(
    worked: Callable[[str], tuple[Path, dict[str, Run]]],
    tmp_path: Path,
    docflow: Docflow,
) -> None:
    ws, _ = worked("zh-CN")
    store = f"sqlite:///{ws / '.docflow' / 'docflow.db'}"
    r = docflow("--store", store, "projects", cwd=tmp_path)
    assert r.code == 0 and "1 project(s)" in r.out, r.err
    env = {"LANG": "zh_CN.UTF-8"}
    r = docflow("--store", store, "projects", cwd=tmp_path, env=env)
    assert r.code == 0 and "共 1 个项目" in r.out and "project(s)" not in r.out


def test_every_sentence_has_both_languages_with_the_same_fields() -> None:
    from docflow.runtime.messages import messages

    zh_table, en_table = messages("zh-CN"), messages("en")
    assert zh_table.keys() == en_table.keys()
    fields = string.Formatter()
    for key, zh in zh_table.items():
        zh_fields = {name for _, name, _, _ in fields.parse(zh) if name}
        en_fields = {name for _, name, _, _ in fields.parse(en_table[key]) if name}
        assert zh_fields == en_fields, key
