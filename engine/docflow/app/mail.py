"""Sending e-mail: signing links and one-time codes, over SMTP from ``DOCFLOW_SMTP_URL``.

``smtp://[user[:password]@]host[:port][?starttls=1&from=ADDRESS]`` (plain, or STARTTLS when
``starttls`` is set) or ``smtps://...`` (TLS from the start). Without the variable nothing is
sent and callers print the link instead. Sending is one small function so that a queue worker
can take it over.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from docflow.errors import EnvironmentProblem, InvalidInput

__all__ = ["SMTP_ENV", "check_address", "send_mail", "smtp_configured"]

SMTP_ENV = "DOCFLOW_SMTP_URL"
_TIMEOUT_S = 20


def smtp_configured() -> bool:
    """Whether ``DOCFLOW_SMTP_URL`` names a mail server."""
    return bool(os.environ.get(SMTP_ENV, "").strip())


def check_address(address: str) -> str:
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or any(c in address for c in " \r\n<>,;"):
        raise InvalidInput(f"{address[:80]!r} is not an e-mail address")
    return address


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message; EnvironmentProblem when the server refuses or is gone."""
    url = os.environ.get(SMTP_ENV, "").strip()
    if not url:
        raise EnvironmentProblem(f"no mail server: set {SMTP_ENV} to send e-mail")
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise EnvironmentProblem(f"{SMTP_ENV} must be smtp://host[:port] or smtps://host[:port]")
    query = parse_qs(parts.query)
    sender = query.get("from", [f"docflow@{socket.getfqdn()}"])[0]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = check_address(to)
    message["Subject"] = subject
    message.set_content(body)
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    try:
        if parts.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                parts.hostname, port, timeout=_TIMEOUT_S, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(parts.hostname, port, timeout=_TIMEOUT_S)
        with client:
            if query.get("starttls", ["0"])[0] not in ("0", "", "false"):
                client.starttls(context=ssl.create_default_context())
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise EnvironmentProblem(
            f"the mail server {parts.hostname}:{port} did not take the message to {to}: {exc}"
        ) from exc
