"""The locale-aware filters: dates, money, money in words, percent, annex labels, numerals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from docflow.render.filters import FilterError, make_filters

ZH = make_filters("zh-CN")
EN = make_filters("en")


@pytest.mark.parametrize(
    ("amount", "zh", "en"),
    [
        pytest.param("0.05", "人民币伍分", "five fen", id="fen-only"),
        pytest.param("0.50", "人民币伍角整", "fifty fen", id="jiao-only"),
        pytest.param("0", "人民币零元整", "zero yuan", id="zero"),
        pytest.param("10", "人民币壹拾元整", "ten yuan", id="ten"),
        pytest.param("100", "人民币壹佰元整", "one hundred yuan", id="hundred"),
        pytest.param("1005", "人民币壹仟零伍元整", "one thousand five yuan", id="zero-inside"),
        pytest.param("10005", "人民币壹万零伍元整", "ten thousand five yuan", id="zeros-inside"),
        pytest.param("10000000", "人民币壹仟万元整", "ten million yuan", id="ten-million"),
        pytest.param(
            "1200500",
            "人民币壹佰贰拾万零伍佰元整",
            "one million two hundred thousand five hundred yuan",
            id="brief-example",
        ),
        pytest.param(
            "120500.00",
            "人民币壹拾贰万零伍佰元整",
            "one hundred twenty thousand five hundred yuan",
            id="cents-zero",
        ),
        pytest.param("1.05", "人民币壹元零伍分", "one yuan and five fen", id="zero-jiao"),
        pytest.param("10.50", "人民币壹拾元伍角整", "ten yuan and fifty fen", id="jiao"),
        pytest.param(
            "100000001", "人民币壹亿零壹元整", "one hundred million one yuan", id="yi-gap"
        ),
        pytest.param("0.005", "人民币壹分", "one fen", id="rounds-half-up"),
    ],
)
def test_money_words(amount: str, zh: str, en: str) -> None:
    """money_words writes capital Chinese numerals and English words for CNY."""
    assert ZH["money_words"](Decimal(amount)) == zh
    assert EN["money_words"](Decimal(amount)) == en


@pytest.mark.parametrize("value", [Decimal("-1"), -0.05], ids=["decimal", "float"])
def test_money_words_refuses_negative(value: Any) -> None:
    """A negative amount cannot be written out and says so."""
    with pytest.raises(FilterError, match="negative"):
        ZH["money_words"](value)


@pytest.mark.parametrize(
    "value", ["abc", True, [1], float("nan")], ids=["text", "bool", "list", "nan"]
)
def test_money_refuses_non_numbers(value: Any) -> None:
    """money and money_words name the value they cannot format."""
    with pytest.raises(FilterError):
        ZH["money"](value)
    with pytest.raises(FilterError):
        EN["money_words"](value)


@pytest.mark.parametrize(
    ("name", "value", "zh", "en"),
    [
        pytest.param(
            "date", dt.date(2026, 11, 23), "2026年11月23日", "23 November 2026", id="date"
        ),
        pytest.param("date", "2026-01-05", "2026年1月5日", "5 January 2026", id="date-iso-text"),
        pytest.param("money", Decimal("1200500"), "¥1,200,500.00", "CN¥1,200,500.00", id="money"),
        pytest.param("percent", 0.125, "12.5%", "12.5%", id="percent"),
        pytest.param("percent", 0.0, "0%", "0%", id="percent-zero"),
        pytest.param("annex_label", 1, "附件一", "Annex 1", id="annex-1"),
        pytest.param("annex_label", 12, "附件十二", "Annex 12", id="annex-12"),
        pytest.param("cn_numeral", 101, "一百零一", "一百零一", id="numeral-101"),
        pytest.param("cn_numeral", 20, "二十", "二十", id="numeral-20"),
        pytest.param("cn_numeral", 110000, "十一万", "十一万", id="numeral-110000"),
    ],
)
def test_locale_filters(name: str, value: Any, zh: str, en: str) -> None:
    """Each filter formats by the locale it was made for."""
    assert ZH[name](value) == zh
    assert EN[name](value) == en


@pytest.mark.parametrize("name", sorted(ZH), ids=sorted(ZH))
def test_none_prints_empty(name: str) -> None:
    """Optional facts are None; every filter prints them as an empty string."""
    assert ZH[name](None) == ""
    assert EN[name](None) == ""


@pytest.mark.parametrize("value", [-1, 1.5, "3"], ids=["negative", "float", "text"])
def test_annex_label_needs_whole_number(value: Any) -> None:
    """Annex numbers are whole numbers from 0 up."""
    with pytest.raises(FilterError, match="whole number"):
        ZH["annex_label"](value)
