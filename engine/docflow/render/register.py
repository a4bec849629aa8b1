"""The register of contract annexes as a PDF (for the legal bundle), built without a template.

It goes through the same block tree, text rules, page frame and PDF renderer as every
document, so it has the same letterhead, running header, footer, fonts and determinism (and
whatever archival form the PDF renderer gives documents).

Above the list it names the main contract (title, number, amount in figures and words,
signing date, parties); each annex takes two rows, the second holding its signatures and the
SHA-256 of its PDF and DOCX in a monospace face, one unbroken line each; below the list a
handover line (handed over by / received by, each with a date) is left for signatures.
Every word is in the document's language: parties, statuses, signing methods and dates.
Words come from ``labels.register``, ``labels.sign_method``, ``labels.party`` and
``labels.document_status`` when a labels file sets them, else from the defaults below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from docflow.render.blocks import Block, Cell, Document, Heading, Paragraph, Row, Run, Table
from docflow.render.context import load_labels, search_path
from docflow.render.filters import make_filters
from docflow.render.frame import page_words
from docflow.render.htmlout import document_html
from docflow.render.meta import DocMeta
from docflow.render.typeset import typeset

__all__ = ["register_words", "render_register_pdf", "signature_text"]

_WORDS: dict[str, dict[str, Any]] = {
    "zh-CN": {
        "title": "合同附件登记表",
        "project": "项目名称",
        "contract_title": "合同名称",
        "contract_number": "合同编号",
        "amount": "合同金额",
        "amount_words": "{figures}（大写：{words}）",
        "signed_on": "签订日期",
        "parties": "合同双方",
        "columns": ("附件", "文件", "版本", "标题", "签发日期", "状态"),
        # register.csv: annex, document, version, title, issued_on, status, signatures,
        # sha256_pdf, sha256_docx.
        "csv_columns": (
            "附件序号",
            "文件编号",
            "版本",
            "标题",
            "签发日期",
            "状态",
            "签署情况（签字方：签字人，签字方式，日期）",
            "PDF SHA-256",
            "DOCX SHA-256",
        ),
        "signature": "签署：{party}　{signer}（{method}，{date}）",
        "unsigned": "签署：尚未签署",
        "hash": "SHA-256　{kind}：",
        "handover": "移交确认",
        "handover_text": "上列合同附件的PDF与DOCX文件（SHA-256值如上）"
        "已由移交人交付接收人，双方核对无误。",
        "handover_cells": ("移交人（签字）：", "接收人（签字）："),
        "handover_date": "日期：　　　　年　　月　　日",
        "sign_method": {
            "recorded": "手签",
            "scan": "扫描件",
            "digital": "电子签名",
            "portal": "在线签署",
            "deemed": "视为确认",
        },
        "party": {"client": "甲方", "vendor": "乙方"},
        "head_contract": "合同编号：{}",
        "colon": "：",
    },
    "en": {
        "title": "Register of contract annexes",
        "project": "Project",
        "contract_title": "Contract",
        "contract_number": "Contract No.",
        "amount": "Contract amount",
        "amount_words": "{figures} (in words: {words})",
        "signed_on": "Signed on",
        "parties": "Parties",
        "columns": ("Annex", "Document", "Version", "Title", "Issued", "Status"),
        "signature": "Signed by the {party}: {signer} ({method}, {date})",
        "unsigned": "Not signed yet",
        "hash": "SHA-256 {kind}: ",
        "handover": "Handover",
        "handover_text": "The PDF and DOCX files of the contract annexes listed above, with the "
        "SHA-256 values shown, were handed over by the person handing over to the person "
        "receiving them, and both checked them.",
        "handover_cells": ("Handed over by (signature):", "Received by (signature):"),
        "handover_date": "Date:",
        "sign_method": {
            "recorded": "wet ink",
            "scan": "scanned",
            "digital": "digital signature",
            "portal": "signed online",
            "deemed": "deemed confirmed",
        },
        "party": {"client": "Client", "vendor": "Vendor"},
        "head_contract": "Contract {}",
        "colon": ": ",
    },
}
# Annex, document, version, title, issued, status (percent; fitted to content).
_WIDTHS = (12.0, 12.0, 10.0, 30.0, 20.0, 16.0)
_KV_WIDTHS = (18.0, 32.0, 16.0, 34.0)
_HANDOVER_WIDTHS = (50.0, 50.0)


def _words(locale: str, labels: Mapping[str, Any]) -> dict[str, Any]:
    words = dict(_WORDS.get(locale, _WORDS["en"]))
    own = labels.get("register")
    if isinstance(own, Mapping):
        words.update({k: v for k, v in own.items() if k in words and isinstance(v, str)})
    for key in ("sign_method", "party"):
        if isinstance(labels.get(key), Mapping):
            words[key] = {**words[key], **{str(k): str(v) for k, v in labels[key].items()}}
    words["status"] = labels.get("document_status", {})
    return words


def register_words(locale: str) -> dict[str, Any]:
    """The register's words in ``locale`` (parties, signing methods, document statuses),
    with the built-in and configured labels files applied."""
    return _words(locale, load_labels(search_path(()), locale))


def signature_text(words: Mapping[str, Any], signers: Sequence[Mapping[str, Any]]) -> str:
    """One line naming every signature of an annex in the register's language:
    ``甲方：张三（手签，2026-03-01）`` or ``Client: Ann (wet ink, 2026-03-01)``."""
    zh = words["colon"] == "："
    parts = []
    for sig in signers:
        party = _text(sig.get("party"))
        method = _text(sig.get("method"))
        who = words["party"].get(party, party)
        how = words["sign_method"].get(method, method)
        when = _text(sig.get("signed_on"))
        signer = _text(sig.get("signer"))
        parts.append(
            f"{who}：{signer}（{how}，{when}）" if zh else f"{who}: {signer} ({how}, {when})"
        )
    return ("；" if zh else "; ").join(parts)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _cell(text: Any, header: bool = False, colspan: int = 1) -> Cell:
    lines = _text(text).split("\n")
    runs: list[Run] = []
    for index, line in enumerate(lines):
        if index:
            runs.append(Run("\n"))
        if line:
            runs.append(Run(line))
    return Cell((Paragraph(tuple(runs), small=not header),), colspan=colspan, header=header)


def _detail_cell(
    row: Mapping[str, Any], words: Mapping[str, Any], date: Callable[[Any], str], colspan: int
) -> Cell:
    """Signatures, one line each, then the SHA-256 of the PDF and of the DOCX."""
    runs: list[Run] = []
    for line in _signatures(row, words, date).split("\n"):
        if runs:
            runs.append(Run("\n"))
        runs.append(Run(line or str(words["unsigned"])))
    for kind, key in (("PDF", "sha256_pdf"), ("DOCX", "sha256_docx")):
        value = _text(row.get(key))
        if not value:
            continue
        if runs:
            runs.append(Run("\n"))
        runs.append(Run(str(words["hash"]).format(kind=kind)))
        runs.append(Run(value, keep=True, mono=True))
    return Cell((Paragraph(tuple(runs), small=True),), colspan=colspan)


def _signatures(
    row: Mapping[str, Any], words: Mapping[str, Any], date: Callable[[Any], str]
) -> str:
    signers = row.get("signers")
    if not isinstance(signers, Sequence) or isinstance(signers, str):
        return _text(row.get("signatures"))
    if not signers:
        return ""
    lines = []
    for sig in signers:
        party = _text(sig.get("party"))
        method = _text(sig.get("method"))
        lines.append(
            str(words["signature"]).format(
                party=words["party"].get(party, party),
                signer=_text(sig.get("signer")),
                method=words["sign_method"].get(method, method),
                date=date(sig.get("signed_on")) if sig.get("signed_on") else "",
            )
        )
    return "\n".join(lines)


def _contract_table(
    project: str,
    contract_number: str,
    contract: Mapping[str, Any],
    parties: Mapping[str, str],
    words: Mapping[str, Any],
    filters: Mapping[str, Callable[..., str]],
) -> Table:
    rows = [Row((_cell(words["project"], True), _cell(project, colspan=3)))]
    if contract.get("title"):
        rows.append(
            Row((_cell(words["contract_title"], True), _cell(contract["title"], colspan=3)))
        )
    rows.append(
        Row(
            (
                _cell(words["contract_number"], True),
                _cell(contract_number),
                _cell(words["signed_on"], True),
                _cell(filters["date"](contract.get("signed_on"))),
            )
        )
    )
    if contract.get("amount") is not None:
        currency = _text(contract.get("currency")) or "CNY"
        figures = filters["money"](contract["amount"], currency)
        amount = str(words["amount_words"]).format(
            figures=figures, words=filters["money_words"](contract["amount"], currency)
        )
        rows.append(Row((_cell(words["amount"], True), _cell(amount, colspan=3))))
    colon = str(words["colon"])
    names = [
        f"{words['party'].get(party, party)}{colon}{name}"
        for party, name in parties.items()
        if name
    ]
    if names:
        rows.append(Row((_cell(words["parties"], True), _cell("\n".join(names), colspan=3))))
    return Table("kv", _KV_WIDTHS, tuple(rows))


def _issued(rows: Sequence[Mapping[str, Any]]) -> dt.date:
    dates = [row["issued_on"] for row in rows if isinstance(row.get("issued_on"), dt.date)]
    return max(dates, default=dt.date(1980, 1, 1))


def render_register_pdf(
    locale: str,
    project_code: str,
    project_name: str,
    contract_number: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    contract: Mapping[str, Any] | None = None,
    parties: Mapping[str, str] | None = None,
    letterhead: str = "",
) -> bytes:
    """The register: the main contract, then two rows per annex, then the handover line.

    Rows carry the keys annex, document, version, title, issued_on, status, sha256_pdf,
    sha256_docx and either signers (a list of {party, signer, method, signed_on}) or
    signatures (one line of text). ``contract`` holds the main contract's facts (title,
    amount, currency, signed_on), ``parties`` the parties' names by role. The PDF's dates
    are the latest issue date, so the same input gives the same bytes.
    """
    from docflow.render.pdf import render_pdf
    from docflow.render.pipeline import stylesheet

    dirs = search_path(())
    labels = load_labels(dirs, locale)
    filters = make_filters(locale)
    words = _words(locale, labels)
    columns = len(_WIDTHS)
    header = Row(tuple(_cell(name, header=True) for name in words["columns"]), header=True)
    body: list[Row] = []
    for row in rows:
        status = _text(row.get("status"))
        body.append(
            Row(
                (
                    _cell(filters["annex_label"](row.get("annex"))),
                    _cell(row.get("document")),
                    _cell(row.get("version")),
                    _cell(row.get("title")),
                    _cell(filters["date"](row.get("issued_on"))),
                    _cell(words["status"].get(status, status)),
                ),
                keep_next=True,
            )
        )
        body.append(Row((_detail_cell(row, words, filters["date"], columns),)))
    title = str(words["title"])
    project = (
        f"{project_name}（{project_code}）"
        if locale.startswith("zh")
        else (f"{project_name} ({project_code})")
    )
    # a line to sign on after each name, and a date under each
    writing = Run("\u3000" * 8, underline=True)
    handover = (
        Row(tuple(Cell((Paragraph((Run(text), writing)),)) for text in words["handover_cells"])),
        Row(tuple(_cell(words["handover_date"]) for _ in words["handover_cells"])),
    )
    blocks: list[Block] = [
        Heading(1, (Run(title),)),
        _contract_table(project, contract_number, contract or {}, parties or {}, words, filters),
        Table("grid", _WIDTHS, (header, *body)),
        Heading(2, (Run(str(words["handover"])),)),
        Paragraph((Run(str(words["handover_text"])),)),
        Table("plain", _HANDOVER_WIDTHS, handover, whole=True),
    ]
    document = typeset(Document(title, tuple(blocks)), locale)
    meta = DocMeta(
        id="register",
        code="register",
        template="register",
        title=title,
        number=project_code,
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
    head_contract = str(words["head_contract"]).replace("{}", contract_number)
    head = (f"{project_code}\u2003{title}", head_contract if contract_number else "")
    html = document_html(
        document, meta, page_words(locale, labels), letterhead, stylesheet(dirs), head=head
    )
    pdf, _ = render_pdf(html, meta, dirs)
    return pdf
