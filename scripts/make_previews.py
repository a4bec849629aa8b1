"""Render page 1 of every document kind in every locale to docs/previews/<locale>-<kind>.png.

Runs the demo lifecycle for each locale plus one approved change request (for the change
annex), then converts each PDF's first page with poppler's pdftoppm.

    .venv/bin/python scripts/make_previews.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from docflow import api
from docflow.app.demo import walk

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "previews"

CHANGE = {
    "zh-CN": (
        "增加患者自助机挂号",
        "门诊高峰排队时间过长，院方要求增加自助挂号渠道。",
        "患者自助机挂号与缴费",
        "支持身份证、医保卡在自助机上挂号、缴费并打印凭条。",
    ),
    "en": (
        "Add patient self-service kiosks",
        "Queues at outpatient peak hours are too long.",
        "Self-service kiosk registration and payment",
        "Patients register and pay at kiosks with ID or insurance card and get a receipt.",
    ),
}


def _change_annex(folder: Path, locale: str) -> Path:
    from docflow.runtime.session import open_session

    session = open_session(api.Workspace(folder), None, "preview")
    title, reason, req_title, req_text = CHANGE[locale]
    current = session.ledger.current()
    request = api.ChangeRequest(
        title=title,
        reason=reason,
        adds=(
            api.NewRequirement(
                req_title,
                description=req_text,
                source=session.data.parties.client.name,
            ),
        ),
        modifies=(
            api.RequirementChange(
                current[3].id,
                {"priority": "must" if current[3].priority != "must" else "should"},
            ),
        ),
        removes=(current[-1].id,),
        days=10,
        cost=Decimal("36800.00"),
        risks=("Kiosk hardware delivery may slip" if locale == "en" else "自助机硬件到货可能延迟",),
    )
    project = api.Project.open(folder, actor="preview")
    filed = project.file_change(request)
    project.issue_change_form(filed.id)
    approved = project.approve_change(filed.id)
    assert approved.document is not None
    return folder / str(approved.document.files["pdf"])


def main() -> int:
    """Make every preview; return the process exit code."""
    if shutil.which("pdftoppm") is None:
        print("make_previews: needs pdftoppm (Debian package poppler-utils)", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for locale in ("zh-CN", "en"):
            demo = Path(tmp) / f"demo-{locale}"
            api.demo(demo, locale=locale, say=lambda _m: None)
            project = api.Project.open(demo, actor="preview")
            pdfs = {d.kind: demo / str(d.files["pdf"]) for d in project.documents()}
            # The change annex comes from a second project stopped where changes may start.
            ca = Path(tmp) / f"ca-{locale}"
            api.init(ca, locale=locale, example=True, actor="preview")
            first = project.workflow.change_control.allowed_in[0]
            walk(api.Workspace(ca), actor="preview", say=lambda _m: None, until=first)
            pdfs["change_annex"] = _change_annex(ca, locale)
            for d in api.Project.open(ca, actor="preview").documents():
                pdfs.setdefault(d.kind, ca / str(d.files["pdf"]))
            for kind, pdf in sorted(pdfs.items()):
                target = OUT / f"{locale}-{kind}"
                subprocess.run(
                    [
                        "pdftoppm",
                        "-png",
                        "-r",
                        "50",
                        "-f",
                        "1",
                        "-l",
                        "1",
                        "-singlefile",
                        str(pdf),
                        str(target),
                    ],
                    check=True,
                )
                print(f"wrote {target.with_suffix('.png').relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
