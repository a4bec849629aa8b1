"""``status`` and ``docs`` say which issued documents no longer match project.yaml and what
differs, in the PM's words, by the same comparison ``render`` decides by (without rendering):
through the command and the API, on a project started from the skeleton."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pm_helpers import edit_project, skeleton_at, skeleton_states

pytestmark = pytest.mark.slow
__all__ = ["skeleton_at", "skeleton_states"]  # fixtures used by name

Docflow = Callable[..., Any]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node = data
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value

    return change


def _append_session(data: dict[str, Any]) -> None:
    data["survey"]["sessions"].append(
        {"date": "2026-04-02", "department": "Stores", "topic": "Stock", "participants": {}}
    )


def _add_requirement(data: dict[str, Any]) -> None:
    data["requirements"].append({"id": "R-9", "title": "Labels", "priority": "could"})


@pytest.mark.parametrize(
    ("edit", "paths"),
    [
        pytest.param(
            _set("parties.vendor.contact.phone", "0571-2000 9999"),
            ["parties.vendor.contact.phone"],
            id="vendor-phone",
        ),
        pytest.param(_set("survey.purpose", "A new purpose."), ["survey.purpose"], id="purpose"),
        pytest.param(
            _set("survey.sessions.0.topic", "Goods in"),
            ["survey.sessions[0].topic"],
            id="session-topic",
        ),
        pytest.param(_append_session, ["survey.sessions"], id="session-added"),
        # Printed in every page's header from the document's metadata, not by the template.
        pytest.param(_set("project.name", "Renamed HIS"), ["project.name"], id="project-name"),
        pytest.param(_set("contract.number", "C-2"), ["contract.number"], id="contract-number"),
        pytest.param(_set("acceptance.opinion", "Fine."), [], id="not-shown-acceptance"),
        pytest.param(_set("maintenance.visits_per_year", 4), [], id="not-shown-maintenance"),
        pytest.param(_add_requirement, [], id="not-shown-requirements"),
    ],
)
def test_status_says_what_render_would_re_render(
    skeleton_at: Callable[[str, str], Path],
    docflow: Docflow,
    edit: Callable[[dict[str, Any]], None],
    paths: list[str],
) -> None:
    ws = skeleton_at("en", "survey.planned")
    edit_project(ws, edit)
    (sp,) = docflow("status", "--json", cwd=ws).json()["documents"]
    assert sp["out_of_date"] is bool(paths)
    assert [d["path"] for d in sp["differences"]][: len(paths)] == paths
    rendered = docflow("render", "--json", cwd=ws).json()["rerendered"]
    assert [r["id"] for r in rendered] == (["SP-1"] if paths else [])


@pytest.mark.parametrize(
    ("locale", "says"),
    [
        pytest.param(
            "zh-CN", "SP-1: 乙方联系电话已变更（parties.vendor.contact.phone）", id="zh-CN"
        ),
        pytest.param(
            "en", "SP-1: Vendor contact phone changed (parties.vendor.contact.phone)", id="en"
        ),
    ],
)
def test_the_difference_in_the_pms_words(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow, locale: str, says: str
) -> None:
    from docflow import api

    ws = skeleton_at(locale, "survey.planned")
    assert docflow("sign", "SP-1", "--party", "client", "--signer", "A", cwd=ws).code == 0
    edit_project(ws, _set("parties.vendor.contact.phone", "0571-2000 9999"))
    for command in ("status", "docs"):
        text = docflow(command, cwd=ws).out
        stale = "已过期" if locale == "zh-CN" else "out of date"
        assert stale in text and says in text
    view = docflow("docs", "--json", cwd=ws).json()[0]
    assert view["status"] == "signed" and view["out_of_date"] is True
    (difference,) = view["differences"]
    assert {"path", "what", "change", "message"} <= set(difference)
    assert difference["change"] == "changed"
    status = api.Project.open(ws, actor="tester").status()
    assert (
        json.loads(json.dumps(status.to_dict(), default=str))
        == docflow("status", "--json", cwd=ws).json()
    )


def test_an_edited_template_makes_issued_documents_out_of_date_only(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    ws = skeleton_at("en", "survey.memo_issued")  # SP-1 signed, RM-1 issued
    assert docflow("templates", "copy", "requirement_memo", cwd=ws).code == 0
    memo = ws / "templates" / "en" / "requirement_memo.html.j2"
    memo.write_text(
        memo.read_text("utf-8").replace("This requirement memo is", "This memo is"), "utf-8"
    )
    docs = {d["id"]: d for d in docflow("docs", "--json", cwd=ws).json()}
    assert docs["SP-1"]["out_of_date"] is False  # signed: its content is what counts
    assert docs["RM-1"]["out_of_date"] is True
    assert [d["change"] for d in docs["RM-1"]["differences"]] == ["template"]


PROBE = """
import json, sys
from docflow.cli import main
try:
    main(["status"])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "mods": sorted(sys.modules)}), file=sys.stderr)
"""


def test_status_with_documents_imports_no_renderer(
    skeleton_at: Callable[[str, str], Path],
) -> None:
    ws = skeleton_at("en", "survey.memo_issued")
    edit_project(ws, _set("survey.purpose", "Changed."))
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ws, capture_output=True, text=True, timeout=60
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    heavy = ("weasyprint", "docx", "docxtpl", "pyhanko", "pypdf", "alembic", "sqlalchemy")
    assert [m for m in report["mods"] if m.split(".")[0] in heavy] == []


def test_a_damaged_snapshot_is_said_not_guessed(
    skeleton_at: Callable[[str, str], Path], docflow: Docflow
) -> None:
    import sqlite3
    from contextlib import closing

    ws = skeleton_at("en", "survey.planned")
    (sp,) = docflow("docs", "--json", cwd=ws).json()
    with closing(sqlite3.connect(ws / ".docflow" / "docflow.db")) as db, db:
        db.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", (b"{", sp["sha256"]["data"]))
    r = docflow("status", "--json", cwd=ws)
    assert r.code == 0, r.err
    (sp,) = r.json()["documents"]
    assert sp["out_of_date"] is True
    assert [d["change"] for d in sp["differences"]] == ["unreadable"]
    assert "run docflow verify" in sp["differences"][0]["message"]
