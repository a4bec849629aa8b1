"""The benchmark's short mode runs end to end, and fails when a document cannot render."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SMALL = ["--quick", "--runs", "1", "--batch-docs", "3", "--jobs", "2"]
SMALL += ["--scale-projects", "30", "--scale-events", "1500"]


def _bench(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=REPO,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=400,
    )


def test_quick_bench_writes_every_figure(tmp_path: Path) -> None:
    """`python -m bench --quick` exits 0 and records each section's ratios in its JSON."""
    out = tmp_path / "results.json"
    proc = _bench([*SMALL, "--out", str(out)])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "summary:" in proc.stdout
    results = json.loads(out.read_text("utf-8"))
    assert results["quick"] is True
    assert {"pdf_ratio", "docx_ratio", "pdf", "docx"} <= set(results["floor"])
    assert {"ratio", "wall_s", "cpu_s"} <= set(results["startup"]["status"])
    assert {"ratio"} <= set(results["startup"]["log"]) & set(results["startup"]["--help"])
    assert results["advance"]["documents"] == ["RM-1"]
    assert {"ratio", "cpu_ratio", "import_weasyprint"} <= set(results["advance"])
    assert {"jobs_1", "jobs_2", "speedup", "soffice"} <= set(results["batch"])
    assert {"cpu_per_doc_s", "floor_cpu_s", "floor_ratio", "per_core_vs_soffice"} <= set(
        results["batch"]
    )
    assert results["batch"]["documents"] == 3
    assert {"status_ratio", "projects_ratio"} <= set(results["scale"]["sqlite"])
    assert results["scale"]["sqlite"]["store"] == {"projects": 30, "events": 1500}
    assert {c["section"] for c in results["checks"]} >= {"floor", "startup", "advance", "batch"}


def test_bench_fails_when_the_memo_cannot_render(tmp_path: Path) -> None:
    """A template that fails to render makes the benchmark exit 1 with the reason."""
    broken = tmp_path / "templates" / "zh-CN"
    broken.mkdir(parents=True)
    (broken / "requirement_memo.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block body %}{{ missing.field }}{% endblock %}', "utf-8"
    )
    proc = _bench(
        ["--only", "floor", "--runs", "1", "--out", str(tmp_path / "r.json")],
        env={"DOCFLOW_TEMPLATES": str(tmp_path / "templates")},
    )
    assert proc.returncode == 1
    assert "the requirement memo did not render" in proc.stderr
    assert not (tmp_path / "r.json").exists()
