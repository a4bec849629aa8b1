"""Amounts of money and percentages: the one set of types every amount field uses.

Every amount in ``project.yaml`` and in a change request is one of these, so that a value
a document could not print, or would print wrongly, is refused when the file is loaded
(exit 4, with file, line and field path) instead of failing when a document is rendered:

- :data:`Money` (``contract.amount``, ``contract.payments[].amount``, ``maintenance.fee``):
  a decimal number with 0 <= amount < 10^13 and at most 2 decimal places (fen, cents).
- :data:`SignedMoney` (a change request's ``cost``): the same, but negative amounts are
  allowed too (-10^13 < cost < 10^13): a change may lower the price as well as raise it, and
  the change annex says "decreases by" for a negative cost.
- :data:`Percent` (``contract.payments[].percent``): 0 <= percent <= 100, at most 2 decimal
  places.

Refused, each with a sentence saying why: true/false, text that is not a decimal number
(``"1,200"``, ``"¥5"``, ``"NaN"``), infinity and NaN (``.inf``, ``1e309``), amounts of 10^13 or
more (``1e30``), more than 2 decimal places. A number written in YAML is read from its
digits, not from the binary float a YAML reader makes of it, so ``1200500.005`` is refused
even though it is a float; and below 10^13 with 2 decimals every amount has at most 15
significant digits, which a binary float also holds exactly. Quoted numbers (``"1200.50"``)
are accepted: the store keeps change costs as text.

To add an amount field, import from here and annotate it::

    from docflow.spec.money import Money
    deposit: Money | None = None
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from docflow.spec.yamlscalars import WrittenFloat

__all__ = ["MAX_AMOUNT", "MAX_PLACES", "Money", "Percent", "SignedMoney", "check_amount"]

#: Every amount is below this (ten trillion): far above any contract, and small enough that
#: an amount with 2 decimals has at most 15 significant digits.
MAX_AMOUNT = Decimal(10) ** 13
#: Decimal places an amount or percentage may have.
MAX_PLACES = 2

_CENT = Decimal(1).scaleb(-MAX_PLACES)
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$")


def _decimal(value: Any) -> Decimal:
    """The exact decimal a value stands for, or ValueError saying why it is not an amount."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {str(value).lower()} (a yes/no value)")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # The digits as written in YAML when known, else the shortest text of the float.
        number = _parse(value.text if isinstance(value, WrittenFloat) else repr(value), value)
    elif isinstance(value, str):
        if not _PLAIN_NUMBER.match(value.strip()):
            raise ValueError(f"must be a number, not {_show(value)}")
        number = _parse(value.strip(), value)
    else:
        kind = "a mapping" if isinstance(value, dict) else type(value).__name__
        raise ValueError(f"must be a number, not {'a list' if isinstance(value, list) else kind}")
    if not number.is_finite():
        raise ValueError(f"must be a finite amount, not {_show(value)}")
    return number


def _parse(text: str, value: Any) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"must be a number, not {_show(value)}") from exc


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(getattr(value, "text", value))
    return text if len(text) <= 40 else text[:37] + "..."


def check_amount(value: Any, *, signed: bool = False, limit: Decimal = MAX_AMOUNT) -> Decimal:
    """``value`` as an exact Decimal if it is a valid amount; else ValueError saying why.

    ``signed`` allows negative amounts (above ``-limit``); ``limit`` is exclusive, except
    for percentages, whose limit of 100 is included.
    """
    number = _decimal(value)
    if not signed and number < 0:
        raise ValueError(f"must not be negative, not {_show(value)}")
    inclusive = limit == 100
    if abs(number) > limit or (abs(number) == limit and not inclusive):
        bound = "at most 100" if inclusive else f"less than {limit:,.0f}"
        raise ValueError(f"must be {bound}, not {_show(value)}")
    # 1.500 is the amount 1.50; 1.505 is not an amount. Below 10^13 the quantized value
    # has at most 15 digits, well inside the decimal context's 28.
    cents = number.quantize(_CENT)
    if cents != number:
        raise ValueError(f"must have at most {MAX_PLACES} decimal places, not {_show(value)}")
    exponent = number.as_tuple().exponent
    return number if isinstance(exponent, int) and exponent >= -MAX_PLACES else cents


def _schema(minimum: float, maximum: float, exclusive: bool, what: str) -> dict[str, Any]:
    top = "exclusiveMaximum" if exclusive else "maximum"
    low = "exclusiveMinimum" if minimum < 0 else "minimum"
    return {
        "anyOf": [
            {"type": "number", low: minimum, top: maximum},
            {"type": "string", "pattern": r"^[+-]?[0-9]+(\.[0-9]{1,2})?$"},
        ],
        "description": what,
    }


Money = Annotated[
    Decimal,
    BeforeValidator(check_amount),
    WithJsonSchema(_schema(0, 1e13, True, "An amount: 0 <= amount < 10^13, at most 2 decimals.")),
]
SignedMoney = Annotated[
    Decimal,
    BeforeValidator(partial(check_amount, signed=True)),
    WithJsonSchema(
        _schema(-1e13, 1e13, True, "An amount, negative for a reduction: |amount| < 10^13.")
    ),
]
Percent = Annotated[
    Decimal,
    BeforeValidator(partial(check_amount, limit=Decimal(100))),
    WithJsonSchema(_schema(0, 100, False, "A percentage: 0 to 100, at most 2 decimals.")),
]
