"""Helpers of the job-queue tests: docflow workers run as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def docflow_env() -> dict[str, str]:
    """The environment of docflow processes started by these tests."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env["DOCFLOW_ACTOR"] = "tester"
    return env


def start_worker(store: str, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    """A ``docflow worker`` process whose log lines go to ``log``."""
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "docflow", "--store", store, "worker", *extra],
            stdout=subprocess.DEVNULL,
            stderr=sink,
            env=docflow_env(),
        )
