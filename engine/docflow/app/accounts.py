"""The dashboard's accounts, login sessions and the rate limits every server process shares.

Passwords are kept as argon2id hashes (argon2-cffi's defaults); a session is a random cookie
whose sha256 the store keeps, so that a copy of the store logs nobody in. Rate limits count
requests per bucket (an address and an endpoint) in fixed time slots in the store itself,
which every ``docflow serve`` process on that store shares.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import time

from docflow.errors import Conflict, InvalidInput
from docflow.runtime.clock import now
from docflow.store.base import Store
from docflow.store.portal import PortalStore
from docflow.store.portal_rows import UserRow, WebSessionRow

__all__ = [
    "MIN_PASSWORD",
    "SESSION_HOURS",
    "add_user",
    "login",
    "logout",
    "rate_limited",
    "session_user",
]

MIN_PASSWORD = 10
SESSION_HOURS = 12
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
# Verifying against this hash when the name is unknown makes both answers take as long.
_DUMMY = (
    "$argon2id$v=19$m=65536,t=3,p=4$Lizfu3pjNgnqnewk5zjtJQ$"
    "Aby3i/Y8+e5Yo6EzBHCNGGGjLA+3RrJHCDuQyg2hbPY"
)


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def add_user(store: Store, name: str, password: str, actor: str) -> str:
    """Create the dashboard account ``name``; its name. A taken name is a Conflict."""
    from argon2 import PasswordHasher

    if not _NAME.match(name):
        raise InvalidInput(
            f"account name {name[:40]!r} must be 1 to 100 letters, digits or . _ @ -"
        )
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password must be at least {MIN_PASSWORD} characters")
    portal = PortalStore(store)
    if portal.user(name) is not None:
        raise Conflict(f"an account named {name!r} exists already")
    portal.add_user(UserRow(name, PasswordHasher().hash(password), actor, now()))
    return name


def login(store: Store, name: str, password: str) -> str | None:
    """A new session cookie for ``name`` when the password is right, else None."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    portal = PortalStore(store)
    user = portal.user(name) if _NAME.match(name) else None
    try:
        PasswordHasher().verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    token = secrets.token_urlsafe(32)
    created = dt.datetime.now(dt.UTC)
    expires = created + dt.timedelta(hours=SESSION_HOURS)
    portal.open_session(
        WebSessionRow(
            _sha(token),
            user.name,
            created.isoformat(timespec="milliseconds"),
            expires.isoformat(timespec="milliseconds"),
        ),
        purge_before=created.isoformat(timespec="milliseconds"),
    )
    return token


def session_user(store: Store, token: str) -> str | None:
    """The account a session cookie belongs to, while the session lasts; else None."""
    if not token or len(token) > 100:
        return None
    row = PortalStore(store).web_session(_sha(token))
    if row is None or dt.datetime.now(dt.UTC) >= dt.datetime.fromisoformat(row.expires_at):
        return None
    return row.user_name


def logout(store: Store, token: str) -> None:
    """End the session of this cookie."""
    if token:
        PortalStore(store).close_session(_sha(token))


def rate_limited(store: Store, bucket: str, limit: int, period_s: int) -> bool:
    """Count one request in ``bucket``; whether it is over ``limit`` in this ``period_s``."""
    moment = int(time.time())
    slot = moment - moment % period_s  # the slot's first second: comparable across periods
    portal = PortalStore(store)
    hits = portal.hit(hashlib.sha256(f"{period_s}:{bucket}".encode()).hexdigest(), slot)
    if hits == 1 and secrets.randbelow(50) == 0:
        portal.purge_counters(moment - 86_400)  # no limit here counts longer than a day
    return hits > limit
