"""The contract as it stands: amounts, instalments and dates derived from the signed record.

Nothing here is typed twice. The contract's current amount is the signed amount plus the costs
of the effective change requests; their costs are added to one instalment (the one
``contract.change_payment`` names, else the last), so the instalments always add up to the
amount; the schedule's end moves by the changes' days. The free warranty runs from the
acceptance (or completion) for ``contract.warranty.months``; maintenance is paid only after
it. Acceptance lists every requirement not delivered as an open item, with its owner and
deadline. These are pure functions over the project's models; the runtime passes in the
effective changes and the current requirement set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from docflow.errors import InvalidInput
from docflow.spec.change import ChangeRequestSpec
from docflow.spec.project import Contract, Maintenance, ProjectData, Requirement
from docflow.spec.project_parts import CENT, instalment_amounts, period_end

__all__ = [
    "ChangeEffect",
    "ContractFigures",
    "Instalment",
    "OpenItemView",
    "Period",
    "change_instalment",
    "contract_figures",
    "document_figures",
    "maintenance_period",
    "open_items",
    "warranty_period",
]

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ChangeEffect:
    """What one change request does to the contract: its cost, its days, what it adds."""

    id: str
    title: str = ""
    annex: int | None = None
    cost: Decimal | None = None
    days: int | None = None
    adds: tuple[str, ...] = ()
    payment: str | None = None  # the instalment its cost goes to; None: the contract's default

    @classmethod
    def of(cls, cr_id: str, annex: int | None, spec: ChangeRequestSpec) -> ChangeEffect:
        """The effect of change request ``cr_id`` as filed."""
        adds = tuple(r.id for r in spec.adds)
        return cls(cr_id, spec.title, annex, spec.cost, spec.days, adds, spec.payment)

    @classmethod
    def of_context(cls, change: Mapping[str, Any]) -> ChangeEffect:
        """The effect of the template's ``change`` dict (a change annex's change)."""
        adds = tuple(str(r["id"]) for r in change.get("adds") or ())
        cost = change.get("cost")
        return cls(
            str(change["id"]),
            str(change.get("title") or ""),
            change.get("annex"),
            None if cost is None else Decimal(str(cost)),
            change.get("days"),
            adds,
            change.get("payment"),
        )


@dataclass(frozen=True)
class Instalment:
    """One payment of the contract: as signed, and as the effective changes adjusted it."""

    name: str
    percent: Decimal | None
    signed: Decimal
    adjustment: Decimal
    condition: str
    takes_changes: bool

    @property
    def amount(self) -> Decimal:
        """What is due now."""
        return self.signed + self.adjustment


@dataclass(frozen=True)
class ContractFigures:
    """The contract's amount, instalments and end date, signed and current."""

    currency: str
    signed_amount: Decimal | None
    changes: tuple[ChangeEffect, ...]
    changes_amount: Decimal
    amount: Decimal | None
    instalments: tuple[Instalment, ...]
    signed_end: dt.date | None
    days: int
    end: dt.date | None


@dataclass(frozen=True)
class Period:
    """A period of whole months, first and last day included."""

    start: dt.date
    end: dt.date
    months: int


@dataclass(frozen=True)
class OpenItemView:
    """An open item as the documents list it: what, who, by when."""

    item: str
    requirement: str
    owner: str
    due: dt.date | None


def change_instalment(contract: Contract, change: ChangeEffect | None = None) -> int | None:
    """The index of the instalment that takes a change's cost (None without instalments): the
    one the change names, else ``contract.change_payment``, else the last one.

    Raises InvalidInput when the change names an instalment the contract does not have.
    """
    if not contract.payments:
        return None
    names = [pay.name for pay in contract.payments]
    if change is not None and change.payment is not None:
        if change.payment not in names:
            raise InvalidInput(
                f"change request {change.id} puts its cost on the instalment "
                f"{change.payment!r}, which contract.payments does not have "
                f"({', '.join(names)}); edit the change or the instalment's name"
            )
        return names.index(change.payment)
    if contract.change_payment in names:
        return names.index(contract.change_payment)
    return len(contract.payments) - 1


def contract_figures(contract: Contract, changes: Sequence[ChangeEffect]) -> ContractFigures:
    """The contract after ``changes`` (the effective ones, in the order they took effect).

    Raises InvalidInput when the changes would make the amount or an instalment negative.
    """
    costs = sum((c.cost for c in changes if c.cost is not None), ZERO).quantize(CENT)
    days = sum(c.days or 0 for c in changes)
    amount = None if contract.amount is None else (contract.amount + costs).quantize(CENT)
    if amount is not None and amount < 0:
        raise InvalidInput(
            f"the effective changes reduce contract.amount {contract.amount} by {-costs}, "
            "below zero"
        )
    target = change_instalment(contract)
    moved: dict[int, Decimal] = {}
    for change in changes:
        index = change_instalment(contract, change)
        if index is not None and change.cost is not None:
            moved[index] = moved.get(index, ZERO) + change.cost
    signed = instalment_amounts(contract.amount, contract.payments)
    instalments = []
    for i, (pay, due) in enumerate(zip(contract.payments, signed, strict=True)):
        adjustment = moved.get(i, ZERO).quantize(CENT)
        if due + adjustment < 0:
            raise InvalidInput(
                f"the effective changes reduce instalment {pay.name!r} (contract.payments[{i}]) "
                f"below zero; name another instalment in contract.change_payment"
            )
        takes = i == target or i in moved
        instalments.append(Instalment(pay.name, pay.percent, due, adjustment, pay.condition, takes))
    end = contract.schedule.end
    return ContractFigures(
        currency=contract.currency,
        signed_amount=contract.amount,
        changes=tuple(changes),
        changes_amount=costs,
        amount=amount,
        instalments=tuple(instalments),
        signed_end=end,
        days=days,
        end=None if end is None else end + dt.timedelta(days=days),
    )


def warranty_period(data: ProjectData) -> Period | None:
    """The free warranty, once the event it starts from has a date (None before)."""
    start = data.warranty_start()
    months = data.contract.warranty.months
    if start is None or not months:
        return None
    return Period(start, period_end(start, months), months)


def maintenance_period(maintenance: Maintenance) -> Period | None:
    """The maintenance agreement's period (None until start and months are given)."""
    if maintenance.start is None or not maintenance.months:
        return None
    return Period(
        maintenance.start, period_end(maintenance.start, maintenance.months), maintenance.months
    )


def open_items(data: ProjectData, requirements: Sequence[Requirement]) -> list[OpenItemView]:
    """Undelivered requirements (in requirement order), then the other open items not closed.

    A requirement's owner and deadline come from the ``acceptance.open_items`` entry naming
    it; without one the owner is the vendor's project manager and the deadline is open.
    """
    entries = {e.requirement: e for e in data.acceptance.open_items if e.requirement}
    manager = data.parties.vendor.project_manager
    default_owner = manager.name if manager is not None else ""
    out = []
    for req in requirements:
        if req.delivered:
            continue
        entry = entries.get(req.id)
        out.append(
            OpenItemView(
                item=entry.item if entry is not None and entry.item else req.title,
                requirement=req.id,
                owner=(entry.owner if entry is not None else "") or default_owner,
                due=entry.due if entry is not None else None,
            )
        )
    for entry in data.acceptance.open_items:
        if entry.requirement or entry.closed_on is not None:
            continue
        out.append(OpenItemView(entry.item, "", entry.owner or default_owner, entry.due))
    return out


def _instalment_dicts(items: Sequence[Instalment]) -> list[dict[str, Any]]:
    return [
        {
            "name": it.name,
            "percent": it.percent,
            "signed": it.signed,
            "adjustment": it.adjustment,
            "amount": it.amount,
            "condition": it.condition,
            "takes_changes": it.takes_changes,
        }
        for it in items
    ]


def _contract_dict(fig: ContractFigures) -> dict[str, Any]:
    instalments = _instalment_dicts(fig.instalments)
    return {
        "currency": fig.currency,
        "signed_amount": fig.signed_amount,
        "changes_amount": fig.changes_amount,
        "amount": fig.amount,
        "changes": [
            {"id": c.id, "title": c.title, "annex": c.annex, "cost": c.cost, "days": c.days}
            for c in fig.changes
        ],
        "instalments": instalments,
        "final": instalments[-1] if instalments else None,
        "signed_end": fig.signed_end,
        "days": fig.days,
        "end": fig.end,
    }


def _pending_dict(
    contract: Contract, effective: Sequence[ChangeEffect], pending: ChangeEffect
) -> dict[str, Any]:
    """The contract before and after one change that is not effective yet (its annex)."""
    before = contract_figures(contract, effective)
    after = contract_figures(contract, [*effective, pending])
    moved = [
        {"name": a.name, "before": b.amount, "after": a.amount}
        for b, a in zip(before.instalments, after.instalments, strict=True)
        if a.amount != b.amount
    ]
    return {
        "amount_before": before.amount,
        "amount_after": after.amount,
        "end_before": before.end,
        "end_after": after.end,
        "instalments": moved,
        "payments_after": _instalment_dicts(after.instalments),
    }


def _period_dict(period: Period | None) -> dict[str, Any]:
    if period is None:
        return {"start": None, "end": None, "months": None}
    return {"start": period.start, "end": period.end, "months": period.months}


def document_figures(
    data: ProjectData,
    requirements: Sequence[Requirement],
    effective: Sequence[ChangeEffect],
    pending: ChangeEffect | None = None,
) -> dict[str, Any]:
    """The template context's ``figures``: every derived amount, date and list, as plain data.

    ``requirements`` is the current set (delivery as project.yaml records it); ``effective``
    the changes in force, in the order they took effect; ``pending`` the change a change
    annex is made for, when it is not effective yet.
    """
    fig = contract_figures(data.contract, effective)
    warranty = warranty_period(data)
    mt = data.maintenance
    maintenance = maintenance_period(mt)
    fee = mt.fee
    origins = {rid: c.annex for c in effective for rid in c.adds}
    if pending is not None and pending.id in {c.id for c in effective}:
        effective = [c for c in effective if c.id != pending.id]
    return {
        "contract": _contract_dict(fig),
        "change": None if pending is None else _pending_dict(data.contract, effective, pending),
        "warranty": {
            **_period_dict(warranty),
            "months": data.contract.warranty.months,
            "starts": data.contract.warranty.starts,
        },
        "maintenance": {
            **_period_dict(maintenance),
            "fee": fee,
            "free": fee is not None and fee == 0,
            "after_warranty": warranty is None
            or (maintenance is not None and maintenance.start > warranty.end),
            "instalments": [
                {
                    "name": pay.name,
                    "percent": pay.percent,
                    "amount": due,
                    "condition": pay.condition,
                }
                for pay, due in zip(mt.payments, instalment_amounts(fee, mt.payments), strict=True)
            ],
            "penalty_cap": None
            if fee is None or mt.penalties.cap_percent is None
            else (fee * mt.penalties.cap_percent / 100).quantize(CENT),
        },
        "open_items": [
            {"item": o.item, "requirement": o.requirement, "owner": o.owner, "due": o.due}
            for o in open_items(data, requirements)
        ],
        "origins": origins,
    }
