"""The project data model: what a PM writes in ``project.yaml``.

Every field traces to a lesson in DOMAIN.md. Models are frozen and reject unknown keys.
Empty values are allowed here so that the ``init`` skeleton is valid; the workflow's guards
say what must be filled in before each step. Every amount is a :mod:`docflow.spec.money`
type (range and decimal places checked at load): new amount fields use them too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from docflow.spec.money import Money, Percent

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
    signed_on: dt.date | None = None
    amount: Money | None = None
    currency: str = "CNY"
    scope: str = ""
    schedule: Schedule = Schedule()
    acceptance_terms: str = ""
    change_control_terms: str = ""
    payments: list[Payment] = []


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


class Survey(_Model):
    """The survey plan (需求调研计划)."""

    purpose: str = ""
    sessions: list[SurveySession] = []
    preparation: Preparation = Preparation()
    memo_due: dt.date | None = None


class Requirement(_Model):
    """One requirement of the memo; the baseline is frozen when the memo is confirmed."""

    id: str
    title: str
    description: str = ""
    type: RequirementType = "functional"
    priority: Priority = "should"
    source: str = ""
    delivered: bool = False


class Memo(_Model):
    """Extra sections of the requirement memo."""

    background: str = ""
    out_of_scope: list[str] = []
    assumptions: list[str] = []


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


class Training(_Model):
    """A training session for one audience."""

    audience: UserLevel
    topic: str
    hours: Decimal
    date: dt.date | None = None
    trainer: str = ""
    done: bool = False


class EnvItem(_Model):
    """One recorded fact about the client's environment (for remote maintenance)."""

    item: str
    detail: str


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


class Acceptance(_Model):
    """Acceptance (验收)."""

    criteria: list[str] = []
    date: dt.date | None = None
    open_items: list[str] = []
    conclusion: str = ""
    rejection_reason: str = ""


class Completion(_Model):
    """The completion notice (项目完工通知单)."""

    date: dt.date | None = None
    outstanding_items: list[str] = []
    final_payment: str = ""


class Escalation(_Model):
    """One level of the maintenance escalation path."""

    level: int
    name: str
    phone: str = ""
    email: str = ""


class Maintenance(_Model):
    """The maintenance terms (维护协议)."""

    start: dt.date | None = None
    months: int | None = None
    response_hours: int | None = None
    remote: bool = True
    visits_per_year: int | None = None
    fee: Money | None = None
    payment_terms: str = ""
    scope: list[str] = []
    exclusions: list[str] = []
    charged: list[str] = []
    escalation: list[Escalation] = []


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
