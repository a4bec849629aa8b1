"""Helpers of the portal tests: forms as a browser fills them, the store's rows, pdfsig."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docflow import api

SEAL_PASSWORD = b"seal secret"


@dataclass
class PortalCase:
    """A copied workspace, its store URL, and a portal over it."""

    ws: Path
    url: str
    portal: api.Portal
    p12: Path
    password_file: Path

    def share(self, doc: str = "RM-1", party: str = "client", **options: object) -> api.SigningLink:
        """A new link made through the API, as `docflow share` makes it."""
        return api.Project.open(self.ws, actor="pm").share(doc, party, **options)  # type: ignore[arg-type]


def token_of(link: api.SigningLink) -> str:
    """The token in a link's URL."""
    assert link.url is not None
    return link.url.rsplit("/", 1)[-1]


def copy_workspace(template: Path, target: Path) -> Path:
    """A private copy of a workspace whose store knows where the copy is."""
    shutil.copytree(template, target)
    db = target / ".docflow" / "docflow.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE projects SET workspace = ?", (str(target.resolve()),))
    return target


STROKES = json.dumps([[100, 300, 180, 120, 260, 300, 340, 110, 420, 310], [520, 200, 900, 220]])


def csrf_of(html: str) -> str:
    """The CSRF token the page's forms carry."""
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def sign_form(csrf: str, signer: str = "王晓东", **extra: str) -> dict[str, str]:
    """The signing form filled in: name, drawing, consent."""
    return {"csrf": csrf, "signer": signer, "drawing": STROKES, "consent": "yes", **extra}


def status(ws: Path) -> dict[str, Any]:
    """The project's status as `docflow status --json` gives it."""
    from docflow import api

    return api.Project.open(ws).status().to_dict()


def document(ws: Path, doc_id: str) -> dict[str, Any]:
    """One document of the status."""
    return next(d for d in status(ws)["documents"] if d["id"] == doc_id)


def run_sql(ws: Path, sql: str, *params: Any) -> None:
    """Change the workspace's SQLite store directly (to age a link, say)."""
    with sqlite3.connect(ws / ".docflow" / "docflow.db") as conn:
        conn.execute(sql, params)


def store_dump(ws: Path) -> list[str]:
    """Every row of the workspace's store as SQL (to prove a command changed nothing)."""
    with sqlite3.connect(ws / ".docflow" / "docflow.db") as conn:
        return list(conn.iterdump())


def pdfsig(path: Path) -> str:
    """pdfsig's report on a file (Poppler, an independent reader)."""
    tool = shutil.which("pdfsig")
    assert tool, "pdfsig (poppler-utils) is part of the test set-up"
    return subprocess.run([tool, str(path)], capture_output=True, text=True, check=False).stdout
