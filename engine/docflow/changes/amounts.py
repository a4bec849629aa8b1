"""Amounts as people write them on the command line: ``48,000``, ``¥48,000.00``, ``4.8万``.

The change file and project.yaml take plain numbers only; a PM typing ``--cost`` writes what
is on the quotation in front of him. :func:`parse_amount` accepts:

- digits with an optional decimal point and at most 2 decimal places: ``48000``, ``48000.5``;
- thousands separated by ``,`` or a space (including a no-break or thin space), in groups of
  three: ``48,000``, ``48 000``, ``1,234,567.89``;
- a currency mark before or after: ``¥``/``￥``, ``RMB``, ``CNY``, ``元``;
- a sign: ``-5,000`` or ``−5,000`` lowers the contract amount;
- the Chinese unit ``万`` (ten thousand), e.g. ``4.8万`` = 48,000.00 and ``12万元``: it is
  what Chinese quotations write, and exact (no rounding); ``亿`` likewise.

Full-width digits and commas are read as their ASCII forms. Anything else (``48.000,00``,
``4,80``, ``1e5``, ``forty``) is refused with a sentence that shows the accepted forms.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from docflow.errors import InvalidInput
from docflow.runtime.lang import say

__all__ = ["AMOUNT_HELP", "MAX_AMOUNT", "parse_amount"]

#: Amounts are below this (ten trillion), with at most 2 decimal places.
MAX_AMOUNT = Decimal(10) ** 13

#: The accepted forms, as ``--help`` and error messages show them.
AMOUNT_HELP = "48000, 48000.00, 48,000, 48 000, ¥48,000, 4.8万, -5,000"

_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_CURRENCY = re.compile(r"^(?:¥|RMB|CNY)\s*|\s*(?:元|RMB|CNY)$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]")
_GROUPED = re.compile(
    r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d{1,3}(?: \d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$"
)


def _refuse(text: str, what: str) -> InvalidInput:
    return InvalidInput(
        say(
            None,
            f"{what} {text!r} 不是金额（可写作 {AMOUNT_HELP}）",
            f"{what} {text!r} is not an amount (write e.g. {AMOUNT_HELP})",
        )
    )


def parse_amount(text: str, what: str = "--cost") -> Decimal:
    """The exact amount ``text`` writes, or InvalidInput naming ``what`` and the forms."""
    raw = unicodedata.normalize("NFKC", text).strip()
    raw = raw.replace("\u2212", "-")  # the minus sign
    sign = Decimal(1)
    if raw[:1] in "+-" and raw:
        sign = Decimal(-1) if raw[0] == "-" else sign
        raw = raw[1:].strip()
    for _ in range(2):  # a mark on either side: ¥4.8万元
        raw = _CURRENCY.sub("", raw).strip()
    unit = Decimal(1)
    if raw[-1:] in _UNITS:
        unit = _UNITS[raw[-1]]
        raw = raw[:-1].strip()
    raw = re.sub(r"(?<=\d)[\u00a0\u2009\u202f ](?=\d)", " ", raw)
    if not raw or _SPACES.sub(" ", raw) != raw or not _GROUPED.match(raw):
        raise _refuse(text, what)
    try:
        number = Decimal(raw.replace(",", "").replace(" ", "")) * unit * sign
    except InvalidOperation as exc:
        raise _refuse(text, what) from exc
    if number != number.quantize(Decimal("0.01")):
        raise InvalidInput(
            say(
                None,
                f"{what} {text!r} 的小数超过两位（金额精确到分）",
                f"{what} {text!r} has more than 2 decimal places (fen, cents)",
            )
        )
    if abs(number) >= MAX_AMOUNT:
        raise InvalidInput(
            say(
                None,
                f"{what} {text!r} 超出上限 {MAX_AMOUNT:,.0f}",
                f"{what} {text!r} is not below {MAX_AMOUNT:,.0f}",
            )
        )
    return number.quantize(Decimal("0.01"))
