"""The register of contract annexes as a PDF (for the legal bundle), built without a template.

It goes through the same block tree, page frame and PDF renderer as every document, so it
has the same header, footer, fonts and determinism.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from docflow.render.blocks import Cell, Document, Heading, Paragraph, Row, Run, Table
from docflow.render.context import load_labels, search_path
from docflow.render.filters import make_filters
from docflow.render.frame import page_words
from docflow.render.htmlout import document_html
from docflow.render.meta import DocMeta

__all__ = ["render_register_pdf"]

_TEXT = {
    "zh-CN": {
        "title": "合同附件登记表",
        "lead": "项目：{name}（{code}）　合同编号：{contract}",
        "columns": ("附件", "文件", "版本", "标题", "签发日期", "状态", "签署", "SHA-256（PDF）"),
    },
    "en": {
        "title": "Register of contract annexes",
        "lead": "Project: {name} ({code})    Contract: {contract}",
        "columns": (
            "Annex",
            "Document",
            "Version",
            "Title",
            "Issued",
            "Status",
            "Signatures",
            "SHA-256 (PDF)",
        ),
    },
}
_WIDTHS = (10.0, 9.0, 7.0, 16.0, 13.0, 8.0, 17.0, 20.0)


def _cell(text: Any, header: bool = False) -> Cell:
    value = "" if text is None else str(text)
    return Cell((Paragraph((Run(value),) if value else (), small=not header),), header=header)


def _issued(rows: Sequence[Mapping[str, Any]]) -> dt.date:
    dates = [row["issued_on"] for row in rows if isinstance(row.get("issued_on"), dt.date)]
    return max(dates, default=dt.date(1980, 1, 1))


def render_register_pdf(
    locale: str,
    project_code: str,
    project_name: str,
    contract_number: str,
    rows: Sequence[Mapping[str, Any]],
) -> bytes:
    """One table row per annex: number, document, version, title, date, status, signatures, hash.

    Rows carry the keys annex, document, version, title, issued_on, status, signatures and
    sha256_pdf. The PDF's dates are the latest issue date, so the same rows give the same bytes.
    """
    from docflow.render.pdf import render_pdf
    from docflow.render.pipeline import stylesheet

    text = _TEXT.get(locale, _TEXT["en"])
    dirs = search_path(())
    labels = load_labels(dirs, locale)
    filters = make_filters(locale)
    statuses = labels.get("document_status", {})
    header = Row(tuple(_cell(name, header=True) for name in text["columns"]), header=True)
    body = [
        Row(
            (
                _cell(filters["annex_label"](row.get("annex"))),
                _cell(row.get("document")),
                _cell(row.get("version")),
                _cell(row.get("title")),
                _cell(filters["date"](row.get("issued_on"))),
                _cell(statuses.get(row.get("status"), row.get("status"))),
                _cell(row.get("signatures")),
                _cell(row.get("sha256_pdf")),
            )
        )
        for row in rows
    ]
    title = str(text["title"])
    lead = str(text["lead"]).format(name=project_name, code=project_code, contract=contract_number)
    document = Document(
        title,
        (
            Heading(1, (Run(title),)),
            Paragraph((Run(lead),)),
            Table("grid", _WIDTHS, (header, *body)),
        ),
    )
    meta = DocMeta(
        id="register",
        code="register",
        template="register",
        title=title,
        number=f"{project_code}/register",
        version=1,
        annex=None,
        issued_on=_issued(rows),
        signers=(),
        locale=locale,
        project_code=project_code,
        project_name=project_name,
        contract_number=contract_number,
        anchor_seq=0,
        anchor_hash="",
    )
    html = document_html(document, meta, page_words(locale, labels), "", stylesheet(dirs))
    pdf, _ = render_pdf(html, meta, dirs)
    return pdf
