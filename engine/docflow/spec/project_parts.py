"""The smaller models of ``project.yaml``'s forms, and the checks that tie its figures together.

The forms a client signs need more than the facts of the contract: who works on the project,
what is handed over, which service levels apply, what happens when an obligation is missed.
Those sections are modelled here; ``docflow.spec.project`` puts them in place.

Two rules are checked when project.yaml is loaded, because a document made from data that
breaks them would contradict the signed contract: instalments must add up to the amount they
divide (:func:`instalment_problems`), and dates of periods counted in months end where the
contract says (:func:`period_end`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docflow.spec.money import Money, Percent

__all__ = [
    "Backup",
    "BankAccount",
    "ChargedService",
    "Check",
    "Cutover",
    "Deliverable",
    "Dispute",
    "EnvItem",
    "Escalation",
    "Milestone",
    "OnCall",
    "OpenItem",
    "Participants",
    "Penalties",
    "PlanOutput",
    "PlanRisk",
    "Preparation",
    "ServiceLevel",
    "Site",
    "SurveySession",
    "TeamMember",
    "Warranty",
    "Window",
    "add_months",
    "instalment_amounts",
    "instalment_problems",
    "period_end",
]

CENT = Decimal("0.01")
Side = Literal["client", "vendor"]
DeliverableKind = Literal["software", "document", "account", "source_code", "training", "other"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class BankAccount(_Model):
    """The account a party is paid into (收款账户)."""

    bank: str = ""  # bank and branch
    account_name: str = ""
    account: str = ""


class Warranty(_Model):
    """The contract's free warranty (免费质保期): its length and the event it starts from."""

    months: int | None = Field(default=None, ge=0)
    starts: Literal["acceptance", "completion"] = "acceptance"
    scope: str = ""  # what the free warranty covers


class Dispute(_Model):
    """How disputes are resolved: before a court or an arbitration commission."""

    method: Literal["litigation", "arbitration"] = "litigation"
    venue: str = ""  # the court's place or the arbitration commission's name


class TeamMember(_Model):
    """A person working on the project, on either side, with what he or she is responsible for."""

    name: str
    party: Side = "vendor"
    role: str = ""
    duty: str = ""
    phone: str = ""


class PlanOutput(_Model):
    """Something a plan delivers, and by when."""

    name: str
    due: dt.date | None = None
    notes: str = ""


class PlanRisk(_Model):
    """A risk to a plan and the planned response."""

    risk: str
    response: str = ""


class Milestone(_Model):
    """A dated milestone of the deployment."""

    name: str
    date: dt.date | None = None
    owner: str = ""


class Cutover(_Model):
    """The switch from the old system to the new one, announced to the client's departments."""

    date: dt.date | None = None
    time: str = ""  # e.g. 22:00 to 04:00 next day
    downtime: str = ""  # how long the old system is unavailable
    notice_days: int | None = Field(default=None, ge=0)  # notice given to departments, in days
    notify: list[str] = []  # departments and people who receive the notice
    fallback: str = ""  # how departments work while systems are down


class OnCall(_Model):
    """Someone on duty around the cut-over, to be called when something goes wrong."""

    name: str
    role: str = ""
    phone: str = ""
    period: str = ""


class Deliverable(_Model):
    """An item delivered or handed over: software, a document, an account, the source code."""

    name: str
    kind: DeliverableKind = "other"
    detail: str = ""  # version, quantity, medium


class OpenItem(_Model):
    """An item left open at acceptance, with who closes it and by when.

    An entry naming a ``requirement`` gives the owner and deadline of that undelivered
    requirement; the documents list undelivered requirements whether or not an entry exists.
    """

    item: str = ""
    requirement: str = ""
    owner: str = ""
    due: dt.date | None = None
    closed_on: dt.date | None = None

    @model_validator(mode="after")
    def _says_what(self) -> OpenItem:
        if not self.item and not self.requirement:
            raise ValueError("an open item needs `item` (what is open) or `requirement` (its id)")
        return self


class ServiceLevel(_Model):
    """One severity level of the maintenance service: what it is and how fast it is handled."""

    level: int = Field(ge=1)
    name: str
    definition: str = ""
    coverage: str = ""  # service hours, e.g. 7×24 or 5×8
    response_hours: Decimal | None = Field(default=None, ge=0)
    onsite_hours: Decimal | None = Field(default=None, ge=0)  # None: remote handling only
    resolve_hours: Decimal | None = Field(default=None, ge=0)


class ChargedService(_Model):
    """A service outside the agreement's scope, provided on request at a rate."""

    item: str
    rate: Money | None = None
    unit: str = ""  # what the rate is per: a person-day, a visit


class Penalties(_Model):
    """Liquidated damages of the maintenance agreement, as percentages."""

    sla_breach_percent: Percent | None = None  # of the fee
    cap_percent: Percent | None = None  # of the fee, in total
    late_payment_daily_percent: Percent | None = None


class Participants(_Model):
    """Who attends a survey session, per side."""

    client: list[str] = []
    vendor: list[str] = []


class SurveySession(_Model):
    """One planned survey session."""

    date: dt.date
    time: str = ""
    department: str
    topic: str
    participants: Participants = Participants()
    location: str = ""


class Preparation(_Model):
    """What the client prepares for the survey."""

    people: list[str] = []
    time: str = ""
    equipment: list[str] = []
    materials: list[str] = []


class Site(_Model):
    """A deployment site."""

    name: str
    address: str = ""
    notes: str = ""


class Window(_Model):
    """The deployment window."""

    start: dt.date | None = None
    end: dt.date | None = None


class Check(_Model):
    """A test or preparatory step that either happened or not."""

    done: bool = False
    date: dt.date | None = None
    notes: str = ""


class Backup(_Model):
    """Backing up the client's data before touching its systems."""

    plan: str = ""
    rollback: str = ""
    done: bool = False
    date: dt.date | None = None


class EnvItem(_Model):
    """One recorded fact about the client's environment (for remote maintenance)."""

    item: str
    detail: str


class Escalation(_Model):
    """One level of the maintenance escalation path."""

    level: int
    name: str
    phone: str = ""
    email: str = ""


class _Instalment(Protocol):
    @property
    def percent(self) -> Decimal | None: ...

    @property
    def amount(self) -> Decimal | None: ...


def instalment_amounts(total: Decimal | None, payments: Sequence[_Instalment]) -> list[Decimal]:
    """Each instalment's amount: as given, else its percent of ``total`` rounded to the cent.

    An instalment with neither (or a percent without a total) counts as zero; callers check
    :func:`instalment_problems` first.
    """
    out = []
    for pay in payments:
        if pay.amount is not None:
            out.append(pay.amount.quantize(CENT))
        elif pay.percent is not None and total is not None:
            out.append((total * pay.percent / 100).quantize(CENT))
        else:
            out.append(Decimal("0.00"))
    return out


def instalment_problems(
    total: Decimal | None, payments: Sequence[_Instalment], total_path: str, path: str
) -> list[str]:
    """Why ``payments`` (at ``path``) do not divide ``total`` (at ``total_path``); [] when they do.

    Each instalment needs a percent or an amount; a percent given with an amount must be the
    amount's share of the total to the precision written (30 means 30%, 33.33 means 33.33%);
    the instalments must add up to the total exactly.
    """
    problems = []
    for i, pay in enumerate(payments):
        if pay.percent is None and pay.amount is None:
            problems.append(f"{path}[{i}] needs a percent or an amount")
        elif (pay.amount is not None and pay.amount < 0) or (
            pay.percent is not None and pay.percent < 0
        ):
            problems.append(f"{path}[{i}] is negative")
        elif pay.percent is not None and pay.amount is not None and total:
            share = pay.amount * 100 / total
            exponent = pay.percent.normalize().as_tuple().exponent
            places = min(exponent, 0) if isinstance(exponent, int) else 0
            if share.quantize(Decimal(1).scaleb(places)) != pay.percent:
                problems.append(
                    f"{path}[{i}]: amount {pay.amount:.2f} is {share:.2f}% of "
                    f"{total_path} {total:.2f}, not {pay.percent}%"
                )
    if problems or total is None or not payments:
        return problems
    amounts = instalment_amounts(total, payments)
    if sum(amounts, Decimal(0)) != total.quantize(CENT):
        listed = " + ".join(f"{a:.2f}" for a in amounts)
        problems.append(
            f"{path} add up to {sum(amounts, Decimal(0)):.2f} ({listed}) but {total_path} is "
            f"{total:.2f}; the instalments must add up to the amount"
        )
    return problems


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` months later; the month's last day when it has no such day."""
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    length = (following - dt.date(year, month, 1)).days
    return dt.date(year, month, min(start.day, length))


def period_end(start: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` months starting on ``start``.

    2026-10-10 for 12 months ends on 2027-10-09; 2026-03-01 for 12 months on 2027-02-28.
    """
    return add_months(start, months) - dt.timedelta(days=1)
