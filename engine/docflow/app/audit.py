"""The audit trail of a project: its hash-chained events, oldest first, filtered on demand.

Each event says who acted, when and what; :func:`describe` turns it into one line a PM can
read (the party, signer, method and document of a signature, the step and its documents, the
change request and what it did). Filters: the events about one document, since a date, of a
type (a prefix: ``change`` matches every ``change.*``), and the last N.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from docflow.runtime.lang import say
from docflow.runtime.result import Result
from docflow.runtime.session import Session

__all__ = ["LogEvent", "LogQuery", "describe", "events", "mentions"]


@dataclass(frozen=True)
class LogEvent(Result):
    """One event of the audit trail: who did what when, chained to the event before."""

    seq: int
    at: str
    actor: str
    type: str
    data: Mapping[str, Any]
    hash: str
    prev_hash: str
    summary: str = ""  # the event in one line, in the project's locale


@dataclass(frozen=True)
class LogQuery:
    """Which events to show: about ``document``, at or after ``since`` (a local date), whose
    type starts with ``type``, the last ``limit`` of them."""

    document: str | None = None
    since: dt.date | None = None
    type: str | None = None
    limit: int | None = None


def _documents_in(data: Mapping[str, Any]) -> Iterator[str]:
    for key in ("document", "voided", "superseded"):
        value = data.get(key)
        if isinstance(value, str):
            yield value
    for entry in data.get("documents") or ():
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
            yield entry["id"]
        elif isinstance(entry, str):
            yield entry


def mentions(data: Mapping[str, Any], doc_id: str) -> bool:
    """True when an event's data is about document ``doc_id`` (any version)."""
    return doc_id in set(_documents_in(data))


def _since(at: str, day: dt.date) -> bool:
    """True when the UTC time ``at`` is on or after local midnight of ``day``."""
    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    midnight = dt.datetime.combine(day, dt.time()).astimezone()
    return moment >= midnight


_CHANGE_ZH = {
    "requested": "提交",
    "edited": "修改",
    "form_issued": "出具变更申请单",
    "approved": "批准",
    "rejected": "拒绝",
    "withdrawn": "撤回",
    "effective": "生效",
}


def describe(type_: str, data: Mapping[str, Any], locale: str) -> str:
    """One readable line for an event, in the project's locale."""
    d = data
    party = {
        "client": say(locale, "甲方", "the client"),
        "vendor": say(locale, "乙方", "the vendor"),
    }
    method = {
        "recorded": say(locale, "登记签字", "recorded"),
        "scan": say(locale, "扫描件", "scan"),
        "digital": say(locale, "数字签名", "digital signature"),
    }
    if type_ == "signature":
        who = party.get(str(d.get("party")), str(d.get("party")))
        how = method.get(str(d.get("method")), str(d.get("method")))
        return say(
            locale,
            f"{d.get('document')} v{d.get('version')}：{who}由 {d.get('signer')} 签署"
            f"（{how}，{d.get('signed_on')}）",
            f"{d.get('document')} v{d.get('version')} signed for {who} by {d.get('signer')} "
            f"({how}, {d.get('signed_on')})",
        )
    if type_ == "step":
        docs = ", ".join(f"{e.get('id')} v{e.get('version')}" for e in d.get("documents") or ())
        issued = say(locale, f"，出具 {docs}", f", issued {docs}") if docs else ""
        return f"{d.get('trigger')}: {d.get('from')} -> {d.get('to')}{issued}"
    if type_.startswith("change."):
        what = type_.split(".", 1)[1]
        if locale.lower().startswith("zh"):
            what = _CHANGE_ZH.get(what, what)
        extra = ""
        if d.get("document"):
            extra = f" -> {d['document']}"
        if d.get("fields"):
            extra = say(
                locale, f"（修改：{'、'.join(d['fields'])}）", f" ({', '.join(d['fields'])})"
            )
        title = f" {d['title']}" if d.get("title") else ""
        return f"{d.get('change')} {what}{title}{extra}"
    if type_ == "project.created":
        return say(
            locale, f"项目创建（{d.get('workflow')}）", f"project created ({d.get('workflow')})"
        )
    if type_ == "workflow.upgraded":
        return f"{d.get('from')} -> {d.get('to')}"
    named = list(_documents_in(d))
    if named:
        version = f" v{d['version']}" if d.get("version") else ""
        return ", ".join(named) + version
    return ""


def events(session: Session, query: LogQuery | None = None) -> tuple[LogEvent, ...]:
    """The project's events matching ``query`` (every one without), oldest first."""
    from docflow.spec.names import doc_id

    query = query or LogQuery()
    wanted = doc_id(query.document) if query.document else None
    found = []
    for e in session.store.events(session.code):
        if query.type and not e.type.startswith(query.type):
            continue
        if wanted and not mentions(e.data, wanted):
            continue
        if query.since and not _since(e.at, query.since):
            continue
        found.append(
            LogEvent(
                e.seq,
                e.at,
                e.actor,
                e.type,
                e.data,
                e.hash,
                e.prev_hash,
                describe(e.type, e.data, session.locale),
            )
        )
    if query.limit is not None:
        found = found[-query.limit :] if query.limit > 0 else []
    return tuple(found)
