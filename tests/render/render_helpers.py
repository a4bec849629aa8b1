"""Helpers of the render tests: a small hand-made project and requests for the _test kind."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from docflow.render import DocMeta, RenderRequest
from docflow.resources import data_path
from docflow.spec.project import ProjectData

TEST_TEMPLATES = data_path("doc_templates") / "_test"

TITLES = {"zh-CN": "需求备忘录", "en": "Requirement Memo"}


def project(locale: str, **overrides: Any) -> dict[str, Any]:
    """A small project as the renderer receives it (pydantic dump in python mode)."""
    zh = locale == "zh-CN"
    data = ProjectData.model_validate(
        {
            "locale": locale,
            "project": {"code": "HIS-2026", "name": "县医院信息系统" if zh else "County HIS"},
            "parties": {
                "client": {"name": "某县人民医院" if zh else "County Hospital"},
                "vendor": {"name": "示例软件有限公司" if zh else "Example Software Ltd."},
            },
            "contract": {
                "number": "HT-2026-017",
                "signed_on": dt.date(2026, 3, 2),
                "amount": Decimal("1200500.00"),
            },
            "survey": {
                "sessions": [
                    {
                        "date": dt.date(2026, 4, 1),
                        "department": "门诊部" if zh else "Outpatients",
                        "topic": "挂号流程" if zh else "Registration",
                        "participants": {"client": ["张三", "李四"] if zh else ["Ann", "Bob"]},
                    }
                ]
            },
            "requirements": [
                {"id": "R-1", "title": "门诊挂号" if zh else "Registration", "priority": "must"},
                {
                    "id": "R-2",
                    "title": "电子病历" if zh else "Medical records",
                    "description": "支持结构化录入" if zh else "Structured entry",
                    "type": "non_functional",
                },
            ],
            "memo": {"out_of_scope": ["财务系统" if zh else "Accounting"]},
        }
    ).model_dump(mode="python")
    data.update(overrides)
    return data


def make_request(
    locale: str = "zh-CN",
    template: str = "sample",
    signers: tuple[str, ...] = ("client", "vendor"),
    dirs: tuple[Path, ...] = (TEST_TEMPLATES,),
    **context: Any,
) -> RenderRequest:
    """A request for the _test kind template with a complete context."""
    p = context.pop("p", None) or project(locale)
    meta = DocMeta(
        id="RM-1",
        code="RM",
        template=template,
        title=TITLES[locale],
        number="HIS-2026/RM-1",
        version=1,
        annex=1,
        issued_on=dt.date(2026, 11, 23),
        signers=signers,
        locale=locale,
        project_code="HIS-2026",
        project_name=p["project"]["name"],
        contract_number="HT-2026-017",
        anchor_seq=7,
        anchor_hash="ab" * 32,
    )
    full: dict[str, Any] = {
        "p": p,
        "requirements": p["requirements"],
        "change": None,
        "changes": [],
        "ratio": 0.125,
        "documents": [],
    }
    full.update(context)
    return RenderRequest(meta=meta, context=full, template_dirs=dirs)


def squash(text: str) -> str:
    """Text without any whitespace or word joiner: layout may break lines anywhere, the
    words stay."""
    return "".join(text.replace("\u2060", "").split())


def docx_texts(data: bytes) -> list[str]:
    """The DOCX body as a sequence: each paragraph, then each table cell's paragraphs.

    Text as a reader sees it: the word joiners and no-break spaces that keep tokens on one
    line read as nothing and as spaces.
    """
    import io

    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    raw: list[str] = []
    out = raw
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            seen: set[Any] = set()
            for row in Table(child, document).rows:
                for cell in row.cells:  # a merged cell appears once per grid position
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    out.extend(paragraph.text for paragraph in cell.paragraphs)
    return [text.replace("\u2060", "").replace("\u00a0", " ") for text in raw]


_MARKER = re.compile(r"^\s*(\d+\.|[•◦▪‣])\s*$")


def pdf_page_texts(data: bytes) -> list[str]:
    """Each page's text in drawing order (WeasyPrint draws in document order)."""
    import io

    import pypdf

    pages = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        lines = page.extract_text().splitlines()
        # list markers are drawn after the text; the DOCX holds them as numbering instead
        pages.append("\n".join(line for line in lines if not _MARKER.match(line)))
    return pages


def pdf_body(data: bytes, frame: str, footer: Callable[[int, int], str]) -> str:
    """The squashed body text of a PDF, checking and removing each page's header and footer."""
    pages = pdf_page_texts(data)
    body = []
    for number, text in enumerate(pages, start=1):
        suffix = squash(frame + footer(number, len(pages)))
        page = squash(text)
        assert page.endswith(suffix), f"page {number} lacks its header/footer {suffix!r}"
        body.append(page[: len(page) - len(suffix)])
    return "".join(body)
