"""A copy in the other language: ``docflow render DOC_ID --locale L`` makes a convenience
translation of an issued document from the data it was issued with, marked on every page,
never binding and never signable; through the command and the API, both directions."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pm_helpers import (
    docx_text,
    edit_project,
    fill_skeleton,
    normal,
    pdf_pages,
    skeleton_at,
    skeleton_states,
    store_dump,
)

pytestmark = pytest.mark.slow
__all__ = ["skeleton_at", "skeleton_states"]  # fixtures used by name

Docflow = Callable[..., Any]

# (project locale, copy locale, mark on every page, the note, the copy's title)
CASES = {
    "zh-to-en": (
        "zh-CN",
        "en",
        "Convenience translation",
        "Convenience translation of WH-2026/RM-1 v1 (zh-CN). The zh-CN version is binding. "
        "本文件为 WH-2026/RM-1 V1（zh-CN）的译本，仅供参考；以中文版为准。",
        "Requirement memo",
    ),
    "en-to-zh": (
        "en",
        "zh-CN",
        "译本 仅供参考",
        "本文件为 WH-2026/RM-1 V1（en）的译本，仅供参考；以英文版为准。 "
        "Convenience translation of WH-2026/RM-1 v1 (en). The en version is binding.",
        "需求备忘录",
    ),
}


def _fields(pdf: bytes) -> list[str]:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        form = doc.Root.get("/AcroForm")
        annots = [a for page in doc.pages for a in page.get("/Annots", [])]
        return [str(f.get("/T")) for f in (form.get("/Fields", []) if form else [])] + [
            str(a.get("/Subtype")) for a in annots
        ]


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_convenience_translation_is_marked_and_never_binding(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, case: str
) -> None:
    source, target, mark, note, title = CASES[case]
    ws = skeleton_at(source, "survey.memo_issued")
    before = store_dump(ws)["tables"]
    r = docflow("render", "RM-1", "--locale", target, "--json", cwd=ws)
    assert r.code == 0, r.err
    result = r.json()
    assert result["binding"] is False and result["source_locale"] == source
    files = result["files"]
    assert files == {
        "docx": f"documents/translations/RM-1-v1.{target}.docx",
        "pdf": f"documents/translations/RM-1-v1.{target}.pdf",
    }
    pdf = (ws / files["pdf"]).read_bytes()
    pages = pdf_pages(pdf)
    assert len(pages) > 1 and all(normal(mark) in page for page in pages)
    assert normal(note) in pages[0] and normal(title) in pages[0]
    assert _fields(pdf) == []  # no signature fields, no widgets
    docx = docx_text(ws / files["docx"])
    assert normal(mark) in docx and normal(note) in docx
    signature_words = "授权代表（签字）" if target == "zh-CN" else "Authorised representative"
    assert signature_words not in " ".join(pages) and signature_words not in docx

    # Not a version, not numbered, nothing recorded; listed under the document.
    assert store_dump(ws)["tables"] == before
    (memo,) = [d for d in docflow("docs", "--json", cwd=ws).json() if d["id"] == "RM-1"]
    assert memo["translations"] == [{"locale": target, "files": files}]
    listed = "参考译本" if source == "zh-CN" else "convenience translation"
    assert listed in docflow("docs", cwd=ws).out
    assert docflow("verify", cwd=ws).code == 0


def test_the_translation_says_what_the_version_says(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    from docflow import api

    ws = skeleton_at("zh-CN", "survey.memo_issued")
    edit_project(ws, lambda d: d["parties"]["vendor"]["contact"].update(phone="0571-9999 9999"))
    translation = api.Project.open(ws, actor="tester").translate("RM-1", "en")
    text = " ".join(pdf_pages(ws / translation.files["pdf"]))
    assert "0571-2000 0002" in text and "0571-9999 9999" not in text  # v1's data, not today's
    assert "县人民医院" in text  # the data is the same data, in the language it was written


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(["RM-1", "--locale", "zh-CN"], 4, "is in zh-CN already", id="same-locale"),
        pytest.param(["RM-1", "--locale", "fr"], 4, "has no fr template", id="no-templates"),
        pytest.param(["RM-9", "--locale", "en"], 4, "中没有文件 RM-9", id="unknown"),
        pytest.param(["RM-1", "SP-1", "--locale", "en"], 2, "只翻译一份文件", id="two"),
        pytest.param(["--locale", "en"], 2, "只翻译一份文件", id="none"),
    ],
)
def test_a_translation_that_cannot_be(
    skeleton_at: Callable[[str, str], Path],
    docflow: Docflow,
    args: list[str],
    code: int,
    says: str,
) -> None:
    ws = skeleton_at("zh-CN", "survey.memo_issued")
    before = store_dump(ws)
    r = docflow("render", *args, cwd=ws)
    assert r.code == code, r.err
    assert says in r.err and "Traceback" not in r.err
    assert store_dump(ws) == before


ONE_LANGUAGE = """
name: one_language
title: {zh-CN: 单语项目}
locales: [zh-CN]
initial: draft
states:
  draft: {phase: contract, title: {zh-CN: 起草}}
  planned: {phase: survey, title: {zh-CN: 已计划}, final: true}
transitions:
  - {trigger: plan, source: draft, dest: planned, title: {zh-CN: 计划}, emits: [SP]}
documents:
  SP: {template: survey_plan, title: {zh-CN: 需求调研计划}, signers: [client]}
"""


def test_a_workflow_without_the_other_language(tmp_path: Path, docflow: Docflow) -> None:
    from docflow import api

    flow = tmp_path / "one_language.yaml"
    flow.write_text(ONE_LANGUAGE, "utf-8")
    ws = tmp_path / "ws"
    api.init(ws, workflow=str(flow), code="WH-2026", actor="tester")

    def fill(data: dict[str, Any]) -> None:
        fill_skeleton(data, "zh-CN")
        data["workflow"] = "one_language"

    edit_project(ws, fill)
    api.Project.open(ws, actor="tester").advance()
    r = docflow("render", "SP-1", "--locale", "en", cwd=ws)
    assert r.code == 4
    assert "workflow one_language has no en template for SP-1" in r.err and "zh-CN" in r.err
    assert not (ws / "documents" / "translations").exists()


def test_every_kind_translates_from_its_snapshot(tmp_path: Path) -> None:
    """The example in English, with a change annex, walked to maintenance: each document's
    data is rebuilt from its snapshot exactly, and its Chinese copy says the amounts."""
    from docflow import api
    from docflow.app.demo import walk

    ws = tmp_path / "his"
    api.init(ws, example=True, locale="en", actor="tester")
    walk(api.Workspace(ws), actor="tester", say=lambda _m: None, until="survey.confirmed")
    project = api.Project.open(ws, actor="tester")
    change = api.ChangeRequest(
        "Kiosks",
        "Queues",
        adds=(
            api.NewRequirement("Kiosk registration", description="Patients register at a kiosk"),
        ),
        cost=Decimal(85000),
    )
    cr = project.file_change(change)
    project.approve_change(cr.id)
    for party in ("client", "vendor"):
        project.sign(api.SignRequest("CA-1", party, "Signer"))
    walk(api.Workspace(ws), actor="tester", say=lambda _m: None, until="deployment.done")
    edit_project(ws, lambda d: [r.update(delivered=True) for r in d["requirements"]])
    walk(api.Workspace(ws), actor="tester", say=lambda _m: None, until="maintenance.active")
    documents = [d.id for d in project.documents()]
    assert documents == ["SP-1", "RM-1", "CA-1", "DP-1", "AC-1", "CS-1", "CN-1", "MA-1"]
    for doc_id in documents:
        done = project.translate(doc_id, "zh-CN")
        text = " ".join(pdf_pages(ws / done.files["pdf"]))
        assert normal("译本 仅供参考") in text, doc_id
    assert "人民币" in " ".join(pdf_pages(ws / "documents/translations/CA-1-v1.zh-CN.pdf"))


def test_a_translation_is_never_a_signature(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    import pikepdf

    ws = skeleton_at("zh-CN", "survey.memo_issued")
    assert docflow("render", "RM-1", "--locale", "en", cwd=ws).code == 0
    copy = "documents/translations/RM-1-v1.en.pdf"
    before = store_dump(ws)
    sign = ("sign", "RM-1", "--party", "client", "--signer", "张伟", "--file")
    r = docflow(*sign, copy, cwd=ws)
    assert r.code == 6 and f"this file is {copy} (a convenience translation" in r.err
    resaved = ws.parent / "scan.pdf"
    with pikepdf.open(ws / copy) as doc:
        doc.save(resaved)
    r = docflow(*sign, str(resaved), cwd=ws)
    assert r.code == 6 and "this is a convenience translation" in r.err
    assert store_dump(ws) == before
