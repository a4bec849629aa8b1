"""The signing page over HTTP: what it shows, its headers, and the pages of dead links."""

from __future__ import annotations

import pytest
from portal_helpers import PortalCase, csrf_of, run_sql, token_of

from docflow import api


def test_signing_page_shows_every_page_and_the_download(client, case: PortalCase) -> None:
    token = token_of(case.share())
    page = client.get(f"/s/{token}")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text and "需求备忘录" in page.text
    pages = page.text.count(f'src="/s/{token}/page/')
    assert pages >= 2
    headers = page.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in headers  # plain HTTP: no HSTS
    cookie = headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    image = client.get(f"/s/{token}/page/{pages}.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert client.get(f"/s/{token}/page/{pages + 1}.png").status_code == 404
    pdf = client.get(f"/s/{token}/document.pdf")
    issued = (case.ws / "documents" / "RM-1-v1.pdf").read_bytes()
    assert pdf.status_code == 200 and pdf.content == issued
    assert pdf.headers["content-disposition"] == 'attachment; filename="RM-1-v1.pdf"'
    link = api.Project.open(case.ws).links()[0]
    assert link.viewed_at is not None and link.state == "open"


def test_static_files_and_health(client) -> None:
    script = client.get("/static/sign.js")
    assert script.status_code == 200 and "pointerdown" in script.text
    assert client.get("/static/portal.css").status_code == 200
    assert client.get("/healthz").text == "ok"
    assert client.get("/no/such/page").status_code == 404


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), id="tampered"),
        pytest.param(lambda t: t[:20], id="truncated"),
        pytest.param(lambda t: "x" * 43, id="well-formed-unknown"),
        pytest.param(lambda t: t + "%00", id="trailing-bytes"),
    ],
)
def test_unknown_links_are_404_and_name_nothing(client, case: PortalCase, mangle) -> None:
    token = mangle(token_of(case.share()))
    for path in (f"/s/{token}", f"/s/{token}/page/1.png", f"/s/{token}/document.pdf"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "RM-1" not in answer.text and "需求备忘录" not in answer.text
    assert client.post(f"/s/{token}/sign", data={"csrf": "x"}).status_code in (403, 404)


def _expire(case: PortalCase, link: api.SigningLink) -> None:
    run_sql(
        case.ws,
        "UPDATE links SET expires_at = ? WHERE link_id = ?",
        "2020-01-01T00:00:00.000+00:00",
        link.link_id,
    )


def _revoke(case: PortalCase, link: api.SigningLink) -> None:
    api.Project.open(case.ws, actor="pm").revoke_link(link.link_id)


def _signed_elsewhere(case: PortalCase, link: api.SigningLink) -> None:
    api.Project.open(case.ws, actor="pm").sign(api.SignRequest("RM-1", "client", "王晓东"))


@pytest.mark.parametrize(
    ("kill", "state"),
    [
        pytest.param(_expire, "expired", id="expired"),
        pytest.param(_revoke, "revoked", id="revoked"),
        pytest.param(_signed_elsewhere, "used", id="party-signed-on-paper"),
    ],
)
def test_dead_links_are_410_and_name_nothing(client, case: PortalCase, kill, state) -> None:
    link = case.share()
    token = token_of(link)
    csrf = csrf_of(client.get(f"/s/{token}").text)
    kill(case, link)
    assert api.Project.open(case.ws).links()[0].state == state
    for path in (f"/s/{token}", f"/s/{token}/page/1.png", f"/s/{token}/document.pdf"):
        answer = client.get(path)
        assert answer.status_code == 410, path
        assert "RM-1" not in answer.text and "需求备忘录" not in answer.text
    answer = client.post(f"/s/{token}/decline", data={"csrf": csrf, "signer": "x", "reason": "no"})
    assert answer.status_code == 410
    assert api.Project.open(case.ws).status().declines == ()


def test_superseded_document_kills_its_links(case: PortalCase) -> None:
    from docflow.app.links import link_state
    from docflow.store.base import DocumentRow
    from docflow.store.portal import PortalStore

    link = case.share()
    row = PortalStore(case.portal.store).link(link.link_id)
    newest = case.portal.store.document(api.Project.open(case.ws).code, "RM-1")
    assert row is not None and isinstance(newest, DocumentRow)
    import dataclasses
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    assert link_state(row, newest, frozenset(), now)[0] == "open"
    later = dataclasses.replace(newest, version=2)
    assert link_state(row, later, frozenset(), now) == ("revoked", "RM-1 v1 was superseded by v2")
    void = dataclasses.replace(newest, status="void")
    assert link_state(row, void, frozenset(), now)[0] == "revoked"


def test_without_a_seal_the_page_offers_upload_and_decline_only(case: PortalCase) -> None:
    from starlette.testclient import TestClient

    from docflow.web.app import ServeConfig, create_app

    unsealed = api.Portal.open(case.url)
    token = token_of(case.share())
    with TestClient(create_app(ServeConfig(case.url, "http://testserver"), unsealed)) as client:
        page = client.get(f"/s/{token}")
        assert page.status_code == 200
        assert f"/s/{token}/upload" in page.text and f"/s/{token}/sign" not in page.text
        form = {"csrf": csrf_of(page.text), "signer": "王晓东", "consent": "yes"}
        answer = client.post(f"/s/{token}/sign", data=form)
    unsealed.close()
    assert answer.status_code == 503 and "本签署页未配置签章证书" in answer.text
    assert api.Project.open(case.ws).links()[0].state == "open"
