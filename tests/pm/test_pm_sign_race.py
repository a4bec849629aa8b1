"""A signature that loses its race to another command's write, through the library API (whose
first operation uses the project as it was read when opened): checked again on the project as
it is now, it is recorded when it still holds and refused for what changed when it does not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docflow import api
from docflow.app.signing import SignRequest
from docflow.errors import Conflict, ProjectChanged

Docflow = Callable[..., Any]


def _change(docflow: Docflow, ws: Path, title: str) -> None:
    r = docflow(
        "change",
        "new",
        *("--title", title, "--reason", "client asked"),
        *("--adds", f"{title} interface", "--description", f"Exchange orders with {title}"),
        cwd=ws,
    )
    assert r.code == 0, r.err


@pytest.fixture
def annex(confirmed_copy: Path, docflow: Docflow) -> Path:
    """The example project at survey.confirmed with change annex CA-1 awaiting both parties."""
    _change(docflow, confirmed_copy, "LIS")
    r = docflow("change", "approve", "CR-1", "--json", cwd=confirmed_copy)
    assert r.code == 0, r.err
    assert r.json()["document"]["id"] == "CA-1"
    return confirmed_copy


def test_a_signature_after_an_unrelated_write_is_recorded(annex: Path, docflow: Docflow) -> None:
    project = api.Project.open(annex, actor="tester")
    before = docflow("status", "--json", cwd=annex).json()["version"]
    _change(docflow, annex, "PACS")  # written after the project was read
    assert docflow("status", "--json", cwd=annex).json()["version"] == before + 1

    signed = project.sign(SignRequest("CA-1", "client", "Client"))

    assert signed.document.awaiting == ("vendor",)
    log = docflow("log", "--json", cwd=annex).json()
    assert [e["type"] for e in log][-2:] == ["change.requested", "signature"]
    assert docflow("verify", cwd=annex).code == 0


def test_a_signature_the_other_write_made_wrong_is_refused_for_it(
    annex: Path, docflow: Docflow
) -> None:
    project = api.Project.open(annex, actor="tester")
    r = docflow("sign", "CA-1", "--party", "client", "--signer", "Client", cwd=annex)
    assert r.code == 0, r.err
    before = docflow("log", "--json", cwd=annex).json()

    # The example speaks zh-CN: the API says why in the project's language.
    with pytest.raises(Conflict, match="甲方已签署 CA-1") as refused:
        project.sign(SignRequest("CA-1", "client", "Someone else"))

    assert not isinstance(refused.value, ProjectChanged)
    assert docflow("log", "--json", cwd=annex).json() == before
