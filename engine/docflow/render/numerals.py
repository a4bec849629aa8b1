"""Numbers written out in words: capital Chinese money, lowercase Chinese numerals, English.

Pure functions of integers; rounding and validation of amounts happen in ``filters``.
"""

from __future__ import annotations

__all__ = ["cn_capital_integer", "cn_numeral", "en_words", "money_words_en", "money_words_zh"]

_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL_UNITS = ("", "拾", "佰", "仟")
_LOWER_DIGITS = "零一二三四五六七八九"
_LOWER_UNITS = ("", "十", "百", "千")
_GROUP_UNITS = ("", "万", "亿", "万亿")

_EN_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_SCALES = ("", " thousand", " million", " billion", " trillion")


def _chinese(number: int, digits: str, units: tuple[str, ...]) -> str:
    """Write a non-negative integer with groups of four digits (万, 亿) and collapsed zeros."""
    if number == 0:
        return digits[0]
    groups: list[int] = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    if len(groups) > len(_GROUP_UNITS):
        raise ValueError("number too large to write in Chinese numerals")
    out: list[str] = []
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(out)
            continue
        # a gap before this group (1000_0005) or inside it (1005) is read as one 零
        if out and (pending_zero or group < 1000):
            out.append(digits[0])
        pending_zero = False
        text = ""
        gap = False
        for position in range(3, -1, -1):
            digit = group // 10**position % 10
            if digit == 0:
                gap = bool(text)
                continue
            if gap:
                text += digits[0]
                gap = False
            text += digits[digit] + units[position]
        out.append(text + _GROUP_UNITS[index])
    return "".join(out)


def cn_capital_integer(number: int) -> str:
    """Capital (financial) Chinese numerals: 1200500 -> 壹佰贰拾万零伍佰."""
    return _chinese(number, _CAPITAL_DIGITS, _CAPITAL_UNITS)


def cn_numeral(number: int) -> str:
    """Lowercase Chinese numerals as in 附件十二: 12 -> 十二, 101 -> 一百零一."""
    text = _chinese(number, _LOWER_DIGITS, _LOWER_UNITS)
    # 10-19 read 十, 十一 rather than 一十, 一十一 when they lead the number
    return text[1:] if text.startswith("一十") else text


def money_words_zh(fen: int, prefix: str = "人民币") -> str:
    """An amount in fen (1/100) in capital Chinese: 120050000 -> 人民币壹佰贰拾万零伍佰元整."""
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    text = prefix
    if yuan:
        text += cn_capital_integer(yuan) + "元"
    if not jiao and not fen_digit:
        return text + ("整" if yuan else "零元整")
    if jiao:
        text += _CAPITAL_DIGITS[jiao] + "角"
    elif yuan:
        text += _CAPITAL_DIGITS[0]  # 壹元零伍分: the empty 角 is read as 零
    if fen_digit:
        return text + _CAPITAL_DIGITS[fen_digit] + "分"
    return text + "整"


def _en_below_thousand(number: int) -> str:
    hundreds, rest = divmod(number, 100)
    parts: list[str] = []
    if hundreds:
        parts.append(_EN_SMALL[hundreds] + " hundred")
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        parts.append(_EN_TENS[tens] + ("-" + _EN_SMALL[ones] if ones else ""))
    elif rest:
        parts.append(_EN_SMALL[rest])
    return " ".join(parts)


def en_words(number: int) -> str:
    """English words without "and": 1200500 -> one million two hundred thousand five hundred."""
    if number == 0:
        return "zero"
    parts: list[str] = []
    scale = 0
    while number:
        if scale >= len(_EN_SCALES):
            raise ValueError("number too large to write in words")
        number, group = divmod(number, 1000)
        if group:
            parts.append(_en_below_thousand(group) + _EN_SCALES[scale])
        scale += 1
    return " ".join(reversed(parts))


def money_words_en(cents: int, major: str = "yuan", minor: str = "fen") -> str:
    """An amount in 1/100 units: 120050005 -> one million ... five hundred yuan and five fen."""
    whole, fraction = divmod(cents, 100)
    if not fraction:
        return f"{en_words(whole)} {major}"
    if not whole:
        return f"{en_words(fraction)} {minor}"
    return f"{en_words(whole)} {major} and {en_words(fraction)} {minor}"
