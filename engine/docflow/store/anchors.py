"""Chain heads kept outside the store ("anchors"), and the check of a chain against them.

Whoever can write the store can rewrite its newest events and recompute every hash; only a
head recorded somewhere else shows it. ``docflow export legal`` writes the head into the
bundle's ``manifest.json`` (``"chain": {"seq": N, "head": HASH}``), issued PDFs carry the head
of their moment, and ``docflow verify --anchor SEQ:HASH`` / ``--anchors FILE`` compare the
chain with heads kept that way. An anchor holds when the event at its seq still has its hash:
since every event hashes the one before it, that vouches for the whole chain up to it.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docflow.errors import InvalidInput, Problem
from docflow.store.base import EventRow

__all__ = ["Anchor", "check_anchors", "parse_anchor", "read_anchors"]

_ANCHOR = re.compile(r"(?:docflow-anchor:)?(\d{1,12}):([0-9a-fA-F]{64})")
# A bundle or a file of anchors is small; anything far larger is not one.
_MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Anchor:
    """A chain head recorded elsewhere: event `seq` had hash `hash`; `source` says where."""

    seq: int
    hash: str
    source: str
    project: str | None = None

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash[:12]}…"


def parse_anchor(text: str, source: str = "--anchor") -> Anchor:
    """``SEQ:HASH`` (or ``docflow-anchor:SEQ:HASH``) as an Anchor; InvalidInput otherwise."""
    match = _ANCHOR.fullmatch(text.strip())
    if match is None or int(match.group(1)) < 1:
        raise InvalidInput(
            f"{source}: {text.strip()[:80]!r} is not an anchor (SEQ:HASH, a seq from 1 and "
            "the event's 64-hex-digit hash)"
        )
    return Anchor(int(match.group(1)), match.group(2).lower(), source)


def _from_manifest(data: Any, source: str) -> Anchor:
    chain = data.get("chain") if isinstance(data, dict) else None
    if not isinstance(chain, dict) or "seq" not in chain or "head" not in chain:
        raise InvalidInput(f'{source}: no "chain": {{"seq", "head"}} in this JSON')
    anchor = parse_anchor(f"{chain['seq']}:{chain['head']}", source)
    project = data.get("project")
    code = project.get("code") if isinstance(project, dict) else project
    return Anchor(anchor.seq, anchor.hash, source, code if isinstance(code, str) else None)


def read_anchors(path: Path) -> list[Anchor]:
    """The anchors kept in `path`: a legal bundle (.zip), its manifest.json (or any JSON with
    ``"chain": {"seq", "head"}``), or a text file of ``SEQ:HASH`` lines (``#`` comments)."""
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise InvalidInput(f"{path}: larger than {_MAX_BYTES // 2**20} MB; not anchors")
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    source = str(path)
    if raw.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as bundle:
                raw = bundle.read("manifest.json")
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise InvalidInput(f"{path}: not a legal bundle with a manifest.json ({exc})") from exc
        source = f"{path}:manifest.json"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{source}: not UTF-8 text ({exc.reason})") from exc
    if text.lstrip().startswith("{"):
        try:
            return [_from_manifest(json.loads(text), source)]
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{source}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    anchors = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line:
            anchors.append(parse_anchor(line, f"{source}:{number}"))
    if not anchors:
        raise InvalidInput(f"{source}: holds no anchor (SEQ:HASH lines)")
    return anchors


def check_anchors(
    code: str, events: Iterable[EventRow], anchors: Iterable[Anchor]
) -> list[Problem]:
    """A problem (kind ``anchor_mismatch``) for every anchor the chain no longer matches.

    An anchor of another project is InvalidInput: it cannot vouch for this one.
    """
    by_seq = {event.seq: event for event in events}
    last = max(by_seq, default=0)
    problems = []
    for anchor in anchors:
        if anchor.project is not None and anchor.project != code:
            raise InvalidInput(
                f"{anchor.source}: the anchor is of project {anchor.project}, not {code}"
            )
        event = by_seq.get(anchor.seq)
        if event is None:
            detail = f"the chain ends at seq {last}: events were removed or the chain rebuilt"
        elif event.hash != anchor.hash:
            detail = (
                f"the event at seq {anchor.seq} now has hash {event.hash[:12]}…: the chain was "
                f"rewritten at or before seq {anchor.seq}"
            )
        else:
            continue
        problems.append(
            Problem(
                message=f"project {code}: anchor {anchor} from {anchor.source} does not match; "
                f"{detail}",
                path=f"events[seq={anchor.seq}]",
                kind="anchor_mismatch",
            )
        )
    return problems
