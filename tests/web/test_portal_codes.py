"""One-time codes and mailed links against a local SMTP server (aiosmtpd) the test starts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from portal_helpers import PortalCase, csrf_of, document, sign_form, token_of

from docflow import api


class _Inbox:
    """Keeps every message the SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8")))
        return "250 OK"


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Inbox]:
    """A local SMTP server on a free port, named by DOCFLOW_SMTP_URL."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("DOCFLOW_SMTP_URL", f"smtp://127.0.0.1:{port}?from=portal@example.com")
    yield handler
    controller.stop()


def _body(message: str) -> str:
    import email
    from email import policy

    parsed = email.message_from_string(message, policy=policy.default)
    return parsed.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_link_is_mailed_and_signing_needs_the_code(client, case: PortalCase, inbox) -> None:
    link = case.share(email="wang@example.com")
    assert link.sent is True
    (to, message) = inbox.messages[0]
    assert to == ["wang@example.com"] and link.url in _body(message)
    token = token_of(link)
    page = client.get(f"/s/{token}")
    assert 'name="code"' in page.text
    csrf = csrf_of(page.text)
    refused = client.post(f"/s/{token}/sign", data=sign_form(csrf))
    assert refused.status_code == 400 and "请先获取验证码" in refused.text
    sent = client.post(f"/s/{token}/code", data={"csrf": csrf})
    assert sent.status_code == 200 and "验证码已发送" in sent.text
    (to, message) = inbox.messages[1]
    assert to == ["wangxd@jzdyrmyy.cn"]  # the client's accountable person in project.yaml
    code = re.search(r"\b(\d{6})\b", _body(message)).group(1)  # type: ignore[union-attr]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    bad = client.post(f"/s/{token}/sign", data=sign_form(csrf, code=wrong))
    assert bad.status_code == 400 and "验证码不正确" in bad.text
    assert document(case.ws, "RM-1")["signatures"] == []
    good = client.post(f"/s/{token}/sign", data=sign_form(csrf, code=code))
    assert good.status_code == 200, good.text
    event = [e for e in api.Project.open(case.ws).log() if e.type == "signature"][-1]
    assert event.data["evidence"]["code_verified"] is True


def test_codes_expire_after_too_many_attempts(client, case: PortalCase, inbox) -> None:
    token = token_of(case.share())
    csrf = csrf_of(client.get(f"/s/{token}").text)
    client.post(f"/s/{token}/code", data={"csrf": csrf})
    code = re.search(r"\b(\d{6})\b", _body(inbox.messages[-1][1])).group(1)  # type: ignore[union-attr]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        client.post(f"/s/{token}/sign", data=sign_form(csrf, code=wrong))
    late = client.post(f"/s/{token}/sign", data=sign_form(csrf, code=code))
    assert late.status_code == 400 and "尝试次数过多" in late.text
    assert document(case.ws, "RM-1")["signatures"] == []
