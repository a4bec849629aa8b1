"""The page frame around a document's body: running header text and page-footer words.

The running header names the document on every page: its number and title on one line, and
its annex label, the contract number and its version on the next, so that a loose page of
V1 and one of V2, or of 附件一 and 附件二, cannot be mistaken for each other.

The words come from ``labels.page`` ({before, middle, after}) and ``labels.running_head``
({contract, version}, each with ``{}`` where the value goes) when a labels file sets them,
else from the built-in table below; both renderers use the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docflow.render import numerals
from docflow.render.meta import DocMeta

__all__ = ["PageWords", "annex_label", "page_words", "running_head"]

_BUILTIN = {
    "zh-CN": ("第 ", " 页 共 ", " 页", "合同编号：{}", "第{}版"),
    "en": ("Page ", " of ", "", "Contract {}", "Version {}"),
}
_SEPARATOR = " · "


@dataclass(frozen=True)
class PageWords:
    """Footer text around the two numbers (``before N middle M after``) and the running
    header's patterns for the contract number and the version."""

    before: str
    middle: str
    after: str
    contract: str = "Contract {}"
    version: str = "Version {}"


def _text(own: Mapping[str, Any], key: str, default: str) -> str:
    value = own.get(key, default)
    return default if value is None else str(value)


def page_words(locale: str, labels: Mapping[str, Any]) -> PageWords:
    """The frame words of ``locale``, overridden by ``labels.page`` and ``labels.running_head``."""
    before, middle, after, contract, version = _BUILTIN.get(locale, _BUILTIN["en"])
    page = labels.get("page")
    if isinstance(page, Mapping):
        before = _text(page, "before", before)
        middle = _text(page, "middle", middle)
        after = _text(page, "after", after)
    head = labels.get("running_head")
    if isinstance(head, Mapping):
        contract = _text(head, "contract", contract)
        version = _text(head, "version", version)
    return PageWords(before, middle, after, contract, version)


def annex_label(number: int, locale: str) -> str:
    """附件一 / Annex 1 (as the ``annex_label`` filter writes it)."""
    return f"附件{numerals.cn_numeral(number)}" if locale.startswith("zh") else f"Annex {number}"


def _fill(pattern: str, value: object) -> str:
    # A labels pattern without "{}" is taken as a prefix; braces in it are printed as they are.
    if "{}" in pattern:
        before, _, after = pattern.partition("{}")
        return f"{before}{value}{after}"
    return f"{pattern}{value}"


def running_head(meta: DocMeta, title: str, words: PageWords) -> tuple[str, str]:
    """The running header's two lines: number and title; annex, contract number, version."""
    details = []
    if meta.annex is not None:
        details.append(annex_label(meta.annex, meta.locale))
    if meta.contract_number:
        details.append(_fill(words.contract, meta.contract_number))
    details.append(_fill(words.version, meta.version))
    return f"{meta.number}\u2003{title}", _SEPARATOR.join(details)
