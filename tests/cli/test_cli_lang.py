"""The language of what the command prints: the project's locale, else ``--lang`` / ``LANG``.

Headers, status words, blockers, errors and the legal register speak the chosen language;
JSON output and exit codes are the same in every language.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pm_helpers import normal, pdf_pages, skeleton_at, skeleton_states

__all__ = ["skeleton_at", "skeleton_states"]  # fixtures used by name

Docflow = Callable[..., Any]

# Words only each language prints, for a project awaiting the client's signature.
ZH_STATUS = ("状态：", "下一步：", "被阻止", "编号", "标题", "待签署", "已签发", "甲方", "审计链")
EN_STATUS = ("State:", "Next steps:", "blocked", "awaiting", "issued", "Audit chain")


def _words_of(locale: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words that must be printed, words that must not) in ``locale``."""
    return (ZH_STATUS, EN_STATUS) if locale == "zh-CN" else (EN_STATUS, ZH_STATUS)


def _fresh(tmp_path: Path, docflow: Docflow, locale: str) -> Path:
    ws = tmp_path / f"fresh-{locale}"
    assert docflow("init", str(ws), "--locale", locale).code == 0
    return ws


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_status_and_docs_speak_the_projects_language(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.planned")
    must, never = _words_of(locale)
    out = docflow("status", cwd=ws).out
    for word in must:
        assert word in out, word
    for word in never:
        assert word not in out, word
    # The awaited party, in the table's words (a command to type keeps its own: --party).
    assert ("│ 甲方" if locale == "zh-CN" else "│ client") in out

    signed = docflow("sign", "SP-1", "--party", "client", "--signer", "A", cwd=ws)
    assert signed.code == 0, signed.err
    if locale == "zh-CN":
        assert "SP-1 v1：甲方已签署（手签），签字人 A" in signed.out and "状态 已签署" in signed.out
    else:
        assert "SP-1 v1: client signed (recorded) by A" in signed.out
        assert "status signed" in signed.out
    docs = docflow("docs", cwd=ws).out
    if locale == "zh-CN":
        assert "甲方:手签" in docs and "已签署" in docs and "client" not in docs
    else:
        assert "client:recorded" in docs and "signed" in docs and "甲方" not in docs


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_advance_speaks_the_projects_language(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.planned")
    assert docflow("sign", "SP-1", "--party", "client", "--signer", "A", cwd=ws).code == 0
    r = docflow("advance", "--dry-run", cwd=ws)
    assert r.code == 0, r.err
    if locale == "zh-CN":
        assert "将从 survey.planned 转到" in r.out and "would move" not in r.out
    else:
        assert "would move survey.planned ->" in r.out and "将从" not in r.out
    r = docflow("advance", cwd=ws)
    assert r.code == 0, r.err
    assert ("已从 survey.planned 转到" if locale == "zh-CN" else "moved survey.planned ->") in r.out


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_blockers_and_blocked_advance_speak_the_projects_language(
    tmp_path: Path, docflow: Docflow, locale: str
) -> None:
    ws = _fresh(tmp_path, docflow, locale)
    status = docflow("status", cwd=ws).out
    r = docflow("advance", cwd=ws)
    assert r.code == 3
    if locale == "zh-CN":
        assert "contract.number 尚未填写" in status and "被阻止" in status
        assert "被 12 项条件阻止" in r.err and "contract.number 尚未填写" in r.err
        assert "fill it in" not in status + r.err
    else:
        assert "contract.number is empty; fill it in." in status
        assert "is blocked by 12 condition(s)" in r.err and "尚未填写" not in status + r.err


def test_lang_en_on_a_chinese_project_prints_english_and_keeps_json(
    tmp_path: Path, docflow: Docflow
) -> None:
    ws = _fresh(tmp_path, docflow, "zh-CN")
    out = docflow("--lang", "en", "status", cwd=ws).out
    assert "State:" in out and "Next steps:" in out and "blocked" in out
    assert "contract.number is empty; fill it in." in out
    assert "状态：" not in out and "尚未填写" not in out
    r = docflow("--lang", "en", "advance", cwd=ws)
    assert r.code == 3 and "is blocked by 12 condition(s)" in r.err
    # The project's own language again without the option (nothing was remembered).
    assert "状态：" in docflow("status", cwd=ws).out

    plain = docflow("status", "--json", cwd=ws)
    chosen = docflow("--lang", "en", "status", "--json", cwd=ws)
    assert plain.json() == chosen.json()
    assert "尚未填写" in json.dumps(chosen.json(), ensure_ascii=False)
    blocked = docflow("--lang", "en", "advance", "--json", cwd=ws)
    assert blocked.code == 3 and blocked.json() == docflow("advance", "--json", cwd=ws).json()


@pytest.mark.parametrize(
    ("locale", "lang", "expected"),
    [
        ("zh-CN", "en_US.UTF-8", "State:"),
        ("en", "zh_CN.UTF-8", "状态："),
        ("zh-CN", "C.UTF-8", "状态："),
        ("en", "C", "State:"),
    ],
    ids=["zh-project-LANG-en", "en-project-LANG-zh", "zh-project-LANG-C", "en-project-LANG-C"],
)
def test_lang_environment_chooses_when_no_option(
    tmp_path: Path, docflow: Docflow, locale: str, lang: str, expected: str
) -> None:
    ws = _fresh(tmp_path, docflow, locale)
    env = {"LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}
    assert expected in docflow("status", cwd=ws, env=env).out
    # The option wins over the environment.
    other = "en" if expected == "状态：" else "zh-CN"
    out = docflow("--lang", other, "status", cwd=ws, env=env).out
    assert ("State:" if other == "en" else "状态：") in out


def test_an_unknown_language_is_a_usage_error(tmp_path: Path, docflow: Docflow) -> None:
    ws = _fresh(tmp_path, docflow, "zh-CN")
    r = docflow("--lang", "fr", "status", cwd=ws)
    assert r.code == 2 and "'fr' is not zh-CN or en" in r.err


@pytest.mark.parametrize(
    ("args", "code", "zh", "en"),
    [
        (
            ("sign", "XX-9", "--party", "client", "--signer", "A"),
            4,
            "中没有文件 XX-9",
            "no document XX-9",
        ),
        (("advance", "bogus"), 2, "中没有步骤 'bogus'", "unknown trigger 'bogus'"),
        (
            ("advance", "sign_contract"),
            5,
            "下不能执行 sign_contract",
            "sign_contract is not possible",
        ),
        (
            ("sign", "SP-1", "--party", "vendor", "--signer", "A"),
            5,
            "不需要乙方签署",
            "does not need a signature from vendor",
        ),
    ],
    ids=["unknown-document", "unknown-trigger", "wrong-state", "refused-signature"],
)
def test_errors_speak_the_projects_language_or_the_chosen_one(
    skeleton_at: Callable[[str, str], Path],
    docflow: Docflow,
    args: tuple[str, ...],
    code: int,
    zh: str,
    en: str,
) -> None:
    ws = skeleton_at("zh-CN", "survey.planned")
    r = docflow(*args, cwd=ws)
    assert r.code == code and zh in r.err and en not in r.err
    r = docflow("--lang", "en", *args, cwd=ws)
    assert r.code == code and en in r.err and zh not in r.err
    # JSON carries the sentence as it always has, whatever the language chosen.
    for lang in ((), ("--lang", "zh-CN")):
        r = docflow(*lang, *args, "--json", cwd=ws)
        assert r.code == code and en in r.json()["message"]


def test_the_same_refusal_in_an_english_project(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("en", "survey.planned")
    r = docflow("sign", "SP-1", "--party", "vendor", "--signer", "A", cwd=ws)
    assert r.code == 5 and "SP-1 does not need a signature from vendor (required: client)" in r.err
    r = docflow("--lang", "zh-CN", "sign", "SP-1", "--party", "vendor", "--signer", "A", cwd=ws)
    assert r.code == 5 and "SP-1 不需要乙方签署（需签署方：甲方）" in r.err


@pytest.mark.parametrize(
    ("locale", "lang", "tail", "first"),
    [
        ("zh-CN", (), "x: [\n", "YAML 格式错误："),
        ("en", (), "x: [\n", "invalid YAML: "),
        ("zh-CN", ("--lang", "en"), "x: [\n", "invalid YAML: "),
        ("zh-CN", (), "bogus: 1\nother: 2\n", "（另有 1 处问题）"),
        ("en", (), "bogus: 1\nother: 2\n", " (and 1 more problem(s))"),
    ],
    ids=["zh-yaml", "en-yaml", "zh-lang-en-yaml", "zh-two", "en-two"],
)
def test_an_invalid_project_yaml_is_framed_in_its_language(
    tmp_path: Path,
    docflow: Docflow,
    locale: str,
    lang: tuple[str, ...],
    tail: str,
    first: str,
) -> None:
    ws = _fresh(tmp_path, docflow, locale)
    path = ws / "project.yaml"
    path.write_text(path.read_text("utf-8") + tail, "utf-8")
    r = docflow(*lang, "status", cwd=ws)
    assert r.code == 4
    assert r.err.startswith("docflow: project.yaml:") and first in r.err.splitlines()[0]
    # JSON keeps the message as it always was.
    data = docflow(*lang, "status", "--json", cwd=ws).json()
    assert "YAML 格式错误" not in data["message"] and "另有" not in data["message"]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_legal_register_names_parties_and_methods_in_its_language(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str, tmp_path: Path
) -> None:
    ws = skeleton_at(locale, "survey.confirmed")
    out = tmp_path / "legal.zip"
    r = docflow("export", "legal", str(out), "--json", cwd=ws)
    assert r.code == 0, r.err
    with zipfile.ZipFile(out) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("register.csv").decode("utf-8-sig"))))
        pdf = normal(" ".join(pdf_pages(zf.read("register.pdf"))))
    if locale == "zh-CN":
        assert list(rows[0])[:6] == ["附件序号", "文件编号", "版本", "标题", "签发日期", "状态"]
        signatures = rows[0]["签署情况（签字方：签字人，签字方式，日期）"]
        assert signatures.startswith("甲方：") and "乙方：" in signatures
        assert "手签" in signatures and rows[0]["状态"] == "已签署"
        assert "甲方" in pdf and "手签" in pdf and "recorded" not in signatures + pdf
    else:
        signatures = rows[0]["signatures"]
        assert signatures.startswith("Client: ") and "Vendor: " in signatures
        assert "wet ink" in signatures and rows[0]["status"] == "Signed"
    # The manifest stays machine-readable: parties and methods as their codes.
    signers = r.json()["register"][0]["signers"]
    assert {s["party"] for s in signers} == {"client", "vendor"}
    assert {s["method"] for s in signers} == {"recorded"}


@pytest.mark.parametrize(
    ("tz", "shift"), [("UTC", 0), ("Asia/Shanghai", 8)], ids=["utc", "shanghai"]
)
def test_log_shows_times_in_the_local_time_zone(
    tmp_path: Path, docflow_process: Docflow, tz: str, shift: int
) -> None:
    import datetime as dt

    ws = tmp_path / "ws"
    assert docflow_process("init", str(ws), env={"TZ": tz}).code == 0
    (event,) = docflow_process("log", "--json", cwd=ws, env={"TZ": tz}).json()
    at = dt.datetime.fromisoformat(event["at"]).astimezone(dt.UTC)
    local = (at + dt.timedelta(hours=shift)).strftime("%Y-%m-%d %H:%M:%S")
    out = docflow_process("log", cwd=ws, env={"TZ": tz}).out
    assert local in out
    assert event["at"].endswith("+00:00")  # JSON keeps the stored time


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_void_and_withdraw_speak_the_projects_language(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str
) -> None:
    ws = skeleton_at(locale, "survey.planned")
    assert docflow("sign", "SP-1", "--party", "client", "--signer", "A", cwd=ws).code == 0
    r = docflow("sign", "SP-1", "--withdraw", "--party", "client", "--reason", "typo", cwd=ws)
    assert r.code == 0, r.err
    if locale == "zh-CN":
        assert "甲方的签字（手签，A）已撤回：typo" in r.out and "待甲方签署" in r.out
    else:
        assert "client's signature (recorded, A) withdrawn: typo" in r.out
        assert "awaiting client" in r.out
    r = docflow("void", "SP-1", "--reason", "wrong dates", cwd=ws)
    assert r.code == 0, r.err
    if locale == "zh-CN":
        assert "SP-1 v1 已作废：wrong dates" in r.out and "重新签发：docflow render SP-1" in r.out
    else:
        assert "SP-1 v1 is void: wrong dates" in r.out
        assert "issue it again with: docflow render SP-1" in r.out


@pytest.mark.parametrize(
    ("locale", "says"),
    [("zh-CN", "已创建工作区"), ("en", "Created workspace")],
    ids=["zh-CN", "en"],
)
def test_init_speaks_the_new_projects_language(
    tmp_path: Path, docflow: Docflow, locale: str, says: str
) -> None:
    r = docflow("init", str(tmp_path / "ws"), "--locale", locale)
    assert r.code == 0, r.err
    assert says in r.out
    lines = r.out.splitlines()
    assert ("项目编号 WS（ws）" if locale == "zh-CN" else "project code WS (ws)") in lines[1]
