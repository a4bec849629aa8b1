"""The project data model: what a PM writes in ``project.yaml``.

Every field traces to a lesson in DOMAIN.md. Models are frozen and reject unknown keys.
Empty values are allowed here so that the ``init`` skeleton is valid; the workflow's guards
say what must be filled in before each step. Every amount is a :mod:`docflow.spec.money`
type (range and decimal places checked at load): new amount fields use them too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from docflow.spec.money import Money, Percent
from docflow.spec.project_parts import (
    Backup,
    BankAccount,
    ChargedService,
    Check,
    Cutover,
    Deliverable,
    Dispute,
    EnvItem,
    Escalation,
    Milestone,
    OnCall,
    OpenItem,
    Penalties,
    PlanOutput,
    PlanRisk,
    Preparation,
    ServiceLevel,
    Site,
    SurveySession,
    TeamMember,
    Warranty,
    Window,
    instalment_problems,
    period_end,
)
from docflow.spec.records import CalendarSpec

__all__ = [
    "Acceptance",
    "Completion",
    "Contact",
    "Contract",
    "Deployment",
    "KeyUser",
    "Maintenance",
    "Memo",
    "Parties",
    "Party",
    "Payment",
    "ProjectData",
    "ProjectInfo",
    "Requirement",
    "Risk",
    "Survey",
]

Level = Literal["low", "medium", "high"]
UserLevel = Literal["decision", "management", "operator", "admin"]
RequirementType = Literal["functional", "non_functional", "interface"]
Priority = Literal["must", "should", "could"]
Verification = Literal["test", "demo", "inspection", "analysis"]
Conclusion = Literal["pass", "fail", "recheck"]
Locale = Literal["zh-CN", "en"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Contact(_Model):
    """A person one can reach."""

    name: str = ""
    title: str = ""
    phone: str = ""
    email: str = ""


class Party(_Model):
    """One side of the contract (甲方 client or 乙方 vendor)."""

    name: str = ""
    address: str = ""
    representative: str = ""  # legal representative or authorised signer
    contact: Contact = Contact()
    # client only: the one accountable person (项目责任人), the project's single entrance
    accountable_person: Contact | None = None
    # vendor only: the vendor's project manager
    project_manager: Contact | None = None
    # the account payments to this party go to (收款账户)
    bank: BankAccount = BankAccount()


class Parties(_Model):
    """Client (甲方) and vendor (乙方)."""

    client: Party = Party()
    vendor: Party = Party()


class Payment(_Model):
    """A payment milestone of the contract."""

    name: str
    percent: Percent | None = None
    amount: Money | None = None
    condition: str = ""


class Schedule(_Model):
    """The contract's schedule."""

    start: dt.date | None = None
    end: dt.date | None = None
    notes: str = ""


class Contract(_Model):
    """The signed contract's facts that every document refers to."""

    number: str = ""
    title: str = ""  # the signed contract's own title, as the annexes cite it
    signed_on: dt.date | None = None
    amount: Money | None = None
    currency: str = "CNY"
    scope: str = ""
    schedule: Schedule = Schedule()
    acceptance_terms: str = ""
    change_control_terms: str = ""
    payments: list[Payment] = []
    # the instalment (by name) that takes the effective changes' costs; empty: the last one
    change_payment: str = ""
    warranty: Warranty = Warranty()
    invoice: str = ""  # the invoice the vendor issues before each payment
    dispute: Dispute = Dispute()

    @model_validator(mode="after")
    def _payments_divide_the_amount(self) -> Contract:
        problems = instalment_problems(
            self.amount, self.payments, "contract.amount", "contract.payments"
        )
        names = [pay.name for pay in self.payments]
        if self.change_payment and self.change_payment not in names:
            problems.append(
                f"contract.change_payment {self.change_payment!r} names no instalment of "
                f"contract.payments ({', '.join(names) or 'none'})"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Risk(_Model):
    """A risk assessed at contract signing."""

    description: str
    likelihood: Level
    impact: Level
    mitigation: str = ""
    owner: str = ""


class KeyUser(_Model):
    """A key user (关键用户) found during the survey."""

    name: str
    department: str
    role: str = ""
    level: UserLevel


class Survey(_Model):
    """The survey plan (需求调研计划)."""

    purpose: str = ""
    sessions: list[SurveySession] = []
    preparation: Preparation = Preparation()
    memo_due: dt.date | None = None
    methods: list[str] = []  # interviews, questionnaires, observation on site...
    team: list[TeamMember] = []  # the vendor's survey team and who does what
    outputs: list[PlanOutput] = []
    risks: list[PlanRisk] = []
    attachments: list[str] = []  # outline, questionnaires
    prepared_by: str = ""
    reviewed_by: str = ""


class Requirement(_Model):
    """One requirement of the memo; the baseline is frozen when the memo is confirmed."""

    id: str
    title: str
    description: str = ""
    type: RequirementType = "functional"
    priority: Priority = "should"
    source: str = ""
    delivered: bool = False
    verification: Verification | None = None  # how acceptance checks it


class Memo(_Model):
    """Extra sections of the requirement memo."""

    background: str = ""
    out_of_scope: list[str] = []
    assumptions: list[str] = []
    attachments: list[str] = []  # survey records, prototypes


class Training(_Model):
    """A training session for one audience."""

    audience: UserLevel
    topic: str
    hours: Decimal
    date: dt.date | None = None
    trainer: str = ""
    done: bool = False
    assessment: str = ""  # how the trainees are assessed


class Deployment(_Model):
    """The deployment plan (部署计划) with its training plan and what happened."""

    sites: list[Site] = []
    window: Window = Window()
    steps: list[str] = []
    system_test: Check = Check()
    rehearsal: Check = Check()
    backup: Backup = Backup()
    training: list[Training] = []
    client_preparation: list[str] = []
    onsite_test: Check = Check()
    summary: str = ""
    environment: list[EnvItem] = []
    team: list[TeamMember] = []  # both sides' staff and responsibilities
    milestones: list[Milestone] = []
    cutover: Cutover = Cutover()
    on_call: list[OnCall] = []
    prepared_by: str = ""
    reviewed_by: str = ""


class Acceptance(_Model):
    """Acceptance (验收)."""

    type: Literal["initial", "final"] = "final"  # 初验 / 终验
    criteria: list[str] = []
    date: dt.date | None = None
    team: list[TeamMember] = []
    deliverables: list[Deliverable] = []
    open_items: list[OpenItem] = []
    opinion: str = ""  # the client's own words
    conclusion: Conclusion | None = None
    rejection_reason: str = ""


class Completion(_Model):
    """The completion notice (项目完工通知单)."""

    date: dt.date | None = None
    handover: list[Deliverable] = []  # documents, accounts, source code handed over


class Maintenance(_Model):
    """The maintenance terms (维护协议)."""

    start: dt.date | None = None
    months: int | None = Field(default=None, ge=0)
    remote: bool = True
    visits_per_year: int | None = None
    fee: Money | None = None
    payments: list[Payment] = []
    scope: list[str] = []
    exclusions: list[str] = []
    charged: list[ChargedService] = []
    service_levels: list[ServiceLevel] = []
    client_duties: list[str] = []
    penalties: Penalties = Penalties()
    report_months: int | None = Field(default=None, ge=1)  # a service report every N months
    termination_notice_days: int | None = Field(default=None, ge=0)
    escalation: list[Escalation] = []

    @model_validator(mode="after")
    def _payments_divide_the_fee(self) -> Maintenance:
        problems = instalment_problems(
            self.fee, self.payments, "maintenance.fee", "maintenance.payments"
        )
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _warranty_start(
    contract: Contract, acceptance: Acceptance, completion: Completion | None
) -> dt.date | None:
    if contract.warranty.starts == "completion":
        return completion.date if completion is not None else None
    return acceptance.date if acceptance.type == "final" else None


class ProjectInfo(_Model):
    """The project's identity."""

    code: str = Field(default="", pattern=r"^$|^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    name: str = ""
    subsystems: list[str] = []


class ProjectData(_Model):
    """The whole of ``project.yaml``."""

    locale: Locale = "zh-CN"
    workflow: str = "implementation"
    project: ProjectInfo = ProjectInfo()
    parties: Parties = Parties()
    contract: Contract = Contract()
    risks: list[Risk] = []
    key_users: list[KeyUser] = []
    survey: Survey = Survey()
    requirements: list[Requirement] = []
    memo: Memo = Memo()
    deployment: Deployment = Deployment()
    acceptance: Acceptance = Acceptance()
    completion: Completion = Completion()
    maintenance: Maintenance = Maintenance()
    # data of a company's own document kinds, checked against the workflow's data_schema
    extra: dict[str, Any] = {}

    # Holidays and adjusted working days, added to the workflow's calendar.
    calendar: CalendarSpec = CalendarSpec()

    def warranty_start(self) -> dt.date | None:
        """The first day of the free warranty: the final acceptance's or the completion's date."""
        return _warranty_start(self.contract, self.acceptance, self.completion)

    @field_validator("acceptance")
    @classmethod
    def _open_items_name_known_requirements(
        cls, acceptance: Acceptance, info: ValidationInfo
    ) -> Acceptance:
        # An owner and deadline given for a requirement that does not exist would be lost.
        if "requirements" not in info.data:  # they failed validation; said already
            return acceptance
        known = {r.id for r in info.data["requirements"]}
        unknown = [
            f"acceptance.open_items[{i}].requirement {item.requirement!r}"
            for i, item in enumerate(acceptance.open_items)
            if item.requirement and item.requirement not in known
        ]
        if unknown:
            raise ValueError(f"{', '.join(unknown)} names no requirement of requirements")
        return acceptance

    @field_validator("maintenance")
    @classmethod
    def _paid_maintenance_after_warranty(cls, mt: Maintenance, info: ValidationInfo) -> Maintenance:
        # Charging for months the contract gives free would make the signed documents
        # contradict each other; refuse the data instead. Contract, acceptance and completion
        # come before maintenance, so they are validated by now (absent if they failed).
        contract, acceptance = info.data.get("contract"), info.data.get("acceptance")
        if contract is None or acceptance is None or mt.start is None or not mt.fee:
            return mt
        warranty = contract.warranty
        starts = _warranty_start(contract, acceptance, info.data.get("completion"))
        if not warranty.months or starts is None:
            return mt
        free_until = period_end(starts, warranty.months)
        if mt.start <= free_until:
            raise ValueError(
                f"maintenance.start {mt.start} is not after the free warranty of "
                f"contract.warranty ({warranty.months} months from the {warranty.starts} on "
                f"{starts}, until {free_until}) while maintenance.fee is {mt.fee:.2f}; start "
                f"the paid maintenance on {free_until + dt.timedelta(days=1)} or later, or set "
                "maintenance.fee to 0"
            )
        return mt
