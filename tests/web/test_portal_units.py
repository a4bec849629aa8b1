"""The portal's pieces on their own: drawings, rate limits, accounts, signing order, the
workflow check of signing_order, the body limit and the log that hides tokens."""

from __future__ import annotations

import asyncio
import json

import pytest
from portal_helpers import PortalCase

from docflow.app.sealing import parse_drawing
from docflow.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "strokes"),
    [
        pytest.param("", 0, id="none"),
        pytest.param("[[1,2]]", 1, id="a-dot"),
        pytest.param(json.dumps([[0, 0, 1000, 400], [5, 5, 6, 6, 7, 7]]), 2, id="corners"),
    ],
)
def test_drawings_that_are_accepted(text: str, strokes: int) -> None:
    drawing = parse_drawing(text)
    assert len(drawing.strokes) == strokes
    assert bool(drawing) is (strokes > 0)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[[1,2,3]]", id="odd"),
        pytest.param("[[-1,2]]", id="negative"),
        pytest.param("[[1001,2]]", id="too-wide"),
        pytest.param("[[1,401]]", id="too-high"),
        pytest.param("[[1.5,2]]", id="fraction"),
        pytest.param("[[true,2]]", id="boolean"),
        pytest.param("[[]]", id="empty-stroke"),
        pytest.param('{"x": 1}', id="object"),
        pytest.param("[" * 5000, id="unclosed"),
        pytest.param(json.dumps([[1, 1]] * 101), id="too-many-strokes"),
        pytest.param(json.dumps([[1, 1] * 3001] * 2), id="too-many-points"),
        pytest.param(" " + "1" * 130_000, id="too-long"),
    ],
)
def test_drawings_that_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="drawn signature"):
        parse_drawing(text)


def test_rate_limits_count_per_bucket_and_period(case: PortalCase) -> None:
    import datetime as dt

    minute = dt.timedelta(minutes=1)
    hits = [case.portal.rate_limited("test:a", 3, minute) for _ in range(5)]
    assert hits == [False, False, False, True, True]
    assert case.portal.rate_limited("test:b", 3, minute) is False  # another bucket
    assert case.portal.rate_limited("test:a", 3, dt.timedelta(hours=1)) is False  # another period


def test_sessions_are_stored_hashed_and_end(case: PortalCase) -> None:
    case.portal.add_user("pm", "a long password", "admin")
    assert case.portal.login("pm", "wrong password!") is None
    assert case.portal.login("nobody", "a long password") is None
    cookie = case.portal.login("pm", "a long password")
    assert cookie and case.portal.session_user(cookie) == "pm"
    db = (case.ws / ".docflow" / "docflow.db").read_bytes()
    assert cookie.encode() not in db
    assert case.portal.session_user(cookie[:-1] + "x") is None
    case.portal.logout(cookie)
    assert case.portal.session_user(cookie) is None


def test_workflow_check_refuses_a_signing_order_of_strangers(tmp_path) -> None:
    from docflow.errors import SpecError
    from docflow.resources import data_path
    from docflow.runtime.session import load_spec

    text = (data_path("workflows") / "implementation.yaml").read_text("utf-8")
    bad = text.replace(
        "    signers: [client]\n", "    signers: [client]\n    signing_order: [vendor]\n", 1
    )
    path = tmp_path / "ordered.yaml"
    path.write_text(bad, "utf-8")
    with pytest.raises(SpecError, match="signing_order of document SP"):
        load_spec(str(path), (data_path("doc_templates"),))
    good = text.replace("documents:\n", "signatures:\n  order: [client, vendor]\ndocuments:\n", 1)
    path.write_text(good, "utf-8")
    assert load_spec(str(path), (data_path("doc_templates"),)).signatures.order == (
        "client",
        "vendor",
    )


def test_access_log_hides_link_tokens(caplog) -> None:
    from docflow.web.security import AccessLog, redact

    assert redact("/s/abcDEF123_-xyz/page/2.png") == "/s/…/page/2.png"
    assert redact("/p/HIS-2026") == "/p/HIS-2026"

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(_message):
        return None

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/s/SECRET-TOKEN/sign",
        "client": ("1.2.3.4", 5),
    }
    with caplog.at_level("INFO", logger="docflow.web"):
        asyncio.run(AccessLog(app)(scope, None, send))  # type: ignore[arg-type]
    assert "SECRET-TOKEN" not in caplog.text and '"GET /s/…/sign" 204' in caplog.text


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        pytest.param([(b"content-length", b"99999999")], 413, id="announced-too-large"),
        pytest.param([(b"transfer-encoding", b"chunked")], 411, id="unannounced"),
        pytest.param([(b"content-length", b"10")], 200, id="small"),
    ],
)
def test_body_limit(headers, status) -> None:
    from docflow.web.security import BodyLimit

    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/s/x/upload", "headers": headers}
    asyncio.run(BodyLimit(app, 1000)(scope, None, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == status
