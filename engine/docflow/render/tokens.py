"""What a line must not break inside, and the character classes of mixed CJK/Latin text.

Tokens are found in the text itself, so neither data nor templates mark them: e-mail
addresses, codes (JZDY-XX-2026-017, HIS-2026/RM-1, R-001), dates (2026年12月6日,
6 December 2026, 2026-12-06), times and time ranges, amounts with or without a currency
(¥1,200,500.00, CNY 120,050.00, 50%), version numbers and telephone numbers. A token takes
one neighbouring opening bracket (and a "No. ") before it and one closing punctuation mark
after it, so that no line starts with the comma or bracket that belongs to it.

In a Chinese table cell the last two ideographs of a line stay together as well, so that no
single character is left alone on a narrow column's last line ("会议/室").
"""

from __future__ import annotations

import functools
import re

__all__ = ["CJK", "CJK_CHAR", "is_cjk", "keep_spans", "phrase_spans"]

# Ideographs, kana, CJK punctuation and full-width forms.
CJK = (
    "\u2e80-\u2eff\u2f00-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0002fa1f"
)
CJK_CHAR = re.compile(f"[{CJK}]")
_IDEOGRAPH = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_CURRENCY = r"(?:CNY|RMB|USD|EUR|HKD|GBP|JPY|CN¥|US\$|HK\$|[¥$€£￥])"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SP = "[ \u00a0]?"  # a space inside a token, never a line break
_PATTERNS = (
    # e-mail before codes: a local part may look like a code
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    # dates
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日",
    rf"\d{{1,2}} (?:{_MONTHS}) \d{{4}}|(?:{_MONTHS}) \d{{1,2}}, \d{{4}}|(?:{_MONTHS}) \d{{4}}",
    r"\d{4}-\d{2}-\d{2}",
    # times and time ranges: 09:00-11:30, 8:00～18:00
    rf"\d{{1,2}}:\d{{2}}(?:{_SP}[-–~～至]{_SP}\d{{1,2}}:\d{{2}})?",
    # amounts: a currency before or 元 after, or digit grouping; percentages
    rf"{_CURRENCY}{_SP}(?:{_NUMBER})(?:{_SP}万?元)?",
    rf"(?:{_NUMBER}){_SP}万?元",
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?",
    rf"\d+(?:\.\d+)?{_SP}[%‰]",
    # telephone numbers: 0571-8801 2301, 138 0571 6622, +86 571 8801 2301, 400-826-6600
    r"(?:\+\d{1,3}[ -])?\d{3,4}(?:[ -]\d{3,4}){1,3}",
    # codes: letters and digits joined by - or / (a candidate; see _is_code)
    r"[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)+",
)
_TOKEN = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))
# Every token holds a digit, an @ or capitals joined by - / or .: text without any has none.
_MAYBE_TOKEN = re.compile(r"[\d@]|[A-Z][-/.][A-Z]")
_CODE_ONLY = re.compile(_PATTERNS[-1])
_NUMBER_SIGN = re.compile(r"(?:\bNo\.|\bNos\.|\bNr\.|№) ?$")
_OPENING = "（「『《〈【〔(\\[“‘"
_CLOSING = "，。、；：？！）」』》〉】〕,.;:?!)\\]”’"
# A table entry up to this long keeps each phrase between separators on one line when it
# has at most this many words (English) or characters (Chinese) and the column has room.
_ENTRY_CHARS = {False: 48, True: 24}
_PHRASE_SIZE = {False: 4, True: 8}
_PHRASE = re.compile(r"[^,，、;；\n]+")
_LAST_TWO = re.compile(f"[{_IDEOGRAPH}]{{2}}[{re.escape(_CLOSING)}]*$")


def is_cjk(char: str) -> bool:
    """True for an ideograph, kana, CJK punctuation mark or full-width form."""
    return bool(CJK_CHAR.match(char))


def _is_code(text: str) -> bool:
    """A joined word is a code when it has a digit or is all capitals (not "Wi-Fi")."""
    if any(ch.isdigit() for ch in text):
        return True
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters) and "." not in text


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in "No. " and one opening bracket before, and one closing mark after the token."""
    prefix = _NUMBER_SIGN.search(text, 0, start)
    if prefix is not None:
        start = prefix.start()
    if start > 0 and text[start - 1] in _OPENING:
        start -= 1
    if end < len(text) and text[end] in _CLOSING:
        end += 1
    return start, end


@functools.lru_cache(maxsize=4096)  # table columns repeat their entries ("Must", "R-001")
def keep_spans(text: str, *, cjk_lines: bool) -> tuple[tuple[int, int], ...]:
    """Sorted, disjoint (start, end) spans of ``text`` that must stay on one line.

    ``cjk_lines`` adds the last two ideographs of each line (``\\n`` ends a line).
    """
    spans: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(text) if _MAYBE_TOKEN.search(text) else ():
        token = match.group(0)
        if _CODE_ONLY.fullmatch(token) and not _is_code(token):
            continue
        spans.append(_widen(text, match.start(), match.end()))
    if cjk_lines:
        offset = 0
        for line in text.split("\n"):
            last = _LAST_TWO.search(line)
            if last is not None and len(line) > 2:
                spans.append((offset + last.start(), offset + last.end()))
            offset += len(line) + 1
    return tuple(_merge(spans))


@functools.lru_cache(maxsize=4096)
def phrase_spans(text: str, zh: bool) -> tuple[tuple[int, int], ...]:
    """The phrases of a short table entry ("Outpatient Department", "Laura Sun"; "院办",
    "信息科"): a name or a department reads best unbroken."""
    spans: list[tuple[int, int]] = []
    if "\n" not in text and len(text) > _ENTRY_CHARS[zh]:
        return ()
    offset = 0
    for line in text.split("\n"):
        if len(line) <= _ENTRY_CHARS[zh]:
            for match in _PHRASE.finditer(line):
                phrase = match.group(0)
                start = match.start() + len(phrase) - len(phrase.lstrip())
                end = match.end() - (len(phrase) - len(phrase.rstrip()))
                size = end - start if zh else len(phrase.split())
                if 0 < size <= _PHRASE_SIZE[zh] and end - start > 1:
                    spans.append((offset + start, offset + end))
        offset += len(line) + 1
    return tuple(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif end > start:
            merged.append((start, end))
    return merged
