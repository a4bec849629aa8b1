"""The PDF/A tests' shared workspaces: the example project through its whole lifecycle.

The lifecycle goes through the public path: ``docflow init --example``, the library's
``advance`` (what ``docflow advance`` calls) signing as each party when a step needs it,
and ``docflow change new`` / ``docflow change approve`` for one change annex, so that every
document kind is issued once. Documents are read back from the store, as ``docflow``
keeps them: the issued PDF (with its signature fields) and the data snapshot.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from docflow.app.demo import walk
from docflow.app.subjects import find_subject
from docflow.documents.context import build_context
from docflow.documents.snapshot import load_snapshot
from docflow.render import RenderRequest
from docflow.runtime.session import open_session
from docflow.runtime.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "render"))  # render_helpers

LOCALES = ("zh-CN", "en")
CODES = ("SP", "RM", "CA", "DP", "AC", "CN", "MA")
KINDS = [pytest.param(code, locale, id=f"{code}-{locale}") for locale in LOCALES for code in CODES]
CHANGE_STATE = "survey.confirmed"
DELIVERED_STATE = "deployment.done"


@dataclass(frozen=True)
class Issued:
    """One issued document as the store keeps it."""

    doc_id: str
    locale: str
    pdf: bytes
    data: bytes
    on_disk: bytes


def _quiet(_message: str) -> None:
    pass


def make_lifecycle(root: Path, locale: str, docflow: Callable[..., Run]) -> Path:
    """The example project of ``locale`` issued every kind, one approved change included."""
    ws = root / f"ws-{locale}"
    result = docflow("init", str(ws), "--example", "--locale", locale)
    assert result.code == 0, result.err
    walk(Workspace(ws), actor="tester", say=_quiet, until=CHANGE_STATE)
    title = "值班直达骨科挂号" if locale == "zh-CN" else "Self-service kiosks"
    filed = docflow(
        "change",
        "new",
        "--title",
        title,
        "--reason",
        title,
        "--adds",
        title,
        "--description",
        title,
        cwd=ws,
    )
    assert filed.code == 0, filed.err
    approved = docflow("change", "approve", "CR-1", "--json", cwd=ws)
    assert approved.code == 0, approved.err
    walk(Workspace(ws), actor="tester", say=_quiet, until=DELIVERED_STATE)
    # The requirement the change added is not delivered yet and acceptance waits for it.
    _deliver(ws, title)
    walk(Workspace(ws), actor="tester", say=_quiet)
    return ws


def _deliver(ws: Path, title: str) -> None:
    """Record the requirement titled ``title`` as delivered in project.yaml, as a PM would."""
    path = ws / "project.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    [req] = [r for r in data["requirements"] if r["title"] == title]
    req["delivered"] = True
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@dataclass
class Run:
    """A finished ``docflow`` process."""

    code: int
    out: str
    err: str


def run_docflow(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """The real command in a subprocess, without DOCFLOW_* settings from outside."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    base.update({"DOCFLOW_ACTOR": "tester", **(env or {})})
    proc = subprocess.run(
        [sys.executable, "-m", "docflow", *args],
        cwd=cwd,
        env=base,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def issued_document(ws: Path, code: str, locale: str) -> Issued:
    """The live document of kind ``code`` read from the workspace's store."""
    session = open_session(Workspace(ws), None, "tester")
    doc = next(d for d in session.documents if d.code == code)
    pdf = session.store.blob(doc.pdf_sha256)
    data = session.store.blob(doc.data_sha256)
    assert pdf is not None and data is not None
    return Issued(doc.doc_id, locale, pdf, data, (ws / doc.files["pdf"]).read_bytes())


def rerender_request(ws: Path, code: str) -> RenderRequest:
    """A request that renders document ``code`` again with its stored metadata and the
    project's current data (as ``docflow render`` would)."""
    session = open_session(Workspace(ws), None, "tester")
    doc = next(d for d in session.documents if d.code == code)
    stored = load_snapshot(session.store.blob(doc.data_sha256) or b"{}")
    subject = find_subject(session, doc, stored.meta.subject)
    context = build_context(session, subject)
    return RenderRequest(stored.meta, context, session.workspace.template_dirs())
