"""The portal's sentences that end up in records and mail: the consent the signer agrees to,
the words of the seal, and the messages that carry a link or a one-time code, per locale."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docflow.store.base import DocumentRow

__all__ = ["code_mail", "consent_text", "link_mail", "seal_words"]

_CONSENT = {
    "zh-CN": "我已阅读上述文件，同意以电子方式签署，并确认本电子签名与手写签名具有同等效力。",
    "en": "I have read this document, agree to sign it electronically, and accept that my "
    "electronic signature has the same effect as my handwritten signature.",
}
_SEAL = {"zh-CN": "在线签署", "en": "Signed online"}
_PARTY = {
    "zh-CN": {"client": "甲方", "vendor": "乙方"},
    "en": {"client": "client", "vendor": "vendor"},
}


def _pick(table: dict[str, str], locale: str) -> str:
    return table.get(locale, table["en"])


def consent_text(locale: str) -> str:
    """The sentence the signer ticks, recorded word for word with the signature."""
    return _pick(_CONSENT, locale)


def seal_words(locale: str) -> str:
    """The words under the signer's name in the signature field."""
    return _pick(_SEAL, locale)


def link_mail(
    locale: str, project: str, doc: DocumentRow, party: str, url: str, expires: str
) -> tuple[str, str]:
    """Subject and body of the message that carries a signing link."""
    side = _PARTY.get(locale, _PARTY["en"]).get(party, party)
    if locale == "zh-CN":
        return (
            f"请签署 {doc.doc_id} {doc.title}",
            f"{project}：请以{side}身份在线阅读并签署 {doc.doc_id} {doc.title}"
            f"（第{doc.version}版）。\n\n"
            f"{url}\n\n链接仅供您本人使用一次，有效期至 {expires[:16].replace('T', ' ')} UTC。",
        )
    return (
        f"Please sign {doc.doc_id} {doc.title}",
        f"{project}: please read and sign {doc.doc_id} {doc.title} (version {doc.version}) "
        f"as the {side}.\n\n{url}\n\nThe link is for you alone, works once, and expires "
        f"{expires[:16].replace('T', ' ')} UTC.",
    )


def code_mail(locale: str, doc_id: str, code: str) -> tuple[str, str]:
    """Subject and body of the message that carries a one-time code."""
    if locale == "zh-CN":
        return (
            f"签署验证码 {code}",
            f"您签署 {doc_id} 的验证码是 {code}，10 分钟内有效。如非本人操作，请忽略本邮件。",
        )
    return (
        f"Your signing code {code}",
        f"Your code to sign {doc_id} is {code}. It is valid for 10 minutes. If you did not "
        "ask for it, ignore this message.",
    )
