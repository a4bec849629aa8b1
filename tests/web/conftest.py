"""Fixtures of the portal tests: a project with RM-1 awaiting both parties, a seal, a portal.

One workspace is driven to survey.memo_issued per test session and copied for each test (the
copy's store is told where the copy lives, so files land in the copy). The seal is a PKCS#12
of the test PKI. ``client`` is a Starlette TestClient over the real application.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from portal_helpers import SEAL_PASSWORD, PortalCase, copy_workspace

import pki_support
from docflow import api


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
