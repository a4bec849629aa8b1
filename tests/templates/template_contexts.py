"""Contexts for the document templates: contexts built from the example projects.

A context has every key rendering gives a template (p, doc, requirements, change, changes,
ratio, documents, labels, figures). Document metadata and the change history are invented so
that every kind has something to show: CR-2 (annex 2) is effective in every document but the
change annex, which is made for CR-2 itself. The requirements and figures follow from it as the
runtime derives them; titles, signers and annex flags come from the built-in workflow.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from docflow.changes.figures import ChangeEffect, document_figures
from docflow.changes.rules import current_requirements
from docflow.render.meta import DocMeta, RenderRequest
from docflow.spec.change import ChangeRequestSpec
from docflow.spec.loader import load_project, load_workflow
from docflow.spec.project import ProjectData, Requirement
from docflow.spec.workflow import WorkflowSpec

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "doc_templates"
EXAMPLES = ROOT / "workflows" / "examples"
# Annex numbers of the invented history: RM is annex 1, CA-1 annex 2, the CA rendered annex 3.
ANNEX = {"RM": 1, "CA": 3}


@cache
def workflow() -> WorkflowSpec:
    """The built-in workflow, whose document kinds the templates serve."""
    return load_workflow("implementation")


@cache
def project(locale: str) -> ProjectData:
    """The example project of `locale`, loaded as `docflow` loads project.yaml."""
    return load_project(EXAMPLES / f"implementation.{locale}.yaml")


def make_meta(data: ProjectData, code: str, locale: str) -> DocMeta:
    """Invented metadata for document `code` of the example project."""
    kind = workflow().documents[code]
    n = 2 if code == "CA" else 1
    return DocMeta(
        id=f"{code}-{n}",
        code=code,
        template=kind.template,
        title=kind.title[locale],
        number=f"{data.project.code}/{code}-{n}",
        version=1,
        annex=ANNEX[code] if kind.annex else None,
        issued_on=dt.date(2026, 11, 23),
        signers=tuple(kind.signers),
        locale=locale,
        project_code=data.project.code,
        project_name=data.project.name,
        contract_number=data.contract.number,
        anchor_seq=12,
        anchor_hash="0" * 64,
    )


def make_change(p: dict[str, Any], locale: str) -> dict[str, Any]:
    """A change request that adds, modifies and removes requirements."""
    zh = locale == "zh-CN"
    by_id = {r["id"]: r for r in p["requirements"]}
    added = {
        "id": "R-025",
        "title": "自助挂号缴费机" if zh else "Self-service kiosks",
        "description": "门诊大厅 6 台自助机支持挂号、缴费、打印检验报告。"
        if zh
        else "Six kiosks in the outpatient hall for registration, payment and lab reports.",
        "type": "functional",
        "priority": "must",
        "source": "门诊部孙丽" if zh else "Outpatient Department, Laura Sun",
        "delivered": True,
        "verification": "demo",
    }
    return {
        "id": "CR-2",
        "title": "增加自助挂号缴费功能" if zh else "Add self-service registration and payment",
        "reason": "门诊量增长，甲方要求增加自助服务以缩短排队时间。"
        if zh
        else "Outpatient volume has grown; the Client wants self-service to shorten queues.",
        "adds": [added],
        "modifies": [
            {
                "id": "R-004",
                "title": by_id["R-004"]["title"],
                "fields": {
                    "priority": "must",
                    "description": "叫号同步推送至患者手机。"
                    if zh
                    else "Calls are also pushed to the patient's phone.",
                },
                "before": {"priority": "should", "description": by_id["R-004"]["description"]},
            }
        ],
        "removes": [{"id": "R-014", "title": by_id["R-014"]["title"]}],
        "days": 10,
        "cost": Decimal("38500.00"),
        "risks": ["自助机硬件到货可能延迟。" if zh else "Kiosk hardware may arrive late."],
        "requested_on": dt.date(2026, 5, 12),
        "decided_on": dt.date(2026, 5, 19),
    }


def change_spec(change: dict[str, Any]) -> ChangeRequestSpec:
    """The filed change request behind the template's ``change`` dict."""
    return ChangeRequestSpec.model_validate(
        {
            "title": change["title"],
            "reason": change["reason"],
            "adds": change["adds"],
            "modifies": [{"id": m["id"], **m["fields"]} for m in change["modifies"]],
            "removes": [r["id"] for r in change["removes"]],
            "days": change["days"],
            "cost": change["cost"],
            "risks": change["risks"],
        }
    )


def _issued(code: str, n: int, locale: str, on: dt.date, annex: int | None) -> dict[str, Any]:
    return {
        "id": f"{code}-{n}",
        "code": code,
        "title": workflow().documents[code].title[locale],
        "version": 1,
        "status": "signed",
        "annex": annex,
        "issued_on": on,
    }


def build_context(
    code: str, locale: str, *, requirements: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The template context of document `code` of the `locale` example project."""
    data = project(locale)
    p = data.model_dump(mode="python")
    change = make_change(p, locale)
    spec = change_spec(change)
    if code == "CA":  # the annex of CR-2, which is not effective yet
        current, effective = list(data.requirements), []
        pending: ChangeEffect | None = ChangeEffect.of_context(change)
    else:
        current = current_requirements(data.requirements, [spec])
        effective, pending = [ChangeEffect.of("CR-2", 2, spec)], None
    reqs = [r.model_dump(mode="python") for r in current] if requirements is None else requirements
    figures = document_figures(
        data, [Requirement.model_validate(r) for r in reqs], effective, pending
    )
    return {
        "p": p,
        "doc": make_meta(data, code, locale).to_dict(),
        "requirements": reqs,
        "change": change if code == "CA" else None,
        "changes": [
            {
                "id": "CR-1",
                "title": "调整统计报表格式" if locale == "zh-CN" else "Change report layout",
                "status": "rejected",
                "annex": None,
                "doc_id": None,
            },
            {
                "id": "CR-2",
                "title": change["title"],
                "status": "effective",
                "annex": 2,
                "doc_id": "CA-1",
            },
        ],
        "ratio": 3 / 24,
        "documents": [
            _issued("SP", 1, locale, dt.date(2026, 3, 30), None),
            _issued("RM", 1, locale, dt.date(2026, 4, 28), 1),
            _issued("CA", 1, locale, dt.date(2026, 5, 19), 2),
            _issued("DP", 1, locale, dt.date(2026, 7, 20), None),
            _issued("AC", 1, locale, dt.date(2026, 9, 25), None),
        ],
        "labels": {},  # the renderer loads <locale>/labels.yaml when this is empty
        "figures": figures,
    }


def build_request(code: str, locale: str, **kwargs: Any) -> RenderRequest:
    """A render request for document `code` of the `locale` example project."""
    context = build_context(code, locale, **kwargs)
    meta = make_meta(project(locale), code, locale)
    return RenderRequest(meta=meta, context=context, template_dirs=(TEMPLATES,))
