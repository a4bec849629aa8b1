"""Render snapshots are versioned and read back tolerantly: a field DocMeta gains later, or
loses, never breaks re-rendering of documents issued before."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import docflow.render
from docflow import api
from docflow.documents.snapshot import SNAPSHOT_VERSION, dump_snapshot, load_snapshot
from docflow.errors import IntegrityFailure
from docflow.render import DocMeta

META = DocMeta(
    id="RM-1",
    code="RM",
    template="requirement_memo",
    title="Requirement memo",
    number="P/RM-1",
    version=1,
    annex=1,
    issued_on=dt.date(2026, 4, 1),
    signers=("client", "vendor"),
    locale="en",
    project_code="P",
    project_name="Project",
    contract_number="C-1",
    anchor_seq=3,
    anchor_hash="0" * 64,
)


def _stored(**changes: object) -> bytes:
    body = json.loads(dump_snapshot(META, "h" * 64, "t" * 64, {"p": {}}))
    body["meta"].update(changes)
    return json.dumps(body).encode()


def test_a_snapshot_is_versioned_and_reads_back() -> None:
    blob = dump_snapshot(META, "h" * 64, "t" * 64, {"p": {"x": 1}})
    assert json.loads(blob)["v"] == SNAPSHOT_VERSION
    stored = load_snapshot(blob)
    assert (stored.version, stored.meta, stored.html_sha256) == (1, META, "h" * 64)
    assert stored.context == {"p": {"x": 1}}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"watermark": "draft"}, META),
        ({"subject": "change:CR-1"}, dataclasses.replace(META, subject="change:CR-1")),
    ],
    ids=["unknown-field-ignored", "optional-field-read"],
)
def test_fields_added_later_are_tolerated(changes: dict[str, object], expected: DocMeta) -> None:
    assert load_snapshot(_stored(**changes)).meta == expected


def test_snapshots_before_versions_read_as_version_0() -> None:
    body = json.loads(_stored())
    del body["v"]
    del body["meta"]["subject"]
    stored = load_snapshot(json.dumps(body).encode())
    assert stored.version == 0 and stored.meta == META


def test_a_snapshot_missing_a_required_field_is_an_integrity_failure() -> None:
    body = json.loads(_stored())
    del body["meta"]["title"]
    with pytest.raises(IntegrityFailure, match="lacks title"):
        load_snapshot(json.dumps(body).encode())


def _added_later() -> type:
    """DocMeta as a later version might define it: one field more, with a default."""
    field = ("watermark", str, dataclasses.field(default=""))
    return dataclasses.make_dataclass("DocMeta", [field], bases=(DocMeta,), frozen=True)


def test_render_of_issued_documents_survives_a_field_added_later(
    example_workspace: Path,
    drive_to: Callable[[Path, str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drive_to(example_workspace, "survey.memo_issued")
    monkeypatch.setattr(docflow.render, "DocMeta", _added_later())
    report = api.Project.open(example_workspace, actor="t").render()
    assert report.failed == () and report.rerendered == ()
    assert set(report.unchanged) == {"SP-1", "RM-1"}
