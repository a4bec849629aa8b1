"""Fixtures of the portal tests: a project with RM-1 awaiting both parties, a seal, a portal.

One workspace is driven to survey.memo_issued per test session and copied for each test (the
copy's store is told where the copy lives, so files land in the copy). The seal is a PKCS#12
of the test PKI. ``client`` is a Starlette TestClient over the real application.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import pki_support
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


@pytest.fixture(scope="session")
def seal_pki() -> pki_support.Pki:
    """The test PKI whose vendor certificate seals portal signatures."""
    return pki_support.make_pki(SEAL_PASSWORD, organisation="Portal Seal Test")


@pytest.fixture(scope="session")
def memo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project at survey.memo_issued: SP-1 signed, RM-1 awaiting both parties."""
    from docflow.app.demo import walk

    ws = tmp_path_factory.mktemp("portal") / "ws"
    api.init(ws, example=True, actor="tester")
    walk(api.Workspace(ws), actor="tester", say=lambda _m: None, until="survey.memo_issued")
    return ws


def copy_workspace(template: Path, target: Path) -> Path:
    """A private copy of a workspace whose store knows where the copy is."""
    shutil.copytree(template, target)
    db = target / ".docflow" / "docflow.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE projects SET workspace = ?", (str(target.resolve()),))
    return target


@pytest.fixture
def case(memo_template: Path, tmp_path: Path, seal_pki: pki_support.Pki) -> Iterator[PortalCase]:
    """A copied workspace with a portal over its store."""
    ws = copy_workspace(memo_template, tmp_path / "ws")
    url = f"sqlite:///{(ws / '.docflow' / 'docflow.db').resolve()}"
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(seal_pki.vendor_p12)
    password = tmp_path / "seal-password.txt"
    password.write_bytes(SEAL_PASSWORD + b"\n")
    portal = api.Portal.open(url, seal_p12=seal_pki.vendor_p12, password=SEAL_PASSWORD)
    yield PortalCase(ws, url, portal, p12, password)
    portal.close()


@pytest.fixture
def client(case: PortalCase) -> Iterator[object]:
    """A TestClient over the portal application of ``case``'s store."""
    from starlette.testclient import TestClient

    from docflow.web.app import ServeConfig, create_app

    config = ServeConfig(store_url=case.url, base_url="http://testserver")
    with TestClient(create_app(config, case.portal)) as test_client:
        yield test_client
