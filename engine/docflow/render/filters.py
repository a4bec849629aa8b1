"""Locale-aware Jinja filters for documents: dates, money, money in words, percent, annexes.

Each filter prints None as an empty string, so optional facts leave a blank. A value a filter
cannot format raises :class:`FilterError`; the template layer reports it with the template
name and line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from docflow.render import numerals

__all__ = ["FilterError", "babel_locale", "make_filters"]

# English money words name the currency's major and minor units.
_EN_UNITS = {
    "CNY": ("yuan", "fen"),
    "USD": ("dollars", "cents"),
    "EUR": ("euros", "cents"),
    "HKD": ("Hong Kong dollars", "cents"),
}
_ZH_PREFIX = {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "HKD": "港币"}


class FilterError(ValueError):
    """A filter was given a value it cannot format."""


def babel_locale(locale: str) -> str:
    """The Babel locale name of a docflow locale: zh-CN -> zh_Hans_CN, en -> en_GB."""
    return {"zh-CN": "zh_Hans_CN", "en": "en_GB"}.get(locale, locale.replace("-", "_"))


def _amount(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise FilterError(f"{name}: expected a number, got {type(value).__name__}")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise FilterError(f"{name}: {value!r} is not a number") from exc
    if not amount.is_finite():
        raise FilterError(f"{name}: {value!r} is not a finite number")
    return amount


def make_filters(locale: str) -> dict[str, Callable[..., str]]:
    """The filters of COMMON.md bound to one locale."""
    from babel.dates import format_date
    from babel.numbers import format_currency, format_decimal, format_percent

    zh = locale.startswith("zh")
    babel = babel_locale(locale)

    def date_filter(value: Any) -> str:
        """2026年11月23日 / 23 November 2026."""
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError as exc:
                raise FilterError(f"date: {value!r} is not an ISO date") from exc
        if not isinstance(value, dt.date):
            raise FilterError(f"date: expected a date, got {type(value).__name__}")
        return str(format_date(value, "long" if zh else "d MMMM y", locale=babel))

    def money(value: Any, currency: str = "CNY") -> str:
        """¥1,200,500.00 (zh-CN) / CN¥1,200,500.00 (en)."""
        if value is None:
            return ""
        amount = _amount(value, "money")
        return str(format_currency(amount, currency, locale=babel))

    def money_words(value: Any, currency: str = "CNY") -> str:
        """人民币壹佰贰拾万零伍佰元整 / one million two hundred thousand five hundred yuan."""
        if value is None:
            return ""
        amount = _amount(value, "money_words")
        if amount < 0:
            raise FilterError(f"money_words: negative amount {value} cannot be written out")
        cents = int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        try:
            if zh:
                return numerals.money_words_zh(cents, _ZH_PREFIX.get(currency, currency))
            major, minor = _EN_UNITS.get(currency, (currency, "cents"))
            return numerals.money_words_en(cents, major, minor)
        except ValueError as exc:
            raise FilterError(f"money_words: {exc}") from exc

    def percent(value: Any) -> str:
        """A ratio as a percentage: 0.125 -> 12.5%."""
        if value is None:
            return ""
        return str(format_percent(_amount(value, "percent"), "#,##0.#%", locale=babel))

    def number(value: Any) -> str:
        """A decimal number with grouping: 1200500.5 -> 1,200,500.5."""
        if value is None:
            return ""
        return str(format_decimal(_amount(value, "number"), locale=babel))

    def _whole(value: Any, name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FilterError(f"{name}: expected a whole number >= 0, got {value!r}")
        return value

    def cn_numeral(value: Any) -> str:
        """Lowercase Chinese numerals: 12 -> 十二."""
        if value is None:
            return ""
        try:
            return numerals.cn_numeral(_whole(value, "cn_numeral"))
        except ValueError as exc:
            raise FilterError(f"cn_numeral: {exc}") from exc

    def annex_label(value: Any) -> str:
        """1 -> 附件一 / Annex 1."""
        if value is None:
            return ""
        number_ = _whole(value, "annex_label")
        return f"附件{numerals.cn_numeral(number_)}" if zh else f"Annex {number_}"

    return {
        "date": date_filter,
        "money": money,
        "money_words": money_words,
        "percent": percent,
        "number": number,
        "cn_numeral": cn_numeral,
        "annex_label": annex_label,
    }
