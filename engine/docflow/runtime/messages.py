"""The words docflow prints for people, one table per locale.

The command line's headers, status words and framing sentences live here as data, keyed by
a name; :func:`tr` picks a locale's sentence and fills its ``{fields}``. JSON output never
goes through this table: its keys and values stay machine-readable.
"""

from __future__ import annotations

from typing import Any

__all__ = ["messages", "tr", "word"]

_BASE: dict[str, dict[str, str]] = {
    "zh-CN": {
        "state": "状态：[bold]{state}[/bold]（{title}），阶段 {phase}",
        "next_steps": "下一步：",
        "complete": "没有剩余步骤：工作流已完成。",
        "ready": "可执行",
        "blocked": "被阻止",
        "emits": "  出具 {docs}",
        "documents": "文件",
        "col.id": "编号",
        "col.title": "标题",
        "col.v": "版本",
        "col.status": "状态",
        "col.annex": "附件",
        "col.awaiting": "待签署",
        "col.signed": "已签署",
        "col.pdf": "PDF",
        "out_of_date": "（已过期）",
        "stale_header": "已过期（与 project.yaml 不再一致）：",
        "translation": "  {id} v{version} 参考译本（{locale}）：{path}",
        "declined": "拒签",
        "declined_line": "{mark}：{doc} v{version}，{party}（{signer}，{at}）：{reason}",
        "changes": "变更：变更比例 {ratio}，基线需求 {baseline} 项（预警 {warn}，告警 {alarm}）；"
        "待决定：{open}",
        "none": "无",
        "drift": "偏差",
        "chain": "审计链：序号 {seq}，链头 {head}",
        "awaits": "等待{party}确认：异议期至 {deadline}",
        "objected": "{party}于 {date} 提出异议",
        "deemed": "已于 {date} 视为确认",
        "meetings": "会议：{meetings} 次；待办事项未完成：{open}，逾期：{late}",
        "satisfaction": "满意度调查：{doc}，已收回 {n} 份，平均 {avg}",
        "moved": "{trigger}：已从 {src} 转到 [bold]{dst}[/bold]",
        "would_move": "{trigger}：将从 {src} 转到 [bold]{dst}[/bold]",
        "awaiting": "  （待{parties}签署）",
        "warning": "警告",
        "no_events": "没有符合条件的事件。",
        "blocked_error": "{trigger} 被 {n} 项条件阻止",
        "invalid_yaml": "YAML 格式错误：{detail}",
        "more_problems": "（另有 {n:,} 处问题）",
        "more_listed": "（另有 {n:,} 处问题，列出前 {listed} 处）",
        "list_sep": "、",
        "colon": "：",
        "created": "已创建工作区 [bold]{path}[/bold]",
        "created_code": "  项目编号 [bold]{code}[/bold]（{name}），已写入 project.yaml；"
        "工作流 {workflow}，状态 {state}",
        "created_numbers": "  每个文件编号都以项目编号开头；可用 --code 另选",
        "created_next": "  下一步：编辑 project.yaml，然后运行 `docflow status`",
        "signed_by": "{id} v{version}：{party}已签署（{method}），签字人 {signer}",
        "certificate": "，证书 {cert}",
        "signed_file": "  已签署文件 {path}",
        "doc_status": "  状态 {status}",
        "doc_awaiting": "，待{parties}签署",
        "now_effective": "  {change} 现已生效；project.yaml 已更新",
        "withdrawn": "{id} v{version}：{party}的签字（{method}，{signer}）已撤回：{reason}",
        "voided": "{id} v{version} 已作废：{reason}",
        "reissue": "  重新签发：{command}",
        "no_actions": "没有待办事项。",
        "no_overdue_actions": "没有逾期的待办事项。",
        "col.party": "责任方",
        "col.owner": "负责人",
        "col.due": "期限",
        "col.task": "事项",
        "action.overdue": "逾期 {days} 天",
        "action.done": "已完成（{by}）",
        "action.open": "未完成",
        "party.client": "甲方",
        "party.vendor": "乙方",
        "method.recorded": "手签",
        "method.scan": "扫描件",
        "method.digital": "电子签名",
        "method.portal": "在线签署",
        "method.deemed": "视为确认",
        "status.issued": "已签发",
        "status.signed": "已签署",
        "status.superseded": "已替代",
        "status.void": "已作废",
        "status.draft": "草稿",
    },
    "en": {
        "state": "State: [bold]{state}[/bold] ({title}), phase {phase}",
        "next_steps": "Next steps:",
        "complete": "No step left: the workflow is complete.",
        "ready": "ready",
        "blocked": "blocked",
        "emits": "  emits {docs}",
        "documents": "Documents",
        "col.id": "id",
        "col.title": "title",
        "col.v": "v",
        "col.status": "status",
        "col.annex": "annex",
        "col.awaiting": "awaiting",
        "col.signed": "signed",
        "col.pdf": "pdf",
        "out_of_date": " (out of date)",
        "stale_header": "Out of date (no longer match project.yaml):",
        "translation": "  {id} v{version} convenience translation ({locale}): {path}",
        "declined": "declined",
        "declined_line": "{mark}: {doc} v{version} by the {party} ({signer}, {at}): {reason}",
        "changes": "Changes: ratio {ratio} of {baseline} baseline requirements (warn {warn}, "
        "alarm {alarm}); open: {open}",
        "none": "none",
        "drift": "drift",
        "chain": "Audit chain: seq {seq}, head {head}",
        "awaits": "awaits the {party}: objections until {deadline}",
        "objected": "objected by the {party} on {date}",
        "deemed": "deemed confirmed on {date}",
        "meetings": "Meetings: {meetings}; action items open: {open}, overdue: {late}",
        "satisfaction": "Satisfaction: {doc}, {n} returned, average {avg}",
        "moved": "{trigger}: moved {src} -> [bold]{dst}[/bold]",
        "would_move": "{trigger}: would move {src} -> [bold]{dst}[/bold]",
        "awaiting": "  (awaiting {parties})",
        "warning": "warning",
        "no_events": "No events match.",
        "blocked_error": "{trigger} is blocked by {n} condition(s)",
        "invalid_yaml": "invalid YAML: {detail}",
        "more_problems": " (and {n:,} more problem(s))",
        "more_listed": " (and {n:,} more problems; the first {listed} are listed)",
        "list_sep": ", ",
        "colon": ": ",
        "created": "Created workspace [bold]{path}[/bold]",
        "created_code": "  project code [bold]{code}[/bold] ({name}), written into project.yaml; "
        "workflow {workflow}, state {state}",
        "created_numbers": "  every document number starts with the code; --code chooses another",
        "created_next": "  next: edit project.yaml, then `docflow status`",
        "signed_by": "{id} v{version}: {party} signed ({method}) by {signer}",
        "certificate": ", certificate {cert}",
        "signed_file": "  signed file {path}",
        "doc_status": "  status {status}",
        "doc_awaiting": ", awaiting {parties}",
        "now_effective": "  {change} is now effective; project.yaml updated",
        "withdrawn": "{id} v{version}: {party}'s signature ({method}, {signer}) withdrawn: "
        "{reason}",
        "voided": "{id} v{version} is void: {reason}",
        "reissue": "  issue it again with: {command}",
        "no_actions": "No action items.",
        "no_overdue_actions": "No overdue action items.",
        "col.party": "party",
        "col.owner": "owner",
        "col.due": "due",
        "col.task": "task",
        "action.overdue": "overdue {days}d",
        "action.done": "done ({by})",
        "action.open": "open",
        "party.client": "client",
        "party.vendor": "vendor",
        "method.recorded": "recorded",
        "method.scan": "scan",
        "method.digital": "digital",
        "method.portal": "portal",
        "method.deemed": "deemed confirmed",
        "status.issued": "issued",
        "status.signed": "signed",
        "status.superseded": "superseded",
        "status.void": "void",
        "status.draft": "draft",
    },
}


_MERGED: dict[str, dict[str, str]] = {}


def messages(locale: str) -> dict[str, str]:
    """Every sentence of ``locale`` (``zh-CN`` or ``en``): this module's table merged with the
    other commands' and the usage errors' (loaded on first use: ``status`` and ``log`` need
    only the first)."""
    merged = _MERGED.get(locale)
    if merged is None:
        from docflow.runtime.messages_commands import COMMAND_WORDS
        from docflow.runtime.messages_usage import USAGE_WORDS

        merged = {**_BASE[locale], **COMMAND_WORDS[locale], **USAGE_WORDS[locale]}
        _MERGED[locale] = merged
    return merged


def _name(locale: str | None) -> str:
    return "zh-CN" if (locale or "").lower().startswith("zh") else "en"


def tr(locale: str | None, key: str, /, **fields: Any) -> str:
    """The sentence ``key`` in ``locale`` (zh* is Chinese, anything else English), filled."""
    name = _name(locale)
    text = _BASE[name].get(key)
    if text is None:
        text = messages(name)[key]
    return text.format(**fields) if fields else text


def word(locale: str | None, kind: str, value: str) -> str:
    """A word for a coded value (``kind`` is status, party, method, change_status, priority,
    confirm, item, link or source); a value the table does not know is shown as it is."""
    name, key = _name(locale), f"{kind}.{value}"
    found = _BASE[name].get(key)
    return found if found is not None else messages(name).get(key, value)
