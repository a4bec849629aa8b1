"""The contract's figures derived from the signed record: instalments that add up, amounts and
dates moved by effective changes, warranty and maintenance periods, open items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from docflow.changes.figures import (
    ChangeEffect,
    contract_figures,
    document_figures,
    open_items,
    warranty_period,
)
from docflow.errors import InvalidInput, SpecError
from docflow.spec.loader import parse_project
from docflow.spec.project import Contract, ProjectData, Requirement
from docflow.spec.project_parts import instalment_problems, period_end

D = Decimal


def contract(**kw: Any) -> Contract:
    base: dict[str, Any] = {
        "amount": "1000.00",
        "schedule": {"end": "2026-10-30"},
        "payments": [
            {"name": "Advance", "percent": 30, "amount": "300.00"},
            {"name": "Go-live", "percent": 60},
            {"name": "Final", "amount": "100.00"},
        ],
    }
    return Contract.model_validate({**base, **kw})


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2026, 10, 10), 12, dt.date(2027, 10, 9)),
        (dt.date(2026, 3, 1), 12, dt.date(2027, 2, 28)),
        (dt.date(2027, 3, 1), 12, dt.date(2028, 2, 29)),
        (dt.date(2026, 12, 1), 1, dt.date(2026, 12, 31)),
        (dt.date(2026, 1, 15), 24, dt.date(2028, 1, 14)),
        (dt.date(2026, 11, 20), 3, dt.date(2027, 2, 19)),
        (dt.date(2026, 9, 25), 12, dt.date(2027, 9, 24)),
    ],
    ids=[
        "ordinary",
        "into-february",
        "leap-february",
        "december",
        "two-years",
        "over-new-year",
        "example-warranty",
    ],
)
def test_period_end(start: dt.date, months: int, end: dt.date) -> None:
    assert period_end(start, months) == end


@pytest.mark.parametrize(
    ("total", "payments", "problem"),
    [
        pytest.param("1000", [{"amount": "300"}, {"percent": 70}], None, id="amount-and-percent"),
        pytest.param("1000", [{"percent": 30}, {"percent": 60}], "add up to 900.00", id="short"),
        pytest.param(
            "1000", [{"percent": 30, "amount": "310"}, {"amount": "690"}], "31.00% of", id="30-310"
        ),
        pytest.param(
            "300", [{"percent": "33.33", "amount": "99.99"}, {"amount": "200.01"}], None, id="33.33"
        ),
        pytest.param("1000", [{}, {"amount": "1000"}], "[0] needs a percent", id="neither"),
        pytest.param(None, [{"percent": 30}], None, id="no-total-yet"),
        pytest.param("1000", [], None, id="no-instalments-yet"),
    ],
)
def test_instalment_problems(total: str | None, payments: list[Any], problem: str | None) -> None:
    from docflow.spec.project import Payment

    pays = [Payment.model_validate({"name": f"P{i}", **p}) for i, p in enumerate(payments)]
    found = instalment_problems(None if total is None else D(total), pays, "c.amount", "c.payments")
    if problem is None:
        assert found == []
    else:
        assert found and problem in found[0]


@pytest.mark.parametrize(
    ("field", "value"), [("amount", "-100"), ("percent", "-10")], ids=["amount", "percent"]
)
def test_a_negative_instalment_is_refused_where_it_is_written(field: str, value: str) -> None:
    """Amounts and percents are money and percent types: a negative one is refused when
    project.yaml is read, naming its line, field and value."""
    text = (
        "contract:\n  amount: 1000\n  payments:\n    - {name: A, amount: 1100}\n"
        f"    - {{name: B, {field}: {value}}}\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_project(text, "project.yaml")
    assert str(caught.value) == (
        f"project.yaml:5: contract.payments[1].{field}: must not be negative, not {value}"
    )


@dataclass(frozen=True)
class _Instalment:
    percent: Decimal | None = None
    amount: Decimal | None = None


def test_instalment_problems_name_a_negative_instalment() -> None:
    """Instalments built without the field types (any object with percent and amount) are
    still checked: a negative one is named, not added up."""
    pays = [_Instalment(amount=D("1100")), _Instalment(amount=D("-100"))]
    found = instalment_problems(D("1000"), pays, "c.amount", "c.payments")
    assert found == ["c.payments[1] is negative"]


def test_unbalanced_payments_are_refused_naming_both_fields() -> None:
    text = (
        "contract:\n  amount: 1200500.00\n  payments:\n"
        "    - {name: A, percent: 30, amount: 360150.00}\n    - {name: B, amount: 720300.00}\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_project(text, "project.yaml")
    message = str(caught.value)
    assert message.startswith("project.yaml:1: contract: ")
    assert "contract.payments add up to 1080450.00" in message and "contract.amount" in message


def test_open_items_name_known_requirements() -> None:
    text = (
        "requirements:\n  - {id: R-1, title: One}\n"
        "acceptance:\n  open_items:\n    - {requirement: R-1, due: 2026-10-01}\n"
        "    - {requirement: R-9, due: 2026-10-01}\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_project(text, "project.yaml")
    assert "acceptance.open_items[1].requirement 'R-9' names no requirement" in str(caught.value)
    parse_project(text.replace("R-9", "R-1"), "project.yaml")


def test_change_payment_must_name_an_instalment() -> None:
    with pytest.raises(ValueError, match="names no instalment"):
        contract(change_payment="Balance")


def test_figures_without_changes_are_the_signed_ones() -> None:
    fig = contract_figures(contract(), [])
    assert fig.amount == D("1000.00") and fig.changes_amount == 0
    assert [i.amount for i in fig.instalments] == [D("300.00"), D("600.00"), D("100.00")]
    assert fig.end == dt.date(2026, 10, 30) and fig.days == 0


@pytest.mark.parametrize(
    ("change_payment", "amounts"),
    [
        pytest.param("", [D("300.00"), D("600.00"), D("185.50")], id="default-last"),
        pytest.param("Go-live", [D("300.00"), D("685.50"), D("100.00")], id="named"),
    ],
)
def test_effective_changes_move_amount_instalment_and_end(
    change_payment: str, amounts: list[Decimal]
) -> None:
    changes = [
        ChangeEffect("CR-1", cost=D("100.00"), days=10),
        ChangeEffect("CR-2", cost=D("-14.50"), days=-3),
        ChangeEffect("CR-3"),  # no cost, no days
    ]
    fig = contract_figures(contract(change_payment=change_payment), changes)
    assert fig.amount == D("1085.50") and fig.changes_amount == D("85.50")
    assert [i.amount for i in fig.instalments] == amounts
    assert sum(i.amount for i in fig.instalments) == fig.amount
    assert fig.end == dt.date(2026, 11, 6) and fig.days == 7


def test_a_change_may_not_make_an_instalment_negative() -> None:
    with pytest.raises(InvalidInput, match=r"contract.payments\[2\]"):
        contract_figures(contract(), [ChangeEffect("CR-1", cost=D("-150.00"))])


def test_pending_change_shows_before_and_after() -> None:
    data = ProjectData.model_validate({"contract": contract().model_dump()})
    effective = [ChangeEffect("CR-1", annex=2, cost=D("50.00"), days=5, adds=("R-9",))]
    pending = ChangeEffect("CR-2", annex=3, cost=D("20.00"), days=2)
    fig = document_figures(data, [], effective, pending)
    change = fig["change"]
    assert (change["amount_before"], change["amount_after"]) == (D("1050.00"), D("1070.00"))
    assert (change["end_before"], change["end_after"]) == (
        dt.date(2026, 11, 4),
        dt.date(2026, 11, 6),
    )
    assert change["instalments"] == [{"name": "Final", "before": D("150.00"), "after": D("170.00")}]
    assert fig["contract"]["amount"] == D("1050.00")  # the pending change is not in force
    assert fig["origins"] == {"R-9": 2}


def _project(**sections: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "contract": {"warranty": {"months": 12}},
        "acceptance": {"type": "final", "date": "2026-09-25"},
        "maintenance": {"start": "2027-09-25", "months": 12, "fee": "96000.00"},
    }
    for key, value in sections.items():
        base[key] = {**base[key], **value}
    return base


@pytest.mark.parametrize(
    ("sections", "refused"),
    [
        pytest.param({}, False, id="after-the-warranty"),
        pytest.param({"maintenance": {"start": "2027-09-24"}}, True, id="last-free-day"),
        pytest.param({"maintenance": {"start": "2026-10-10"}}, True, id="the-review-case"),
        pytest.param({"maintenance": {"start": "2026-10-10", "fee": 0}}, False, id="free"),
        pytest.param(
            {"maintenance": {"start": "2026-10-10"}, "acceptance": {"type": "initial"}},
            False,
            id="initial-acceptance-starts-nothing",
        ),
        pytest.param(
            {
                "maintenance": {"start": "2026-12-01"},
                "contract": {"warranty": {"months": 12, "starts": "completion"}},
                "completion": {"date": "2026-10-09"},
            },
            True,
            id="from-completion",
        ),
    ],
)
def test_paid_maintenance_may_not_overlap_the_warranty(
    sections: dict[str, Any], refused: bool
) -> None:
    import yaml

    data = _project(**{k: v for k, v in sections.items() if k != "completion"})
    if "completion" in sections:
        data["completion"] = sections["completion"]
    text = yaml.safe_dump(data)
    if not refused:
        parse_project(text, "project.yaml")
        return
    with pytest.raises(SpecError) as caught:
        parse_project(text, "project.yaml")
    message = str(caught.value)
    assert "maintenance.start" in message and "contract.warranty" in message


def test_warranty_period_follows_the_final_acceptance() -> None:
    data = ProjectData.model_validate(_project())
    period = warranty_period(data)
    assert period is not None
    assert (period.start, period.end) == (dt.date(2026, 9, 25), dt.date(2027, 9, 24))
    initial = ProjectData.model_validate(_project(acceptance={"type": "initial"}))
    assert warranty_period(initial) is None


def test_open_items_list_undelivered_requirements_first() -> None:
    reqs = [
        Requirement(id="R-1", title="One", delivered=True),
        Requirement(id="R-2", title="Two"),
        Requirement(id="R-3", title="Three"),
    ]
    data = ProjectData.model_validate(
        {
            "parties": {"vendor": {"project_manager": {"name": "Leo Liu"}}},
            "requirements": [r.model_dump() for r in reqs],
            "acceptance": {
                "open_items": [
                    {"item": "Report layout", "owner": "Bob", "due": "2026-10-09"},
                    {"item": "Done already", "closed_on": "2026-10-01"},
                    {"requirement": "R-2", "owner": "Kiosk team", "due": "2026-11-30"},
                    {"requirement": "R-1", "owner": "Nobody"},  # R-1 is delivered
                ]
            },
        }
    )
    items = [(o.item, o.requirement, o.owner, o.due) for o in open_items(data, reqs)]
    assert items == [
        ("Two", "R-2", "Kiosk team", dt.date(2026, 11, 30)),
        ("Three", "R-3", "Leo Liu", None),
        ("Report layout", "", "Bob", dt.date(2026, 10, 9)),
    ]
