"""Change control through the docflow command: numbering, decisions, annexes, drift, bundle."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def sign_both(docflow: Callable[..., Any], ws: Path, doc_id: str) -> None:
    for party in ("client", "vendor"):
        r = docflow("sign", doc_id, "--party", party, "--signer", f"{party} rep", cwd=ws)
        assert r.code == 0, r.err


def test_three_changes_give_annexes_1_2void_3(
    confirmed_copy: Path, docflow: Callable[..., Any]
) -> None:
    ws = confirmed_copy
    r1 = docflow(
        "change",
        "new",
        "--title",
        "Mobile app",
        "--reason",
        "Director asked",
        "--adds",
        "Patient mobile app",
        "--description",
        "What it does",
        "--json",
        cwd=ws,
    )
    assert r1.code == 0, r1.err
    assert r1.json()["id"] == "CR-1" and r1.json()["status"] == "open"
    r2 = docflow(
        "change",
        "new",
        "--title",
        "Drop report",
        "--reason",
        "Not needed",
        "--removes",
        "R-020",
        "--json",
        cwd=ws,
    )
    assert r2.json()["id"] == "CR-2"
    r3 = docflow(
        "change",
        "new",
        "--title",
        "Faster queue",
        "--reason",
        "Peak hours",
        "--modifies",
        "R-001:priority=must;title=Registration within 30 s",
        "--days",
        "5",
        "--cost",
        "18000",
        "--json",
        cwd=ws,
    )
    assert r3.code == 0, r3.err and r3.json()["id"] == "CR-3"

    rej = docflow("change", "reject", "CR-1", "--reason", "Out of budget", "--json", cwd=ws)
    assert rej.code == 0 and rej.json()["status"] == "rejected" and rej.json()["annex"] is None

    app2 = docflow("change", "approve", "CR-2", "--json", cwd=ws).json()
    assert app2["status"] == "approved" and app2["annex"] == 2
    assert app2["document"]["id"] == "CA-1" and app2["document"]["awaiting"] == ["client", "vendor"]
    wd = docflow("change", "withdraw", "CR-2", "--reason", "Client kept it", "--json", cwd=ws)
    assert wd.json()["status"] == "withdrawn" and wd.json()["document"]["status"] == "void"

    app3 = docflow("change", "approve", "CR-3", "--json", cwd=ws).json()
    assert app3["annex"] == 3 and app3["document"]["id"] == "CA-2"
    blocked = docflow("advance", "--json", cwd=ws)
    assert blocked.code == 0 or blocked.code == 3
    sign_both(docflow, ws, "CA-2")
    assert docflow("change", "list", "--json", cwd=ws).json()[2]["status"] == "effective"
    text = (ws / "project.yaml").read_text("utf-8")
    assert "Registration within 30 s" in text

    status = docflow("status", "--json", cwd=ws).json()
    assert status["changes"]["drift"] == []
    assert status["changes"]["ratio"] > 0
    annexes = sorted((d["annex"], d["id"], d["status"]) for d in status["documents"] if d["annex"])
    assert annexes == [(1, "RM-1", "signed"), (2, "CA-1", "void"), (3, "CA-2", "signed")]
    log = docflow("log", "--json", cwd=ws).json()
    decisions = [
        (e["type"], e["data"].get("change"), e["actor"])
        for e in log
        if e["type"].startswith("change.")
    ]
    assert [d[0] for d in decisions] == [
        "change.requested",
        "change.requested",
        "change.requested",
        "change.rejected",
        "change.approved",
        "change.withdrawn",
        "change.approved",
        "change.effective",
    ]
    assert {d[2] for d in decisions} == {"tester"}

    out = ws / "legal.zip"
    r = docflow("export", "legal", str(out), "--json", cwd=ws)
    assert r.code == 0, r.err
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        for entry in manifest["files"]:
            assert hashlib.sha256(zf.read(entry["name"])).hexdigest() == entry["sha256"]
        names = zf.namelist()
        register = list(csv.DictReader(io.StringIO(zf.read("register.csv").decode("utf-8-sig"))))
    # The register speaks the project's zh-CN, its column names too.
    assert [row["附件序号"] for row in register] == ["1", "2", "3"]
    assert register[1]["状态"] == "已作废"
    annex_files = [n for n in names if n.startswith("annex-")]
    numbers = [n.split("-")[1] for n in annex_files]
    assert numbers == sorted(numbers)
    assert any(n.startswith("annex-01-RM-1") for n in annex_files)
    assert not any(n.startswith("annex-02") for n in annex_files)
    stored = {d["id"]: d["sha256"]["pdf"] for d in status["documents"]}
    assert register[0]["PDF SHA-256"] == stored["RM-1"]


def test_unknown_ids_and_empty_changes_are_refused(
    confirmed_copy: Path, docflow: Callable[..., Any]
) -> None:
    ws = confirmed_copy
    cases = [
        ("--removes", "R-999"),
        ("--modifies", "R-998:priority=must"),
    ]
    for flag, value in cases:
        r = docflow("change", "new", "--title", "x", "--reason", "y", flag, value, cwd=ws)
        assert r.code == 4 and value.split(":")[0] in r.err
    r = docflow("change", "new", "--title", "x", "--reason", "y", cwd=ws)
    assert r.code == 4
    assert docflow("change", "list", "--json", cwd=ws).json() == []


def test_change_outside_allowed_states_is_conflict(
    example_workspace: Path, docflow: Callable[..., Any]
) -> None:
    r = docflow(
        "change",
        "new",
        "--title",
        "x",
        "--reason",
        "y",
        "--adds",
        "z",
        "--description",
        "z",
        cwd=example_workspace,
    )
    assert r.code == 5 and "contract.drafting" in r.err


def test_drift_blocks_until_a_change_is_effective(
    confirmed_copy: Path, docflow: Callable[..., Any]
) -> None:
    ws = confirmed_copy
    project = ws / "project.yaml"
    text = project.read_text("utf-8")
    m = re.search(r"(?m)^(\s+)title: (.+)$", text[text.index("requirements:") :])
    assert m
    old_title = m.group(2)
    edited = text.replace(f"title: {old_title}", "title: Edited without a change", 1)
    project.write_text(edited, "utf-8")
    r = docflow("advance", "--json", cwd=ws)
    assert r.code == 3
    drift = [b for b in r.json()["blockers"] if b["guard"] == "requirements_unchanged"]
    assert drift and "标题" in drift[0]["message"] and "docflow change new" in drift[0]["message"]
    status = docflow("status", "--json", cwd=ws).json()
    req_id = status["changes"]["drift"][0]["id"]
    assert status["changes"]["drift"][0]["kind"] == "edited"

    project.write_text(text, "utf-8")  # file the change properly instead
    r = docflow(
        "change",
        "new",
        "--title",
        "Retitle",
        "--reason",
        "Clearer",
        "--modifies",
        f"{req_id}:title=Edited without a change",
        "--json",
        cwd=ws,
    )
    assert r.code == 0, r.err
    approved = docflow("change", "approve", "CR-1", "--json", cwd=ws).json()
    sign_both(docflow, ws, approved["document"]["id"])
    assert "Edited without a change" in project.read_text("utf-8")
    status = docflow("status", "--json", cwd=ws).json()
    assert status["changes"]["drift"] == []
    nxt = next(t for t in status["transitions"] if t["trigger"] == "plan_deployment")
    assert nxt["ready"], nxt["blockers"]


def test_concurrent_change_requests_are_numbered_once(confirmed_copy: Path) -> None:
    ws = confirmed_copy
    n = 30
    env = {"DOCFLOW_ACTOR": "pm"}
    import os

    full_env = {**{k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}, **env}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "docflow",
                "change",
                "new",
                "--title",
                f"Change {i}",
                "--reason",
                "parallel",
                "--adds",
                f"Feature {i}",
                "--description",
                "What it does",
                "--json",
            ],
            cwd=ws,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(n)
    ]
    results = [(*p.communicate(timeout=300), p.returncode) for p in procs]
    codes = [r[2] for r in results]
    assert codes == [0] * n, [r[1] for r in results if r[2]]
    ids = sorted(json.loads(r[0])["id"] for r in results)
    assert ids == sorted(f"CR-{i}" for i in range(1, n + 1))


def test_change_file_with_full_entries(confirmed_copy: Path, docflow: Callable[..., Any]) -> None:
    ws = confirmed_copy
    good = ws / "change.yaml"
    good.write_text(
        "title: Interface to the regional platform\n"
        "reason: Required by the health bureau\n"
        "adds:\n"
        "  - id: IF-100\n"
        "    title: Push discharge summaries to the regional platform\n"
        "    description: Each discharge summary is sent within an hour\n"
        "    type: interface\n"
        "    priority: must\n"
        "    source: Health bureau notice\n"
        "modifies:\n"
        "  - id: R-002\n"
        "    priority: could\n"
        "days: 7\n"
        "cost: 25000.00\n"
        "risks: [Platform test environment not ready]\n",
        "utf-8",
    )
    r = docflow("change", "new", "--file", str(good), "--json", cwd=ws)
    assert r.code == 0, r.err
    body = r.json()["body"]
    assert body["adds"][0]["id"] == "IF-100" and body["modifies"][0]["priority"] == "could"

    bad = ws / "bad.yaml"
    bad.write_text("title: x\nreason: y\nadds:\n  - id: IF-101\n    priority: urgent\n", "utf-8")
    r = docflow("change", "new", "--file", str(bad), cwd=ws)
    assert r.code == 4
    assert "bad.yaml:5" in r.err and "priority" in r.err
    assert len(docflow("change", "list", "--json", cwd=ws).json()) == 1


def test_signed_contract_annexes_stay_current_when_later_changes_take_effect(
    confirmed_copy: Path, docflow: Callable[..., Any]
) -> None:
    """Each contract annex reads the record as it amends it: RM-1 the baseline, CA-1 the
    ratio before it (0 %), CA-2 the ratio with CR-1 (1 of 24) and R-001 as CR-1 left it.
    Signing them, which makes their changes count, leaves none of them out of date."""
    ws = confirmed_copy
    added = docflow(
        "change",
        "new",
        "--title",
        "Night shift report",
        "--reason",
        "Nursing asked",
        "--adds",
        "Night shift report",
        "--description",
        "Night shift workload for the nursing department",
        cwd=ws,
    )
    assert added.code == 0, added.err
    modified = docflow(
        "change",
        "new",
        "--title",
        "Faster registration",
        "--reason",
        "Peak hours",
        "--modifies",
        "R-001:title=Registration within 30 s",
        cwd=ws,
    )
    assert modified.code == 0, modified.err
    for cr_id, doc_id in (("CR-1", "CA-1"), ("CR-2", "CA-2")):
        assert docflow("change", "approve", cr_id, cwd=ws).code == 0
        sign_both(docflow, ws, doc_id)
    status = docflow("status", "--json", cwd=ws).json()
    annexes = {d["id"]: d for d in status["documents"] if d["id"] in ("RM-1", "CA-1", "CA-2")}
    assert {d: (a["status"], a["out_of_date"]) for d, a in annexes.items()} == {
        "RM-1": ("signed", False),
        "CA-1": ("signed", False),
        "CA-2": ("signed", False),
    }
    text = {}
    for doc_id, annex in annexes.items():
        text[doc_id] = subprocess.run(
            ["pdftotext", str(ws / annex["files"]["pdf"]), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.replace("\n", "")
    ratios = {d: re.search(r"需求基线的\s*([\d.]+%)", text[d]) for d in ("CA-1", "CA-2")}
    assert ratios["CA-1"] is not None and ratios["CA-1"].group(1) == "0%"
    assert ratios["CA-2"] is not None and ratios["CA-2"].group(1) == "4.2%"
    assert "Registration within 30 s" in text["CA-2"]
    assert "Registration within 30 s" not in text["RM-1"]
    # Rendering again changes nothing: every annex reads as it was signed.
    rendered = docflow("render", "--all", "--json", cwd=ws).json()
    assert rendered["held"] == [] and rendered["rerendered"] == []
