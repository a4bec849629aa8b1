"""A built wheel carries workflows, templates and schemas, and finds them from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [whl] = out.glob("docflow-*.whl")
    return whl


def test_wheel_ships_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "docflow/_data/workflows/implementation.yaml",
        "docflow/_data/workflows/examples/implementation.zh-CN.yaml",
        "docflow/_data/doc_templates/base.html.j2",
        "docflow/_data/doc_templates/style.css",
        "docflow/_data/doc_templates/frame.docx",
        "docflow/_data/doc_templates/zh-CN/requirement_memo.html.j2",
        "docflow/_data/doc_templates/en/maintenance_agreement.html.j2",
        "docflow/_data/schemas/project.schema.json",
        "docflow/py.typed",
    ):
        assert required in names, required


def test_installed_wheel_runs_from_root(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("DOCFLOW_TEMPLATES", None)
    probe = (
        "import docflow, docflow.resources as r; "
        "print(docflow.__file__); print(r.data_path('workflows'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd="/", env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    assert out[0].startswith(str(target)) and out[1].startswith(str(target))
    ws = tmp_path / "ws"
    r = subprocess.run(
        [sys.executable, "-m", "docflow", "init", str(ws), "--example"],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "docflow", "workflow", "list"],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0 and "implementation" in r.stdout
