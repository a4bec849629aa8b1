"""Every amount field uses the money types: bad amounts are refused at load with their path."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from docflow.errors import SpecError
from docflow.spec.change import parse_change_text
from docflow.spec.loader import parse_project
from docflow.spec.money import MAX_AMOUNT, Money, Percent, SignedMoney, check_amount

AMOUNT_FIELDS = {
    "contract.amount": "contract:\n  amount: {v}\n",
    "contract.payments[0].amount": "contract:\n  payments:\n    - name: first\n      amount: {v}\n",
    "maintenance.fee": "maintenance:\n  fee: {v}\n",
}

BAD_AMOUNTS = [
    pytest.param("-1", "must not be negative", id="negative"),
    pytest.param("1e309", "must be less than 10,000,000,000,000", id="1e309"),
    pytest.param("1e30", "must be less than 10,000,000,000,000", id="1e30"),
    pytest.param("10000000000000", "must be less than", id="ten-trillion"),
    pytest.param(".nan", "must be a finite amount", id="nan"),
    pytest.param(".inf", "must be a finite amount", id="infinity"),
    pytest.param("-.inf", "must be a finite amount", id="minus-infinity"),
    pytest.param("1200500.005", "must have at most 2 decimal places", id="three-decimals"),
    pytest.param("100.0000000000000001", "at most 2 decimal places", id="digits-a-float-loses"),
    pytest.param("'1,200.00'", "must be a number", id="grouped-text"),
    pytest.param("'¥5'", "must be a number", id="currency-sign"),
    pytest.param("true", "must be a number, not true", id="bool"),
    pytest.param("[1]", "must be a number, not a list", id="list"),
]


@pytest.mark.parametrize("field", list(AMOUNT_FIELDS), ids=list(AMOUNT_FIELDS))
@pytest.mark.parametrize(("value", "expected"), BAD_AMOUNTS)
def test_bad_amount_is_refused_with_file_line_and_path(
    field: str, value: str, expected: str
) -> None:
    """Each bad amount in each amount field: one problem naming file, line and field."""
    text = AMOUNT_FIELDS[field].format(v=value)
    with pytest.raises(SpecError) as caught:
        parse_project(text, "project.yaml")
    (problem,) = caught.value.problems
    assert problem.file == "project.yaml" and problem.line == text.count("\n")
    assert problem.path == field and expected in problem.message


GOOD_AMOUNTS = [
    pytest.param("0", Decimal("0"), id="zero"),
    pytest.param("1200500", Decimal("1200500"), id="int"),
    pytest.param("1200500.00", Decimal("1200500.00"), id="two-decimals"),
    pytest.param("1200500.500", Decimal("1200500.50"), id="trailing-zero"),
    pytest.param("9999999999999.99", Decimal("9999999999999.99"), id="largest"),
    pytest.param("'12.50'", Decimal("12.50"), id="quoted"),
]


@pytest.mark.parametrize(("value", "amount"), GOOD_AMOUNTS)
def test_good_amount_is_exact(value: str, amount: Decimal) -> None:
    """Amounts keep their written digits (no binary float in between)."""
    project = parse_project(f"contract:\n  amount: {value}\n", "project.yaml")
    assert project.contract.amount == amount
    assert str(project.contract.amount) == str(amount)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("101", "must be at most 100", id="over-100"),
        pytest.param("-5", "must not be negative", id="negative"),
        pytest.param("33.333", "must have at most 2 decimal places", id="three-decimals"),
        pytest.param(".nan", "must be a finite amount", id="nan"),
    ],
)
def test_bad_percent_is_refused(value: str, expected: str) -> None:
    """A payment's percent lies in 0..100 with at most 2 decimals."""
    text = f"contract:\n  payments:\n    - name: a\n      percent: {value}\n"
    with pytest.raises(SpecError, match=r"contract\.payments\[0\]\.percent: " + expected):
        parse_project(text, "project.yaml")


def test_percent_of_100_is_allowed() -> None:
    """100 % is a whole payment."""
    text = "contract:\n  payments:\n    - name: a\n      percent: 100\n"
    assert parse_project(text, "project.yaml").contract.payments[0].percent == 100


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        pytest.param("-5000.50", True, id="reduction"),
        pytest.param("5000", True, id="increase"),
        pytest.param("-1e13", False, id="too-negative"),
        pytest.param("1.001", False, id="three-decimals"),
        pytest.param(".inf", False, id="infinity"),
    ],
)
def test_change_cost_may_be_negative_but_bounded(value: str, accepted: bool) -> None:
    """A change may lower the price: its cost is signed, within the same range and scale."""
    text = f"title: t\nreason: r\ncost: {value}\n"
    if accepted:
        assert parse_change_text(text, "c.yaml").cost == Decimal(value)
    else:
        with pytest.raises(SpecError, match=r"c\.yaml:3: cost: "):
            parse_change_text(text, "c.yaml")


def test_stored_cost_text_validates_again() -> None:
    """Change costs are kept as text in the store and read back exactly."""
    spec = parse_change_text("title: t\nreason: r\ncost: -1234.5\n", "c.yaml")
    again = type(spec).model_validate(json.loads(json.dumps(spec.model_dump(mode="json"))))
    assert again.cost == Decimal("-1234.5")


class _NewFields(BaseModel):
    deposit: Money
    refund: SignedMoney
    share: Percent


def test_types_serve_new_fields() -> None:
    """The types are importable and usable by any model (how new amount fields use them)."""
    model = _NewFields(deposit="10.5", refund=-3, share=Decimal("12.25"))
    assert (model.deposit, model.refund, model.share) == (Decimal("10.5"), -3, Decimal("12.25"))
    with pytest.raises(ValidationError, match="must not be negative"):
        _NewFields(deposit=-1, refund=0, share=0)


def test_check_amount_bounds() -> None:
    """The bound is exclusive for amounts."""
    assert check_amount(MAX_AMOUNT - Decimal("0.01")) == Decimal("9999999999999.99")
    with pytest.raises(ValueError, match="less than"):
        check_amount(MAX_AMOUNT)


def test_schema_documents_the_range() -> None:
    """Editors see the range in project.schema.json."""
    schema = json.dumps(_NewFields.model_json_schema())
    assert "10000000000000.0" in schema and '"maximum": 100' in schema
