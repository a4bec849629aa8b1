"""The documents say what the signed record says: the contract's own title, the clause once,
no result a plan cannot know yet, every undelivered requirement as an open item, and free or
paid maintenance as the figures make it."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from docflow.changes.figures import document_figures
from docflow.render import render_html
from docflow.render.meta import RenderRequest
from docflow.spec.project import ProjectData, Requirement

RequestFor = Callable[..., RenderRequest]
LOCALES = ("zh-CN", "en")
CODES = ("SP", "RM", "CA", "DP", "AC", "CN", "MA")
KINDS = [pytest.param(code, locale, id=f"{code}-{locale}") for code in CODES for locale in LOCALES]


def text_of(page: str) -> str:
    """The visible text of a rendered page, whitespace collapsed; inline tags (such as the
    spans that keep a token on one line) add no space, as a reader sees none."""
    body = page.split("<body", 1)[1]
    body = re.sub(r"</?(?:span|strong|em|u)\b[^>]*>", "", body)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def with_data(request: RenderRequest, data: ProjectData, **context: Any) -> RenderRequest:
    """`request` made from other project data; figures derived again as the runtime does."""
    reqs = context.get("requirements", request.context["requirements"])
    figures = document_figures(data, [Requirement.model_validate(r) for r in reqs], [])
    merged = dict(request.context, p=data.model_dump(mode="python"), figures=figures)
    merged.update(context)
    return RenderRequest(request.meta, merged, request.template_dirs)


def edited(data: ProjectData, **sections: Any) -> ProjectData:
    """`data` with some fields of its sections (or whole lists) replaced, validated again."""
    dumped = data.model_dump(mode="python")
    for section, value in sections.items():
        if isinstance(value, dict):
            dumped[section] = {**dumped[section], **value}
        else:
            dumped[section] = [v.model_dump(mode="python") for v in value]
    return ProjectData.model_validate(dumped)


@pytest.mark.parametrize(("code", "locale"), KINDS)
def test_documents_cite_the_contract_by_its_own_title(
    code: str, locale: str, request_for: RequestFor, project_for: Callable[[str], ProjectData]
) -> None:
    data = project_for(locale)
    text = text_of(render_html(request_for(code, locale)))
    assert data.contract.title in text
    assert f"《{data.project.name}合同》" not in text
    assert f"the contract for the {data.project.name}" not in text


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("zh-CN", "双方签订的合同（合同编号：JZDY-XX-2026-017）"), ("en", "the contract No. RCH-IT")],
    ids=LOCALES,
)
def test_without_a_title_no_title_is_made_up(
    locale: str, expected: str, request_for: RequestFor, project_for: Callable[[str], ProjectData]
) -> None:
    data = edited(project_for(locale), contract={"title": ""})
    text = text_of(render_html(with_data(request_for("RM", locale), data)))
    assert expected in text
    assert "合同》" not in text and "the contract “" not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_memo_prints_the_change_control_clause_once(
    locale: str, request_for: RequestFor, project_for: Callable[[str], ProjectData]
) -> None:
    clause = project_for(locale).contract.change_control_terms
    text = text_of(render_html(request_for("RM", locale)))
    assert text.count(re.sub(r"\s+", " ", clause)) == 1


@pytest.mark.parametrize(
    ("locale", "pending", "result"),
    [
        ("zh-CN", "部署开始前完成", "现场测试186个用例"),
        ("en", "Before deployment starts", "All 186 on-site cases passed"),
    ],
    ids=LOCALES,
)
def test_a_plan_reports_no_result_dated_after_it(
    locale: str, pending: str, result: str, request_for: RequestFor
) -> None:
    request = request_for("DP", locale)
    early = replace(request.meta, issued_on=dt.date(2026, 7, 20))  # before the system test
    text = text_of(render_html(RenderRequest(early, request.context, request.template_dirs)))
    assert text.count(pending) == 3  # system test, rehearsal and backup are all still to come
    assert result not in text


def _undelivered(request: RenderRequest) -> list[dict[str, Any]]:
    reqs = [dict(r) for r in request.context["requirements"]]
    for r in reqs:
        if r["id"] == "R-025":
            r["delivered"] = False
    return reqs


@pytest.mark.parametrize("code", ["AC", "CN"])
@pytest.mark.parametrize(("locale", "owner"), [("zh-CN", "刘洋"), ("en", "Leo Liu")], ids=LOCALES)
def test_an_undelivered_requirement_is_an_open_item(
    code: str,
    locale: str,
    owner: str,
    request_for: RequestFor,
    project_for: Callable[[str], ProjectData],
) -> None:
    request = request_for(code, locale)
    reqs = _undelivered(request)
    text = text_of(render_html(with_data(request, project_for(locale), requirements=reqs)))
    open_items = text.split("R-025", 1)[1] if code == "CN" else text.rsplit("R-025", 1)[1]
    # the vendor's project manager owns it until project.yaml names someone else
    assert open_items.lstrip(" )）").startswith(owner)
    example = project_for(locale)
    added = Requirement.model_validate(next(r for r in reqs if r["id"] == "R-025"))
    data = edited(
        example,
        requirements=[*example.requirements, added],  # project.yaml holds it once effective
        acceptance={
            "open_items": [
                {"requirement": "R-025", "owner": "Kiosk Team", "due": dt.date(2026, 12, 15)}
            ]
        },
    )
    text = text_of(render_html(with_data(request, data, requirements=reqs)))
    assert "Kiosk Team" in text
    assert ("2026年12月15日" if locale == "zh-CN" else "15 December 2026") in text


@pytest.mark.parametrize(
    ("locale", "cn_says", "ma_says"),
    [
        ("zh-CN", "与免费质保期重叠，不收取维护费用", "本协议约定的维护服务不收取费用"),
        ("en", "within the free warranty, free of charge", "is free of charge"),
    ],
    ids=LOCALES,
)
def test_maintenance_within_the_warranty_is_free(
    locale: str,
    cn_says: str,
    ma_says: str,
    request_for: RequestFor,
    project_for: Callable[[str], ProjectData],
) -> None:
    data = edited(
        project_for(locale),
        maintenance={"start": dt.date(2026, 9, 25), "fee": Decimal(0), "payments": []},
    )
    cn = text_of(render_html(with_data(request_for("CN", locale), data)))
    ma = text_of(render_html(with_data(request_for("MA", locale), data)))
    assert cn_says in cn
    assert ma_says in ma
    assert "96,000" not in cn + ma
