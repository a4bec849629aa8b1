"""The floor: the requirement memo rendered by a bare script calling the raw libraries.

Jinja2 + WeasyPrint make the PDF, python-docx the DOCX, from the same data docflow renders
(project, 40 requirements, signature block), with the same fonts, page frame and table rules.
No sandbox, no HTML subset, no checks: what the libraries cost on their own.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

__all__ = ["floor_docx", "floor_pdf"]

CSS = """
@page { size: A4; margin: 25mm 20mm 22mm 30mm;
  @top-left { content: string(letterhead); font-size: 8.5pt; color: #444; }
  @top-right { content: string(number) "\\2003" string(title); font-size: 8.5pt; color: #444; }
  @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-size: 9pt; }
}
html { font-size: 10.5pt; font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; }
h1, h2, th { font-family: "Noto Sans CJK SC", sans-serif; }
.frame { string-set: letterhead attr(data-letterhead), number attr(data-number),
  title attr(data-title); height: 0; }
body { line-height: 1.5; }
h1 { font-size: 18pt; text-align: center; }
h2 { font-size: 13pt; margin: 6mm 0 2mm 0; }
p { margin: 0 0 2mm 0; text-align: justify; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 9.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { padding: 1.2mm 1.8mm; vertical-align: top; text-align: left; border: 0.5pt solid #333; }
table.signatures th, table.signatures td { border: none; }
table.signatures td { height: 28mm; }
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><style>{{ css }}</style></head><body>
<div class="frame" data-letterhead="{{ p.parties.vendor.name }}" data-number="{{ doc.number }}"
  data-title="{{ doc.title }}"></div>
<p><strong>附件{{ doc.annex }}</strong></p>
<h1>{{ doc.title }}</h1>
<table><col style="width:17%"><col style="width:33%"><col style="width:17%"><col style="width:33%">
<tbody><tr><th>项目名称</th><td colspan="3">{{ doc.project_name }}</td></tr>
<tr><th>合同编号</th><td>{{ doc.contract_number }}</td>
<th>文件编号</th><td>{{ doc.number }}</td></tr>
<tr><th>版本</th><td>V{{ doc.version }}</td><th>日期</th><td>{{ doc.issued_on }}</td></tr>
</tbody></table>
<p>本需求备忘录是甲方{{ p.parties.client.name }}与乙方{{ p.parties.vendor.name
}}签订的《{{ p.project.name }}合同》（合同编号：{{ p.contract.number }}）的附件{{ doc.annex
}}，{{ intro }}</p>
<h2>一、合同双方</h2>
<table><col style="width:20%"><col style="width:40%"><col style="width:40%">
<thead><tr><th></th><th>甲方</th><th>乙方</th></tr></thead><tbody>
<tr><th>名称</th><td>{{ p.parties.client.name }}</td><td>{{ p.parties.vendor.name }}</td></tr>
<tr><th>地址</th><td>{{ p.parties.client.address or "" }}</td>
<td>{{ p.parties.vendor.address or "" }}</td></tr>
<tr><th>代表</th><td>{{ p.parties.client.representative or "" }}</td>
<td>{{ p.parties.vendor.representative or "" }}</td></tr></tbody></table>
<h2>二、项目背景</h2><p>{{ p.memo.background or "无" }}</p>
<h2>三、项目范围</h2><p>{{ p.contract.scope }}</p>
{% if p.project.subsystems %}
<p>本项目包括以下子系统：{{ p.project.subsystems | join("、") }}。</p>{% endif %}
<p>{{ priority_note }}</p>
{% for title, intro, rows in groups %}
<h2>{{ title }}</h2>{% if intro %}<p>{{ intro }}</p>{% endif %}
{% if rows %}
<table><col style="width:10%"><col style="width:20%"><col style="width:44%"><col style="width:10%">
<col style="width:16%">
<thead><tr><th>编号</th><th>需求名称</th><th>需求描述</th><th>优先级</th><th>来源</th></tr></thead>
<tbody>{% for r in rows %}<tr><td>{{ r.id }}</td><td>{{ r.title }}</td>
<td>{{ r.description or "" }}</td><td>{{ priorities.get(r.priority, r.priority) }}</td>
<td>{{ r.source or "" }}</td></tr>
{% endfor %}</tbody></table>
{% else %}<p>无。</p>{% endif %}
{% endfor %}
<h2>七、不在本项目范围内的事项</h2>
<p>下列事项不属于本项目范围，如甲方需要，双方另行协商：</p>
<ul>{% for item in p.memo.out_of_scope %}<li>{{ item }}</li>{% endfor %}</ul>
<h2>八、前提与假设</h2>
<p>本备忘录所列需求的实现以下列前提为基础；前提不成立时，双方按变更控制条款协商处理：</p>
<ul>{% for item in p.memo.assumptions %}<li>{{ item }}</li>{% endfor %}</ul>
<h2>九、需求变更</h2>
<p>本备忘录经双方签字之日起即为需求基线。基线之后的任何需求新增、修改或删除，均按合同变更控制条款办理：</p>
<p>{{ p.contract.change_control_terms }}</p>
<h2>十、其他</h2>
<p>本备忘录共列需求 {{ requirements | length }} 项。{{ closing }}</p>
<table class="signatures"><tr>{% for party in doc.signers %}
<td>{{ "甲方" if party == "client" else "乙方" }}（盖章）：<br>代表签字：<br>日期：</td>
{% endfor %}</tr></table>
</body></html>
"""

_PRIORITIES = {"must": "必须", "should": "应当", "could": "可选"}
_TEXTS = {
    "intro": "记录双方经需求调研共同确认的需求。本备忘录经双方签字盖章后生效，"
    "是合同不可分割的组成部分，也是系统验收的依据。",
    "priority_note": "需求优先级分为三级：“必须”指验收前必须交付的需求；“应当”指应当交付、"
    "经双方书面同意可延后交付的需求；“可选”指在进度与费用允许时交付的需求。",
    "closing": "本附件与合同具有同等法律效力。本文件一式两份，甲乙双方各执一份。",
}
_TYPES = (
    ("functional", "四、功能需求", ""),
    (
        "non_functional",
        "五、非功能需求",
        "非功能需求包括性能、安全、可用性、易用性等方面的要求，与功能需求同等作为验收依据。",
    ),
    ("interface", "六、接口需求", "本系统各子系统之间及与外部系统之间的接口要求如下："),
)


Group = tuple[str, str, list[Mapping[str, Any]]]


def _groups(requirements: list[Mapping[str, Any]]) -> list[Group]:
    return [
        (title, intro, [r for r in requirements if r.get("type") == kind])
        for kind, title, intro in _TYPES
    ]


def floor_pdf(context: Mapping[str, Any]) -> bytes:
    """The memo as PDF: one Jinja template, one WeasyPrint call."""
    import jinja2
    import weasyprint

    env = jinja2.Environment(autoescape=True)
    html = env.from_string(TEMPLATE).render(
        css=CSS,
        p=context["p"],
        doc=context["doc"],
        requirements=context["requirements"],
        groups=_groups(context["requirements"]),
        priorities=_PRIORITIES,
        **_TEXTS,
    )
    return bytes(weasyprint.HTML(string=html).write_pdf())


def floor_docx(context: Mapping[str, Any]) -> bytes:
    """The memo as DOCX built with python-docx, row by row."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p, doc = context["p"], context["doc"]
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.name = "Noto Serif CJK SC"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    header = document.sections[0].header.paragraphs[0]
    header.text = f"{p['parties']['vendor']['name']}\t{doc['number']} {doc['title']}"
    document.add_heading(doc["title"], level=0)
    document.add_paragraph(f"编号：{doc['number']}　合同编号：{p['contract']['number']}")
    document.add_paragraph(
        f"本需求备忘录是甲方{p['parties']['client']['name']}与乙方"
        f"{p['parties']['vendor']['name']}签订的合同的附件，记录双方经需求调研共同确认的需求。"
    )
    document.add_heading("一、合同双方", level=1)
    parties = document.add_table(rows=1, cols=3, style="Table Grid")
    for cell, text in zip(parties.rows[0].cells, ("", "甲方", "乙方"), strict=True):
        cell.text = text
    for label, key in (("名称", "name"), ("代表", "representative")):
        cells = parties.add_row().cells
        cells[0].text = label
        cells[1].text = str(p["parties"]["client"].get(key) or "")
        cells[2].text = str(p["parties"]["vendor"].get(key) or "")
    document.add_heading("二、项目背景", level=1)
    document.add_paragraph(str(p["memo"].get("background") or "无"))
    document.add_heading("三、项目范围", level=1)
    document.add_paragraph(str(p["contract"]["scope"]))
    for title, intro, rows in _groups(context["requirements"]):
        document.add_heading(title, level=1)
        if intro:
            document.add_paragraph(intro)
        table = document.add_table(rows=1, cols=5, style="Table Grid")
        for cell, text in zip(
            table.rows[0].cells, ("编号", "需求", "说明", "优先级", "提出人"), strict=True
        ):
            cell.text = text
        for r in rows:
            cells = table.add_row().cells
            values = (
                r["id"],
                r["title"],
                r.get("description") or "",
                r["priority"],
                r.get("source") or "",
            )
            for cell, text in zip(cells, values, strict=True):
                cell.text = str(text)
    for title, key in (
        ("七、不在本项目范围内的事项", "out_of_scope"),
        ("八、前提与假设", "assumptions"),
    ):
        document.add_heading(title, level=1)
        for item in p["memo"].get(key) or []:
            document.add_paragraph(str(item), style="List Bullet")
    document.add_heading("九、需求变更", level=1)
    document.add_paragraph(str(p["contract"]["change_control_terms"]))
    signatures = document.add_table(rows=1, cols=len(doc["signers"]))
    for cell, party in zip(signatures.rows[0].cells, doc["signers"], strict=True):
        cell.text = f"{'甲方' if party == 'client' else '乙方'}（盖章）：\n代表签字：\n日期："
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
