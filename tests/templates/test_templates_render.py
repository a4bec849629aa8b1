"""Each document kind in each locale: renders within the HTML subset and says what it must."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

import pytest

from docflow.render import render_html
from docflow.render.context import build_environment, search_path
from docflow.render.meta import RenderRequest
from docflow.spec.project import ProjectData

RequestFor = Callable[..., RenderRequest]
LOCALES = ("zh-CN", "en")
CODES = ("SP", "RM", "CA", "DP", "AC", "CN", "MA")
KINDS = [pytest.param(code, locale, id=f"{code}-{locale}") for code in CODES for locale in LOCALES]

# What each document must say (from the example project and the invented change history).
MUST_SAY: dict[tuple[str, str], list[str]] = {
    ("SP", "zh-CN"): [
        "一、合同依据",
        "调研目的与范围",
        "调研日程",
        "2026年4月7日",
        "系统概述",
        "分部门详细调研",
        "调研总结",
        "调研结果确认",
        "甲方准备事项",
        "关键用户",
        "系统管理员",
        "2026年4月30日",
        "甲方项目责任人",
        "乙方项目经理",
        "甲方确认",
    ],
    ("SP", "en"): [
        "1. Contract reference",
        "Purpose and scope",
        "Session schedule",
        "7 April 2026",
        "System overview",
        "Detailed sessions per department",
        "Results confirmed",
        "Client preparation",
        "Key users",
        "System administrator",
        "30 April 2026",
        "Client's accountable person",
        "Vendor's project manager",
        "Client confirmation",
    ],
    ("RM", "zh-CN"): [
        "附件一",
        "JZDY-XX-2026-017",
        "合同双方",
        "项目背景",
        "项目范围",
        "功能需求",
        "非功能需求",
        "接口需求",
        "R-024",
        "不在本项目范围内的事项",
        "前提与假设",
        "需求基线自需求备忘录经双方签字之日起冻结",
        "必须",
    ],
    ("RM", "en"): [
        "Annex 1",
        "RCH-IT-2026-017",
        "Parties",
        "Background",
        "Scope",
        "Functional requirements",
        "Non-functional requirements",
        "Interface requirements",
        "R-024",
        "Out of scope",
        "Assumptions",
        "The requirement baseline is frozen",
        "Must",
    ],
    ("CA", "zh-CN"): [
        "附件三",
        "CR-2",
        "变更原因",
        "新增需求",
        "R-025",
        "修改需求",
        "变更前",
        "变更后",
        "应该",
        "删除需求",
        "R-014",
        "顺延 10 个日历日",
        "¥38,500.00",
        "人民币叁万捌仟伍佰元整",
        "自助机硬件到货可能延迟",
        "本变更涉及需求 3 项（新增 1 项、修改 1 项、删除 1 项）",
        "12.5%",
        "本附件为合同不可分割的组成部分，与合同具有同等法律效力；除本附件约定外，合同其他条款不变。",
    ],
    ("CA", "en"): [
        "Annex 3",
        "CR-2",
        "Reason",
        "Requirements added",
        "R-025",
        "Requirements modified",
        "Before",
        "After",
        "Should",
        "Requirements removed",
        "R-014",
        "extended by 10 calendar days",
        "CN¥38,500.00",
        "thirty-eight thousand five hundred yuan",
        "Kiosk hardware may arrive late",
        "This change concerns 3 requirements (1 added, 1 modified, 1 removed)",
        "12.5%",
        "all other terms of the contract remain unchanged",
    ],
    ("DP", "zh-CN"): [
        "部署地点与环境",
        "东院区",
        "2026年8月3日",
        "2026年8月21日",
        "系统测试通过",
        "内部安装演练",
        "甲方数据备份",
        "已完成",
        "回退方案",
        "安装步骤",
        "现场测试",
        "培训计划",
        "决策层",
        "管理层",
        "操作人员",
        "系统管理员",
        "甲方准备事项",
        "甲方确认",
    ],
    ("DP", "en"): [
        "Sites and environment",
        "east campus",
        "3 August 2026",
        "21 August 2026",
        "System test passed",
        "Installation rehearsed",
        "Client data backed up",
        "Done",
        "Rollback",
        "Installation steps",
        "On-site test",
        "Training plan",
        "Decision-makers",
        "Managers",
        "Operators",
        "System administrator",
        "Client preparation",
        "Client confirmation",
    ],
    ("AC", "zh-CN"): [
        "验收依据",
        "验收标准",
        "需求交付核对",
        "需求共 24 项，已交付 24 项",
        "附件二",
        "CR-1",
        "已拒绝",
        "已生效",
        "12.5%",
        "遗留事项",
        "验收结论",
        "验收合格",
        "2026年9月25日",
    ],
    ("AC", "en"): [
        "Basis of acceptance",
        "Acceptance criteria",
        "Requirement checklist",
        "Of 24 requirements, 24 are delivered",
        "Annex 2",
        "CR-1",
        "Rejected",
        "Effective",
        "12.5%",
        "Open items",
        "Conclusion",
        "25 September 2026",
    ],
    ("CN", "zh-CN"): [
        "项目完工",
        "2026年9月25日",
        "HIS-2026/AC-1",
        "2026年10月10日",
        "2027年10月9日",
        "维护服务内容",
        "另行收费",
        "未完事项",
        "尾款",
        "¥120,050.00",
        "人民币壹佰贰拾万零伍佰元整",
    ],
    ("CN", "en"): [
        "Implementation complete",
        "25 September 2026",
        "HIS-2026/AC-1",
        "10 October 2026",
        "9 October 2027",
        "Maintenance services",
        "charged separately",
        "Outstanding items",
        "Final payment",
        "CN¥120,050.00",
        "one million two hundred thousand five hundred yuan",
    ],
    ("MA", "zh-CN"): [
        "江州市解放路 128 号",
        "周建国",
        "维护期限",
        "2027年10月9日",
        "维护范围",
        "不属于本协议维护范围",
        "4 小时内响应",
        "远程维护",
        "4 次",
        "冯凯",
        "¥96,000.00",
        "人民币玖万陆仟元整",
        "问题升级",
        "400-826-6600",
        "保密",
    ],
    ("MA", "en"): [
        "128 Liberation Road",
        "Dr. James Carter",
        "Term",
        "9 October 2027",
        "Scope",
        "does not cover",
        "within 4 hours",
        "remotely",
        "4 times a year",
        "Kevin Feng",
        "CN¥96,000.00",
        "ninety-six thousand yuan",
        "escalation",
        "400-826-6600",
        "Confidentiality",
    ],
}


def text_of(page: str) -> str:
    """The visible text of a rendered page, whitespace collapsed (inline tags add none)."""
    body = page.split("<body", 1)[1]
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    body = re.sub(r"</?(?:span|strong|em|u)\b[^>]*>", "", body)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def typeset(phrase: str, locale: str) -> str:
    """A phrase as the shared text rules print it (spacing, currency, quotes)."""
    from docflow.render.blocks import Run
    from docflow.render.typeset import typeset_runs

    return "".join(run.text for run in typeset_runs((Run(phrase),), locale))


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_kind_says_what_it_must(code: str, locale: str, request_for: RequestFor) -> None:
    request = request_for(code, locale)
    text = text_of(render_html(request))
    missing = [p for p in MUST_SAY[code, locale] if typeset(p, locale) not in text]
    assert missing == []


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_header_names_project_contract_number_version_date(
    code: str, locale: str, request_for: RequestFor
) -> None:
    meta = request_for(code, locale).meta
    text = text_of(render_html(request_for(code, locale)))
    issued = "2026年11月23日" if locale == "zh-CN" else "23 November 2026"
    for value in (meta.project_name, meta.contract_number, meta.number, issued, meta.title):
        assert value in text


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_signature_cell_for_each_signer(code: str, locale: str, request_for: RequestFor) -> None:
    request = request_for(code, locale)
    page = render_html(request)
    assert set(re.findall(r'id="sig-([a-z]+)"', page)) == set(request.meta.signers)


def _skeleton_request(request: RenderRequest, data: ProjectData) -> RenderRequest:
    p = data.model_dump(mode="python")
    context: dict[str, Any] = dict(request.context, p=p, requirements=[], changes=[])
    context.update(documents=[], ratio=0.0)
    return RenderRequest(request.meta, context, request.template_dirs)


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_kind_renders_from_an_empty_skeleton(
    code: str, locale: str, request_for: RequestFor, skeleton_for: Callable[[str], ProjectData]
) -> None:
    request = _skeleton_request(request_for(code, locale), skeleton_for(locale))
    text = text_of(render_html(request))
    assert request.meta.number in text


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("code", ["RM", "AC"])
def test_two_thousand_requirements(code: str, locale: str, request_for: RequestFor) -> None:
    request = request_for(code, locale, requirements=many_requirements(2000))
    page = render_html(request)
    assert len(re.findall(r"<td>(?:<span[^>]*>)?R-2000(?:</span>)?</td>", page)) == 1
    assert len(re.findall(r"<td>(?:<span[^>]*>)?R-\d{4}(?:</span>)?</td>", page)) == 2000


def many_requirements(n: int) -> list[dict[str, Any]]:
    """`n` requirements of every type and priority."""
    types = ("functional", "non_functional", "interface")
    priorities = ("must", "should", "could")
    return [
        {
            "id": f"R-{i:04d}",
            "title": f"Requirement {i}",
            "description": "A requirement long enough to wrap over two lines of its table cell. "
            * 2,
            "type": types[i % 3],
            "priority": priorities[i % 3],
            "source": "Survey",
            "delivered": i % 7 != 0,
        }
        for i in range(1, n + 1)
    ]


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2026, 10, 10), 12, dt.date(2027, 10, 9)),
        (dt.date(2026, 3, 1), 12, dt.date(2027, 2, 28)),
        (dt.date(2027, 3, 1), 12, dt.date(2028, 2, 29)),
        (dt.date(2026, 12, 1), 1, dt.date(2026, 12, 31)),
        (dt.date(2026, 1, 15), 24, dt.date(2028, 1, 14)),
        (dt.date(2026, 11, 20), 3, dt.date(2027, 2, 19)),
    ],
    ids=["ordinary", "into-february", "leap-february", "december", "two-years", "over-new-year"],
)
@pytest.mark.parametrize("locale", LOCALES)
def test_maintenance_period_end(locale: str, start: dt.date, months: int, end: dt.date) -> None:
    env = build_environment(search_path(()), locale, {"p": {}, "labels": {}, "doc": {}})
    template = env.from_string(
        f'{{% import "{locale}/_parts.html.j2" as parts with context %}}'
        "{{ parts.period_end(start, months) }}"
    )
    assert template.render(start=start, months=months) == env.filters["date"](end)
