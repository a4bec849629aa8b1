"""The signing portal's tables in the store: links, declines, completion certificates,
accounts, web sessions and rate-limit counters, on both backends.

The same SQL runs on an SQLite file (the standard library's ``sqlite3``) and on PostgreSQL,
through the backend's own read and write transactions (:class:`~docflow.store.reads.StoreReads`
and :class:`~docflow.store.writes.StoreWrites`), so a server process reads and writes them
exactly as every command reads and writes the project tables. Rows that belong to a project's
history (a link made or revoked, a decline, a certificate, a link used by its signature) are
written inside that project's locked write transaction, beside the event that records them;
the server's own rows (accounts, sessions, counters, the first view of a link, one-time
codes) in short transactions of their own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from docflow.errors import Conflict, EnvironmentProblem
from docflow.store.base import Store, WriteTx
from docflow.store.portal_rows import (
    CertificateRow,
    DeclineRow,
    LinkRow,
    UserRow,
    WebSessionRow,
    row_of,
)
from docflow.store.queries import Query
from docflow.store.reads import StoreReads
from docflow.store.tx import SqlWriteTx, insert_row
from docflow.store.writes import StoreWrites

__all__ = ["PortalStore"]

_LINKS = (
    "SELECT links.*, projects.code AS project FROM links "
    "JOIN projects ON projects.id = links.project_id"
)
_PROJECT_ID = "(SELECT id FROM projects WHERE code = :code)"


def _sql_tx(tx: WriteTx) -> SqlWriteTx:
    if not isinstance(tx, SqlWriteTx):
        raise EnvironmentProblem("the portal's rows are written inside a store transaction")
    return tx


class PortalStore:
    """The portal's rows of one store."""

    def __init__(self, store: Store) -> None:
        # A store seen through a wrapper (the records' ObservingStore) is the store beneath it.
        store = getattr(store, "wrapped_store", store)
        if not isinstance(store, StoreReads) or not isinstance(store, StoreWrites):
            raise EnvironmentProblem(f"the store {store.url} has no portal tables")
        self._reads: StoreReads = store
        self._writes: StoreWrites = store

    def _rows(self, sql: str, **params: Any) -> list[Mapping[str, Any]]:
        return self._reads._rows(Query(sql, params))[0]

    def _run(self, sql: str, **params: Any) -> list[Mapping[str, Any]]:
        with self._writes._transaction() as ex:
            return ex.run(sql, params)

    # -- links ----------------------------------------------------------------------------

    def link_by_token(self, token_sha256: str) -> LinkRow | None:
        """The link whose token hashes to ``token_sha256``, or None."""
        rows = self._rows(f"{_LINKS} WHERE links.token_sha256 = :t", t=token_sha256)
        return row_of(LinkRow, rows[0]) if rows else None

    def link(self, link_id: str) -> LinkRow | None:
        """The link ``link_id``, or None."""
        rows = self._rows(f"{_LINKS} WHERE links.link_id = :link_id", link_id=link_id)
        return row_of(LinkRow, rows[0]) if rows else None

    def links(self, code: str) -> list[LinkRow]:
        """Every link of project ``code``, oldest first."""
        sql = f"{_LINKS} WHERE links.project_id = {_PROJECT_ID} ORDER BY links.id"
        return [row_of(LinkRow, r) for r in self._rows(sql, code=code)]

    def mark_viewed(self, link_id: str, at: str) -> None:
        """Record the first time the link's page was opened."""
        self._run(
            "UPDATE links SET viewed_at = :at WHERE link_id = :link_id AND viewed_at IS NULL",
            at=at,
            link_id=link_id,
        )

    def set_code(self, link_id: str, code_sha256: str, expires_at: str) -> None:
        """Keep the hash of a new one-time code for the link; earlier codes stop working."""
        self._run(
            "UPDATE links SET code_sha256 = :sha, code_expires_at = :expires, "
            "code_attempts = 0 WHERE link_id = :link_id",
            sha=code_sha256,
            expires=expires_at,
            link_id=link_id,
        )

    def count_code_attempt(self, link_id: str) -> int:
        """Count one attempt at the link's one-time code; the attempts so far."""
        rows = self._run(
            "UPDATE links SET code_attempts = code_attempts + 1 WHERE link_id = :link_id "
            "RETURNING code_attempts",
            link_id=link_id,
        )
        return int(rows[0]["code_attempts"]) if rows else 0

    @staticmethod
    def insert_link(tx: WriteTx, row: LinkRow) -> None:
        """Record a new link in the project's write transaction."""
        sql = _sql_tx(tx)
        values = dataclasses.asdict(row)
        values.pop("project")
        values["project_id"] = sql._id
        insert_row(sql._ex, "links", values)

    @staticmethod
    def revoke(tx: WriteTx, link_id: str, by: str, at: str) -> bool:
        """Revoke a link that is not revoked or used yet; whether it was."""
        sql = _sql_tx(tx)
        rows = sql._ex.run(
            "UPDATE links SET revoked_at = :at, revoked_by = :by WHERE link_id = :link_id "
            "AND project_id = :project_id AND revoked_at IS NULL AND used_at IS NULL "
            "RETURNING id",
            {"at": at, "by": by, "link_id": link_id, "project_id": sql._id},
        )
        return bool(rows)

    @staticmethod
    def claim(tx: WriteTx, link_id: str, at: str) -> bool:
        """Mark the link used, if it is neither used nor revoked: whether this call did.

        Inside the project's locked transaction, so of two servers using one link at the
        same moment exactly one claims it.
        """
        sql = _sql_tx(tx)
        rows = sql._ex.run(
            "UPDATE links SET used_at = :at WHERE link_id = :link_id "
            "AND project_id = :project_id AND used_at IS NULL AND revoked_at IS NULL "
            "RETURNING id",
            {"at": at, "link_id": link_id, "project_id": sql._id},
        )
        return bool(rows)

    # -- declines and certificates ----------------------------------------------------------

    def declines(self, code: str) -> list[DeclineRow]:
        """Every decline recorded for project ``code``, oldest first."""
        sql = (
            "SELECT declines.*, projects.code AS project FROM declines "
            "JOIN projects ON projects.id = declines.project_id "
            f"WHERE declines.project_id = {_PROJECT_ID} ORDER BY declines.id"
        )
        return [row_of(DeclineRow, r) for r in self._rows(sql, code=code)]

    @staticmethod
    def insert_decline(tx: WriteTx, row: DeclineRow) -> None:
        """Record a decline in the project's write transaction."""
        sql = _sql_tx(tx)
        values = dataclasses.asdict(row)
        values.pop("project")
        values["project_id"] = sql._id
        insert_row(sql._ex, "declines", values)

    def certificates(self, code: str) -> list[CertificateRow]:
        """Every completion certificate of project ``code``, oldest first."""
        sql = (
            "SELECT certificates.*, projects.code AS project FROM certificates "
            "JOIN projects ON projects.id = certificates.project_id "
            f"WHERE certificates.project_id = {_PROJECT_ID} ORDER BY certificates.id"
        )
        return [row_of(CertificateRow, r) for r in self._rows(sql, code=code)]

    @staticmethod
    def insert_certificate(tx: WriteTx, row: CertificateRow) -> None:
        """Record a document version's certificate; a second one is a Conflict."""
        sql = _sql_tx(tx)
        found = sql._ex.run(
            "SELECT id FROM certificates WHERE project_id = :project_id AND doc_id = :doc_id "
            "AND version = :version",
            {"project_id": sql._id, "doc_id": row.doc_id, "version": row.version},
        )
        if found:
            raise Conflict(f"{row.doc_id} v{row.version} has a completion certificate already")
        values = dataclasses.asdict(row)
        values.pop("project")
        values["project_id"] = sql._id
        insert_row(sql._ex, "certificates", values)

    # -- accounts and sessions --------------------------------------------------------------

    def user(self, name: str) -> UserRow | None:
        """The account ``name``, or None."""
        rows = self._rows("SELECT * FROM users WHERE name = :name", name=name)
        return row_of(UserRow, rows[0]) if rows else None

    def add_user(self, row: UserRow) -> None:
        """Create an account; an existing name is a Conflict."""
        with self._writes._transaction() as ex:
            if ex.run("SELECT id FROM users WHERE name = :name", {"name": row.name}):
                raise Conflict(f"an account named {row.name!r} exists already")
            insert_row(ex, "users", dataclasses.asdict(row))

    def set_password(self, name: str, password_hash: str) -> None:
        """Replace an account's password hash and end its sessions."""
        with self._writes._transaction() as ex:
            ex.run(
                "UPDATE users SET password_hash = :hash WHERE name = :name",
                {"hash": password_hash, "name": name},
            )
            ex.run("DELETE FROM web_sessions WHERE user_name = :name", {"name": name})

    def web_session(self, token_sha256: str) -> WebSessionRow | None:
        """The session whose cookie hashes to ``token_sha256``, or None."""
        rows = self._rows("SELECT * FROM web_sessions WHERE token_sha256 = :t", t=token_sha256)
        return row_of(WebSessionRow, rows[0]) if rows else None

    def open_session(self, row: WebSessionRow, purge_before: str) -> None:
        """Record a new session, dropping sessions that expired before ``purge_before``."""
        with self._writes._transaction() as ex:
            ex.run("DELETE FROM web_sessions WHERE expires_at < :t", {"t": purge_before})
            insert_row(ex, "web_sessions", dataclasses.asdict(row))

    def close_session(self, token_sha256: str) -> None:
        """End a session."""
        self._run("DELETE FROM web_sessions WHERE token_sha256 = :t", t=token_sha256)

    # -- rate limits --------------------------------------------------------------------------

    def hit(self, bucket: str, slot: int) -> int:
        """Count one request in ``bucket`` during time slot ``slot``: the requests so far in
        that slot (a new slot starts again from one)."""
        rows = self._run(
            "INSERT INTO rate_limits (bucket, slot, hits) VALUES (:bucket, :slot, 1) "
            "ON CONFLICT (bucket) DO UPDATE SET "
            "hits = CASE WHEN rate_limits.slot = :slot THEN rate_limits.hits + 1 ELSE 1 END, "
            "slot = :slot RETURNING hits",
            bucket=bucket,
            slot=slot,
        )
        return int(rows[0]["hits"])

    def purge_counters(self, before_slot: int) -> None:
        """Forget the counters of slots before ``before_slot``."""
        self._run("DELETE FROM rate_limits WHERE slot < :slot", slot=before_slot)
