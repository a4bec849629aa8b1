"""Each document kind in each locale: renders within the HTML subset and says what it must."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest

from docflow.changes.figures import ChangeEffect, document_figures
from docflow.render import render_html
from docflow.render.meta import RenderRequest
from docflow.spec.project import ProjectData

RequestFor = Callable[..., RenderRequest]
LOCALES = ("zh-CN", "en")
CODES = ("SP", "RM", "CA", "DP", "AC", "CN", "MA")
KINDS = [pytest.param(code, locale, id=f"{code}-{locale}") for code in CODES for locale in LOCALES]

# What each document must say (from the example project and the invented change history, in
# which CR-2 of 38,500.00 and 10 days is effective in every kind but its own change annex).
MUST_SAY: dict[tuple[str, str], list[str]] = {
    ("SP", "zh-CN"): [
        "一、合同依据",
        "《市第一人民医院医院信息系统（HIS）采购及实施合同》（合同编号：JZDY-XX-2026-017）",
        "调研目的与范围",
        "调研方法",
        "现场观察",
        "调研日程",
        "2026年4月7日",
        "系统概述",
        "分部门详细调研",
        "调研结果确认",
        "乙方调研组成员与分工",
        "需求分析师",
        "甲方准备事项",
        "关键用户",
        "系统管理员",
        "调研成果及提交时间",
        "2026年4月30日",
        "风险与应对",
        "甲方项目责任人",
        "乙方项目经理",
        "附件",
        "需求调研提纲（分科室）",
        "编制人（乙方）",
        "审核人（乙方）",
        "陈立",
        "甲方确认",
    ],
    ("SP", "en"): [
        "1. Contract reference",
        "the contract “Hospital Information System Supply and Implementation Contract” "
        "(No. RCH-IT-2026-017)",
        "Purpose and scope",
        "Survey methods",
        "Observation on site",
        "Session schedule",
        "7 April 2026",
        "System overview",
        "Detailed sessions per department",
        "Results confirmed",
        "The Vendor’s survey team",
        "Requirements analyst",
        "Client preparation",
        "Key users",
        "System administrator",
        "Outputs and dates",
        "30 April 2026",
        "Risks and responses",
        "Client’s accountable person",
        "Vendor’s project manager",
        "Attachments",
        "Survey outline by department",
        "Prepared by (Vendor)",
        "Reviewed by (Vendor)",
        "Li Chen",
        "Client confirmation",
    ],
    ("RM", "zh-CN"): [
        "附件一",
        "JZDY-XX-2026-017",
        "《市第一人民医院医院信息系统（HIS）采购及实施合同》",
        "合同双方",
        "项目背景",
        "项目范围",
        "功能需求",
        "非功能需求",
        "接口需求",
        "R-024",
        "验证方式",
        "演示",
        "需求汇总",
        "不在本项目范围内的事项",
        "前提与假设",
        "需求基线自需求备忘录经双方签字之日起冻结",
        "需求调研记录汇编（6份）",
        "甲方确认意见",
        "同意本备忘录所列需求，作为需求基线",
        "修改意见",
        "骑缝",
        "必须",
    ],
    ("RM", "en"): [
        "Annex 1",
        "RCH-IT-2026-017",
        "“Hospital Information System Supply and Implementation Contract”",
        "Parties",
        "Background",
        "Scope",
        "Functional requirements",
        "Non-functional requirements",
        "Interface requirements",
        "R-024",
        "Verified by",
        "Demonstration",
        "Summary of requirements",
        "Out of scope",
        "Assumptions",
        "The requirement baseline is frozen",
        "Survey session records (6)",
        "Client’s confirmation",
        "agrees to the requirements of this memo as the baseline",
        "Amendments",
        "seal across the edges",
        "Must",
    ],
    ("CA", "zh-CN"): [
        "附件三",
        "CR-2",
        "变更申请与评估",
        "申请人（甲方）",
        "王晓东（副院长）",
        "评估人（乙方）",
        "刘洋（项目经理）",
        "2026年5月12日",
        "变更原因",
        "新增需求",
        "R-025",
        "门诊大厅 6 台自助机支持挂号、缴费、打印检验报告。",
        "修改需求",
        "变更前",
        "变更后",
        "应该",
        "删除需求",
        "R-014",
        "对合同附件的修订",
        "附件一 | R-025 | 新增",
        "附件一 | R-004 | 修改",
        "附件一 | R-014 | 删除",
        "项目工期顺延10个日历日。",
        "合同金额增加¥38,500.00（大写：人民币叁万捌仟伍佰元整）",
        "合同总价由¥1,200,500.00（大写：人民币壹佰贰拾万零伍佰元整）调整为¥1,239,000.00"
        "（大写：人民币壹佰贰拾叁万玖仟元整）",
        "“尾款”由¥120,050.00（大写：人民币壹拾贰万零伍拾元整）调整为¥158,550.00",
        "合同约定的完工日期由2026年10月30日调整为2026年11月9日",
        "自助机硬件到货可能延迟",
        "本变更涉及需求3项（新增1项、修改1项、删除1项）",
        "12.5%",
        "甲方审批意见",
        "乙方审批意见",
        "本附件为合同不可分割的组成部分，与合同具有同等法律效力；除本附件约定外，合同其他条款不变。",
    ],
    ("CA", "en"): [
        "Annex 3",
        "CR-2",
        "Request and assessment",
        "Requested by (Client)",
        "Michael Wong (Deputy Director)",
        "Assessed by (Vendor)",
        "Leo Liu (Project Manager)",
        "12 May 2026",
        "Reason",
        "Requirements added",
        "R-025",
        "Six kiosks in the outpatient hall",
        "Requirements modified",
        "Before",
        "After",
        "Should",
        "Requirements removed",
        "R-014",
        "Amendments to the contract annexes",
        "Annex 1 | R-025 | Added",
        "Annex 1 | R-004 | Modified",
        "Annex 1 | R-014 | Removed",
        "extended by 10 calendar days",
        "increases by CN¥38,500.00 (in words: thirty-eight thousand five hundred yuan)",
        "changes from CN¥1,200,500.00 (in words: one million two hundred thousand five hundred "
        "yuan) to CN¥1,239,000.00 (in words: one million two hundred thirty-nine thousand yuan)",
        "“Final payment” changes from CN¥120,050.00",
        "moves from 30 October 2026 to 9 November 2026",
        "Kiosk hardware may arrive late",
        "This change concerns 3 requirements (1 added, 1 modified, 1 removed)",
        "12.5%",
        "Client’s approval",
        "Vendor’s approval",
        "all other terms of the contract remain unchanged",
    ],
    ("DP", "zh-CN"): [
        "部署地点与环境",
        "东院区",
        "人员与职责",
        "冯凯",
        "部署时间与里程碑",
        "2026年8月3日",
        "2026年8月21日",
        "切换上线",
        "系统测试通过",
        "内部安装演练",
        "甲方数据备份",
        "回退方案",
        "安装步骤",
        "系统切换与停机通知",
        "22:00至次日04:00",
        "于切换前7日以书面形式通知",
        "检验科",
        "值守与应急联系人",
        "8月15日20:00至8月22日，全天",
        "现场测试",
        "测试结果另行书面记录，不在本计划中填写",
        "培训计划",
        "考核方式",
        "笔试及备份恢复实操考核",
        "培训考核",
        "决策层",
        "管理层",
        "操作人员",
        "系统管理员",
        "甲方准备事项",
        "编制人（乙方）",
        "甲方确认",
    ],
    ("DP", "en"): [
        "Sites and environment",
        "east campus",
        "Staff and responsibilities",
        "Kevin Feng",
        "Schedule and milestones",
        "3 August 2026",
        "21 August 2026",
        "Go-live",
        "System test passed",
        "Installation rehearsed",
        "Client data backed up",
        "Rollback",
        "Installation steps",
        "Cut-over and downtime notice",
        "22:00 to 04:00 next day",
        "in writing 7 days before the cut-over",
        "Laboratory",
        "On-call and emergency contacts",
        "15 August 20:00 to 22 August, day and night",
        "On-site test",
        "The results are recorded separately, not in this plan",
        "Training plan",
        "Assessment",
        "Written test and a backup-and-restore exercise",
        "Training assessment",
        "Decision-makers",
        "Managers",
        "Operators",
        "System administrator",
        "Client preparation",
        "Prepared by (Vendor)",
        "Client confirmation",
    ],
    ("AC", "zh-CN"): [
        "验收依据",
        "验收概况",
        "终验",
        "免费质保期自2026年9月25日起算，共12个月，至2027年9月24日止。",
        "验收组成员",
        "验收组组长（副院长）",
        "签字",
        "验收标准",
        "需求交付核对",
        "需求共24项（含已生效变更附件新增的需求），已交付24项",
        "交付物清单",
        "源代码",
        "V3.2.0",
        "附件二",
        "CR-1",
        "已拒绝",
        "已生效",
        "12.5%",
        "合同总价为¥1,239,000.00（大写：人民币壹佰贰拾叁万玖仟元整）",
        "遗留事项",
        "黄波",
        "2026年10月9日",
        "甲方验收意见",
        "同意验收",
        "验收结论",
        "☑合格",
        "□不合格",
        "□整改后复验",
        "2026年9月25日",
    ],
    ("AC", "en"): [
        "Basis of acceptance",
        "Acceptance details",
        "Final acceptance",
        "The free warranty starts on 25 September 2026 and runs for 12 months, until "
        "24 September 2027.",
        "Acceptance team",
        "Head of the acceptance team (Deputy Director)",
        "Signature",
        "Acceptance criteria",
        "Requirement checklist",
        "Of 24 requirements (including those added by effective change annexes), 24 are delivered",
        "Deliverables",
        "Source code",
        "Version 3.2.0",
        "Annex 2",
        "CR-1",
        "Rejected",
        "Effective",
        "12.5%",
        "the contract amount is CN¥1,239,000.00 (in words: one million two hundred thirty-nine "
        "thousand yuan)",
        "Open items",
        "Bob Huang",
        "9 October 2026",
        "Client’s opinion",
        "The Client accepts the system",
        "Conclusion",
        "☑ Passed",
        "☐ Failed",
        "☐ Re-check after rework",
        "25 September 2026",
    ],
    ("CN", "zh-CN"): [
        "项目完工",
        "2026年9月25日通过甲方终验",
        "HIS-2026/AC-1",
        "尚有遗留事项1项",
        "合同签订金额",
        "已生效变更",
        "附件二（CR-2）：¥38,500.00（大写：人民币叁万捌仟伍佰元整）",
        "变更后合同总价",
        "¥1,239,000.00（大写：人民币壹佰贰拾叁万玖仟元整）",
        "2026年11月9日（原约定2026年10月30日，已生效变更顺延10个日历日）",
        "免费质保期自2026年9月25日起至2027年9月24日止",
        "自2027年9月25日起至2028年9月24日止共12个月为有偿维护期",
        "¥96,000.00（大写：人民币玖万陆仟元整）",
        "遗留事项",
        "移交清单",
        "账号",
        "尾款支付",
        "最后一期“尾款”为¥158,550.00（大写：人民币壹拾伍万捌仟伍佰伍拾元整）",
        "人民币壹拾伍万捌仟伍佰伍拾元整",
        "增值税专用发票",
        "中国工商银行江州高新技术开发区支行",
        "甲方回执",
        "接收人",
    ],
    ("CN", "en"): [
        "Implementation complete",
        "it passed the Client’s final acceptance on 25 September 2026",
        "HIS-2026/AC-1",
        "1 open item(s) remain",
        "Contract amount as signed",
        "Effective changes",
        "Annex 2 (CR-2): CN¥38,500.00 (in words: thirty-eight thousand five hundred yuan)",
        "Contract amount after changes",
        "CN¥1,239,000.00 (in words: one million two hundred thirty-nine thousand yuan)",
        "9 November 2026 (agreed as 30 October 2026, extended by 10 calendar days",
        "The free warranty runs from 25 September 2026 to 24 September 2027",
        "from 25 September 2027 to 24 September 2028 (12 months), the Vendor provides paid "
        "maintenance",
        "CN¥96,000.00 (in words: ninety-six thousand yuan)",
        "Open items",
        "Handover list",
        "Account",
        "Final payment",
        "The last instalment, “Final payment”, is CN¥158,550.00 (in words: one hundred "
        "fifty-eight thousand five hundred fifty yuan)",
        "VAT special invoice",
        "Industrial and Commercial Bank of China",
        "Client’s receipt",
        "Received by",
    ],
    ("MA", "zh-CN"): [
        "江州市解放路128号",
        "周建国",
        "合同总价为¥1,239,000.00（大写：人民币壹佰贰拾叁万玖仟元整），约定完工日期为2026年11月9日",
        "维护期限",
        "维护期自2027年9月25日起至2028年9月24日止，共12个月",
        "免费质保期自2026年9月25日起至2027年9月24日止",
        "服务范围",
        "不属于本协议维护范围",
        "¥1,500.00/人日",
        "人民币壹仟伍佰元整",
        "服务级别",
        "一级（紧急）",
        "7×24",
        "15分钟",
        "远程处理",
        "远程维护",
        "4次",
        "服务报告与考核",
        "每3个月",
        "冯凯",
        "甲方义务",
        "维护费用总额为¥96,000.00（大写：人民币玖万陆仟元整）",
        "¥48,000.00",
        "人民币肆万捌仟元整",
        "维护期开始后十个工作日内支付",
        "中国工商银行江州高新技术开发区支行",
        "违约责任",
        "第三条约定的响应、到场或解决时间",
        "即¥9,600.00（大写：人民币玖仟陆佰元整）",
        "0.05%",
        "知识产权",
        "保密",
        "不可抗力",
        "协议的变更、终止与解除",
        "30日",
        "通知与送达",
        "争议解决",
        "甲方所在地有管辖权的人民法院提起诉讼",
        "问题升级",
        "400-826-6600",
    ],
    ("MA", "en"): [
        "128 Liberation Road",
        "Dr. James Carter",
        "the contract amount is CN¥1,239,000.00 (in words: one million two hundred thirty-nine "
        "thousand yuan) and the contractual completion date 9 November 2026",
        "Term",
        "Maintenance runs from 25 September 2027 to 24 September 2028, 12 months in all",
        "The free warranty of the contract runs from 25 September 2026 to 24 September 2027",
        "Scope",
        "does not cover",
        "CN¥1,500.00 per person-day",
        "Service levels",
        "Severity 1 (critical)",
        "24×7",
        "15 min",
        "Remote",
        "remotely",
        "4 times a year",
        "Service reports and review",
        "every 3 months",
        "Kevin Feng",
        "obligations",
        "The maintenance fee is CN¥96,000.00 (in words: ninety-six thousand yuan) in total",
        "CN¥48,000.00",
        "Within ten working days after maintenance starts",
        "Industrial and Commercial Bank of China",
        "Liability for breach",
        "Article 3",
        "that is CN¥9,600.00 (in words: nine thousand six hundred yuan)",
        "0.05%",
        "Intellectual property",
        "Confidentiality",
        "Force majeure",
        "Amendment, termination and rescission",
        "30 days",
        "Notices",
        "Disputes",
        "the competent people’s court where the Client is located",
        "escalation",
        "400-826-6600",
    ],
}


def text_of(page: str) -> str:
    """The visible text of a rendered page, whitespace collapsed (inline tags add none)."""
    body = page.split("<body", 1)[1]
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    body = re.sub(r"</?(?:span|strong|em|u)\b[^>]*>", "", body)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def typeset(phrase: str, locale: str) -> str:
    """A phrase as the shared text rules print it (spacing, currency, quotes).

    " | " separates the cells of one table row: each cell is typeset on its own, and the
    page's text holds them one space apart.
    """
    from docflow.render.blocks import Run
    from docflow.render.typeset import typeset_runs

    return " ".join(
        "".join(run.text for run in typeset_runs((Run(cell),), locale))
        for cell in phrase.split(" | ")
    )


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
    change = request.context["change"]
    pending = None if change is None else ChangeEffect.of_context(change)
    context.update(documents=[], ratio=0.0, figures=document_figures(data, [], [], pending))
    return RenderRequest(request.meta, context, request.template_dirs)


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_kind_renders_from_an_empty_skeleton(
    code: str, locale: str, request_for: RequestFor, skeleton_for: Callable[[str], ProjectData]
) -> None:
    request = _skeleton_request(request_for(code, locale), skeleton_for(locale))
    text = text_of(render_html(request))
    assert request.meta.number in text
    # nothing empty is stated as a fact: no amount without figures, no "free" maintenance
    assert "为，" not in text and "为。" not in text and " is ." not in text
    assert "不收取费用" not in text and "free of charge." not in text.replace("warranty", "")


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
