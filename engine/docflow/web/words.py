"""The words of the portal's pages, in Chinese and English (the document's language on a
signing page; both where the page knows no document, such as an unknown link)."""

from __future__ import annotations

from typing import Any

__all__ = ["words"]

_ZH: dict[str, Any] = {
    "lang": "zh-CN",
    "party": {"client": "甲方", "vendor": "乙方"},
    "sign_title": "签署文件",
    "as_party": "签署方",
    "version": "第{}版",
    "pages": "共{}页",
    "download": "下载PDF",
    "expires": "链接有效期至",
    "waiting": "请等待{}先签署，之后再打开此链接签署。",
    "signed_by": "已签署",
    "sign_heading": "在线签署",
    "name": "姓名",
    "draw": "请在框内手写签名",
    "clear_pad": "清除",
    "no_js": "手写签名需要浏览器启用JavaScript；未启用时以输入的姓名签署。",
    "code": "邮件验证码",
    "send_code": "发送验证码到我的邮箱",
    "code_sent": "验证码已发送至 {}，10分钟内有效。",
    "sign": "签署",
    "upload_heading": "上传已签署的文件",
    "upload_help": "已用数字证书签署的PDF，或签字盖章后的扫描件（PDF、PNG、JPEG）。",
    "file": "文件",
    "upload": "上传",
    "decline_heading": "拒绝签署",
    "reason": "拒绝原因",
    "decline": "拒绝签署",
    "done_title": "签署完成",
    "done": "{}已签署。签署文件已封存，项目经理会收到通知。",
    "declined_title": "已拒绝签署",
    "declined": "您拒绝签署{}的意见已记录，项目经理会与您联系。",
    "object_heading": "提出异议",
    "object_help": "如对本文件内容有异议，请于 {} 前（含当日）提出；逾期未提出异议的，视为确认。",
    "object_reason": "异议内容",
    "object": "提出异议",
    "objected_title": "已提出异议",
    "objected": "您对{}的异议已记录，项目经理将修订后重新发送给您确认。",
    "objection_closed": "异议期已于 {} 届满，本文件已视为确认。",
    "error_title": "无法完成",
    "page_alt": "第{}页",
}

_EN: dict[str, Any] = {
    "lang": "en",
    "party": {"client": "client", "vendor": "vendor"},
    "sign_title": "Sign a document",
    "as_party": "Signing as",
    "version": "version {}",
    "pages": "{} pages",
    "download": "Download the PDF",
    "expires": "This link works until",
    "waiting": "The {} signs first: please open this link again after they have signed.",
    "signed_by": "Signed by",
    "sign_heading": "Sign online",
    "name": "Your name",
    "draw": "Draw your signature in the box",
    "clear_pad": "Clear",
    "no_js": "Drawing needs JavaScript; without it you sign with your typed name.",
    "code": "Code from your e-mail",
    "send_code": "Send a code to my e-mail",
    "code_sent": "A code was sent to {}; it is valid for 10 minutes.",
    "sign": "Sign",
    "upload_heading": "Upload a signed file",
    "upload_help": "A PDF you signed with your digital certificate, or a scan of the signed and "
    "sealed paper (PDF, PNG, JPEG).",
    "file": "File",
    "upload": "Upload",
    "decline_heading": "Decline to sign",
    "reason": "Why you decline",
    "decline": "Decline",
    "done_title": "Signed",
    "done": "{} is signed. The signed file is sealed and the project manager is told.",
    "declined_title": "Declined",
    "declined": "Your decision not to sign {} is recorded; the project manager will contact you.",
    "object_heading": "Object",
    "object_help": "If anything in this document is wrong, object by {} (that day included); "
    "without an objection by then it counts as confirmed.",
    "object_reason": "What is wrong",
    "object": "Object",
    "objected_title": "Objection recorded",
    "objected": "Your objection to {} is recorded; the project manager will send you a revised "
    "version to confirm.",
    "objection_closed": "The time to object ended on {}; this document counts as confirmed.",
    "error_title": "Not done",
    "page_alt": "Page {}",
}


def words(locale: str) -> dict[str, Any]:
    """The page words of ``locale`` (English for any locale without its own)."""
    return _ZH if locale == "zh-CN" else _EN
