"""The PM dashboard over HTTP: accounts, login, sessions, CSRF, links made and revoked, and
rate limits that hold across server processes."""

from __future__ import annotations

import re

import pytest
from portal_helpers import PortalCase, csrf_of, token_of

from docflow import api
from docflow.errors import Conflict, InvalidInput

PASSWORD = "correct horse battery"


def _login(client, name: str = "pm", password: str = PASSWORD):
    csrf = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"csrf": csrf, "name": name, "password": password}, follow_redirects=False
    )


def test_accounts_are_checked_and_hashed(case: PortalCase) -> None:
    from docflow.store.portal import PortalStore

    case.portal.add_user("pm", PASSWORD, "admin")
    stored = PortalStore(case.portal.store).user("pm")
    assert stored is not None and stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash
    with pytest.raises(Conflict):
        case.portal.add_user("pm", PASSWORD, "admin")
    with pytest.raises(InvalidInput, match="at least 10"):
        case.portal.add_user("other", "short", "admin")
    with pytest.raises(InvalidInput, match="account name"):
        case.portal.add_user("a b", PASSWORD, "admin")


def test_login_session_and_dashboard(client, case: PortalCase) -> None:
    case.portal.add_user("pm", PASSWORD, "admin")
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert _login(client, password="wrong password!").status_code == 401
    answer = _login(client)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "df_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain HTTP here; see the HTTPS test
    home = client.get("/")
    code = api.Project.open(case.ws).code
    assert home.status_code == 200 and code in home.text and "RM-1 v1: client, vendor" in home.text
    page = client.get(f"/p/{code}")
    assert page.status_code == 200 and "project.created" in page.text and "RM-1" in page.text
    assert client.get("/p/NO-SUCH").status_code == 404
    csrf = csrf_of(page.text)
    form = {"document": "RM-1", "party": "client", "days": "7"}
    assert client.post(f"/p/{code}/links", data=form).status_code == 403
    made = client.post(f"/p/{code}/links", data={**form, "csrf": csrf})
    assert made.status_code == 201
    url = re.search(r'<code class="url">([^<]+)</code>', made.text)
    assert url and url.group(1).startswith("http://testserver/s/")
    (link,) = api.Project.open(case.ws).links()
    assert link.created_by == "pm" and link.state == "open"
    assert client.get(url.group(1).replace("http://testserver", "")).status_code == 200
    revoke = f"/p/{code}/links/{link.link_id}/revoke"
    assert client.post(revoke, data={"csrf": "nope"}).status_code == 403
    done = client.post(revoke, data={"csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303
    assert api.Project.open(case.ws).links()[0].state == "revoked"
    assert client.post(revoke, data={"csrf": csrf}).status_code == 400  # revoked already
    client.post("/logout", data={"csrf": csrf})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_dashboard_forms_need_a_session(client, case: PortalCase) -> None:
    code = api.Project.open(case.ws).code
    answer = client.post(
        f"/p/{code}/links", data={"document": "RM-1", "party": "client"}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert api.Project.open(case.ws).links() == ()


def test_login_is_rate_limited_in_the_store_across_processes(case: PortalCase) -> None:
    """Two applications on one store (two server processes) share the login counter."""
    from starlette.testclient import TestClient

    from docflow.web.app import ServeConfig, create_app

    case.portal.add_user("pm", PASSWORD, "admin")
    config = ServeConfig(case.url, "http://testserver")
    other = api.Portal.open(case.url)
    with (
        TestClient(create_app(config, case.portal)) as one,
        TestClient(create_app(config, other)) as two,
    ):
        codes = [
            _login(one if i % 2 else two, password=f"wrong {i:04d}xx").status_code
            for i in range(10)
        ]
        assert codes == [401] * 10
        assert _login(one).status_code == 429  # even the right password, for now
        assert _login(two).status_code == 429
    other.close()


def test_link_pages_are_rate_limited(case: PortalCase) -> None:
    from starlette.testclient import TestClient

    from docflow.web.app import ServeConfig, create_app

    token = token_of(case.share())
    config = ServeConfig(case.url, "http://testserver", link_rate=3)
    with TestClient(create_app(config, case.portal)) as client:
        codes = [client.get(f"/s/{token}").status_code for _ in range(4)]
        guesses = client.get("/s/" + "y" * 43)
    assert codes == [200, 200, 200, 429] and guesses.status_code == 429
    assert "retry-after" in guesses.headers


def test_https_portal_sets_secure_cookies_and_hsts(case: PortalCase) -> None:
    from starlette.testclient import TestClient

    from docflow.web.app import ServeConfig, create_app

    config = ServeConfig(case.url, "https://sign.example.com")
    with TestClient(create_app(config, case.portal), base_url="https://testserver") as client:
        page = client.get("/login")
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert "secure" in page.headers["set-cookie"].lower()
