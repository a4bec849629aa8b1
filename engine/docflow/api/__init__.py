"""docflow's application API: what the command line and a web front end both call.

Open a project and act on it; every operation returns a typed, frozen result whose
``to_dict()`` is the JSON ``docflow ... --json`` prints::

    from docflow import api

    api.init("his", example=True)
    project = api.Project.open("his")
    project.advance()                      # contract.drafting -> contract.signed
    step = project.advance()               # issues SP-1, the survey plan
    print(step.documents[0].files["pdf"])  # documents/SP-1-v1.pdf
    project.sign(api.SignRequest("SP-1", "client", "王晓东"))
    print(project.status().state)

Errors are :class:`docflow.DocflowError` subclasses (``Blocked`` carries every blocker).
Importing this module is cheap: each name loads its module when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docflow.api.portal import LinkPage as LinkPage
    from docflow.api.portal import Portal as Portal
    from docflow.api.project import Project as Project
    from docflow.api.records import read_minutes_file as read_minutes_file
    from docflow.api.records import read_scores_file as read_scores_file
    from docflow.api.results import StoreUpgrade as StoreUpgrade
    from docflow.api.store import copy_template as copy_template
    from docflow.api.store import demo as demo
    from docflow.api.store import doctor as doctor
    from docflow.api.store import draw_workflow as draw_workflow
    from docflow.api.store import init as init
    from docflow.api.store import list_templates as list_templates
    from docflow.api.store import list_workflows as list_workflows
    from docflow.api.store import load_workflow as load_workflow
    from docflow.api.store import projects as projects
    from docflow.api.store import read_change_file as read_change_file
    from docflow.api.store import render_projects as render_projects
    from docflow.api.store import upgrade_store as upgrade_store
    from docflow.api.store import validate_workflow as validate_workflow
    from docflow.app.audit import LogEvent as LogEvent
    from docflow.app.audit import LogQuery as LogQuery
    from docflow.app.batch import BatchReport as BatchReport
    from docflow.app.batch import BatchSummary as BatchSummary
    from docflow.app.batch import ProjectOutcome as ProjectOutcome
    from docflow.app.completeness import EmptyField as EmptyField
    from docflow.app.demo import DemoResult as DemoResult
    from docflow.app.doctor import Check as Check
    from docflow.app.doctor import DoctorReport as DoctorReport
    from docflow.app.export import LegalExport as LegalExport
    from docflow.app.init import InitResult as InitResult
    from docflow.app.links import SigningLink as SigningLink
    from docflow.app.portal import PortalForm as PortalForm
    from docflow.app.portal import Visitor as Visitor
    from docflow.app.projects import ProjectsPage as ProjectsPage
    from docflow.app.projects import ProjectSummary as ProjectSummary
    from docflow.app.rendering import DocumentNote as DocumentNote
    from docflow.app.rendering import RenderReport as RenderReport
    from docflow.app.rendering import RerenderedVersion as RerenderedVersion
    from docflow.app.sending import ClientExport as ClientExport
    from docflow.app.sending import SentFile as SentFile
    from docflow.app.signing import SignatureOutcome as SignatureOutcome
    from docflow.app.signing import SignRequest as SignRequest
    from docflow.app.signing import SignResult as SignResult
    from docflow.app.signing import Upload as Upload
    from docflow.app.steps import AdvanceResult as AdvanceResult
    from docflow.app.templates import TemplateFile as TemplateFile
    from docflow.app.translation import Translation as Translation
    from docflow.app.upgrade import WorkflowUpgrade as WorkflowUpgrade
    from docflow.app.verify import VerifyReport as VerifyReport
    from docflow.app.voiding import VoidResult as VoidResult
    from docflow.app.withdrawal import Withdrawal as Withdrawal
    from docflow.app.workflows import WorkflowCheck as WorkflowCheck
    from docflow.changes.requests import ChangeEdit as ChangeEdit
    from docflow.changes.requests import ChangeRequest as ChangeRequest
    from docflow.changes.requests import NewRequirement as NewRequirement
    from docflow.changes.requests import RequirementChange as RequirementChange
    from docflow.changes.views import ChangeView as ChangeView
    from docflow.documents.worker import RenderWorker as RenderWorker
    from docflow.documents.worker import render_worker as render_worker
    from docflow.records.actions import ActionItem as ActionItem
    from docflow.records.confirm import Confirmation as Confirmation
    from docflow.records.objections import ObjectionResult as ObjectionResult
    from docflow.records.reports import ReportView as ReportView
    from docflow.records.satisfaction import SatisfactionView as SatisfactionView
    from docflow.records.views import ActionSummary as ActionSummary
    from docflow.records.views import MeetingView as MeetingView
    from docflow.records.views import RecordsSummary as RecordsSummary
    from docflow.runtime.workspace import Workspace as Workspace
    from docflow.spec.change import ChangeRequestSpec as ChangeRequestSpec
    from docflow.spec.minutes import MinutesSpec as MinutesSpec
    from docflow.spec.minutes import RecordFile as RecordFile
    from docflow.spec.minutes import ScoresSpec as ScoresSpec
    from docflow.spec.workflow import WorkflowSpec as WorkflowSpec
    from docflow.views.documents import DocumentView as DocumentView
    from docflow.views.documents import PlannedDocument as PlannedDocument
    from docflow.views.documents import SignatureView as SignatureView
    from docflow.views.documents import TranslationView as TranslationView
    from docflow.views.freshness import DifferenceView as DifferenceView
    from docflow.views.status import ChangeSummary as ChangeSummary
    from docflow.views.status import DriftView as DriftView
    from docflow.views.status import StatusView as StatusView
    from docflow.views.status import StepView as StepView

_WHERE: dict[str, str] = {
    "Project": "docflow.api.project",
    "copy_template": "docflow.api.store",
    "demo": "docflow.api.store",
    "doctor": "docflow.api.store",
    "draw_workflow": "docflow.api.store",
    "init": "docflow.api.store",
    "list_templates": "docflow.api.store",
    "list_workflows": "docflow.api.store",
    "load_workflow": "docflow.api.store",
    "projects": "docflow.api.store",
    "read_change_file": "docflow.api.store",
    "render_projects": "docflow.api.store",
    "upgrade_store": "docflow.api.store",
    "validate_workflow": "docflow.api.store",
    "StoreUpgrade": "docflow.api.results",
    "Workspace": "docflow.runtime.workspace",
    "RenderWorker": "docflow.documents.worker",
    "render_worker": "docflow.documents.worker",
    "SignRequest": "docflow.app.signing",
    "SignResult": "docflow.app.signing",
    "SignatureOutcome": "docflow.app.signing",
    "Upload": "docflow.app.signing",
    "ChangeRequest": "docflow.changes.requests",
    "NewRequirement": "docflow.changes.requests",
    "RequirementChange": "docflow.changes.requests",
    "ChangeRequestSpec": "docflow.spec.change",
    "AdvanceResult": "docflow.app.steps",
    "ChangeSummary": "docflow.views.status",
    "DriftView": "docflow.views.status",
    "StatusView": "docflow.views.status",
    "StepView": "docflow.views.status",
    "DocumentView": "docflow.views.documents",
    "PlannedDocument": "docflow.views.documents",
    "SignatureView": "docflow.views.documents",
    "ChangeView": "docflow.changes.views",
    "DocumentNote": "docflow.app.rendering",
    "RenderReport": "docflow.app.rendering",
    "RerenderedVersion": "docflow.app.rendering",
    "VerifyReport": "docflow.app.verify",
    "LegalExport": "docflow.app.export",
    "LogEvent": "docflow.app.audit",
    "LogQuery": "docflow.app.audit",
    "WorkflowUpgrade": "docflow.app.upgrade",
    "ChangeEdit": "docflow.changes.requests",
    "InitResult": "docflow.app.init",
    "ProjectSummary": "docflow.app.projects",
    "ProjectsPage": "docflow.app.projects",
    "BatchReport": "docflow.app.batch",
    "BatchSummary": "docflow.app.batch",
    "ProjectOutcome": "docflow.app.batch",
    "Check": "docflow.app.doctor",
    "DoctorReport": "docflow.app.doctor",
    "DemoResult": "docflow.app.demo",
    "WorkflowCheck": "docflow.app.workflows",
    "TemplateFile": "docflow.app.templates",
    "WorkflowSpec": "docflow.spec.workflow",
    "ClientExport": "docflow.app.sending",
    "DifferenceView": "docflow.views.freshness",
    "EmptyField": "docflow.app.completeness",
    "SentFile": "docflow.app.sending",
    "Translation": "docflow.app.translation",
    "TranslationView": "docflow.views.documents",
    "VoidResult": "docflow.app.voiding",
    "Withdrawal": "docflow.app.withdrawal",
    "Portal": "docflow.api.portal",
    "LinkPage": "docflow.api.portal",
    "SigningLink": "docflow.app.links",
    "PortalForm": "docflow.app.portal",
    "Visitor": "docflow.app.portal",
    "read_minutes_file": "docflow.api.records",
    "read_scores_file": "docflow.api.records",
    "ActionItem": "docflow.records.actions",
    "Confirmation": "docflow.records.confirm",
    "MeetingView": "docflow.records.views",
    "RecordsSummary": "docflow.records.views",
    "ActionSummary": "docflow.records.views",
    "ObjectionResult": "docflow.records.objections",
    "ReportView": "docflow.records.reports",
    "SatisfactionView": "docflow.records.satisfaction",
    "MinutesSpec": "docflow.spec.minutes",
    "ScoresSpec": "docflow.spec.minutes",
    "RecordFile": "docflow.spec.minutes",
}

__all__ = [
    "ActionItem",
    "ActionSummary",
    "AdvanceResult",
    "BatchReport",
    "BatchSummary",
    "ChangeEdit",
    "ChangeRequest",
    "ChangeRequestSpec",
    "ChangeSummary",
    "ChangeView",
    "Check",
    "ClientExport",
    "Confirmation",
    "DemoResult",
    "DifferenceView",
    "DoctorReport",
    "DocumentNote",
    "DocumentView",
    "DriftView",
    "EmptyField",
    "InitResult",
    "LegalExport",
    "LinkPage",
    "LogEvent",
    "LogQuery",
    "MeetingView",
    "MinutesSpec",
    "NewRequirement",
    "ObjectionResult",
    "PlannedDocument",
    "Portal",
    "PortalForm",
    "Project",
    "ProjectOutcome",
    "ProjectSummary",
    "ProjectsPage",
    "RecordFile",
    "RecordsSummary",
    "RenderReport",
    "RenderWorker",
    "ReportView",
    "RequirementChange",
    "RerenderedVersion",
    "SatisfactionView",
    "ScoresSpec",
    "SentFile",
    "SignRequest",
    "SignResult",
    "SignatureOutcome",
    "SignatureView",
    "SigningLink",
    "StatusView",
    "StepView",
    "StoreUpgrade",
    "TemplateFile",
    "Translation",
    "TranslationView",
    "Upload",
    "VerifyReport",
    "Visitor",
    "VoidResult",
    "Withdrawal",
    "WorkflowCheck",
    "WorkflowSpec",
    "WorkflowUpgrade",
    "Workspace",
    "copy_template",
    "demo",
    "doctor",
    "draw_workflow",
    "init",
    "list_templates",
    "list_workflows",
    "load_workflow",
    "projects",
    "read_change_file",
    "read_minutes_file",
    "read_scores_file",
    "render_projects",
    "render_worker",
    "upgrade_store",
    "validate_workflow",
]


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use (``status`` must not load what it never uses)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'docflow.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, for completion in editors and shells."""
    return sorted(__all__)
