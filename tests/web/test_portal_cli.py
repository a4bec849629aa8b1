"""`docflow share`, `share --revoke`, `links` and `user add` through the real command."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from portal_helpers import PortalCase, store_dump

SHARE_KEYS = {"url", "link_id", "document", "party", "expires"}


def test_share_links_and_revoke(docflow: Callable, case: PortalCase) -> None:
    made = docflow(
        "share",
        "RM-1",
        "--party",
        "vendor",
        "--expires-days",
        "3",
        "--json",
        cwd=case.ws,
        env={"DOCFLOW_BASE_URL": "https://sign.example.com/portal"},
    )
    assert made.code == 0, made.err
    link = made.json()
    assert set(link) >= SHARE_KEYS
    assert link["url"].startswith("https://sign.example.com/portal/s/")
    assert (link["document"], link["party"], link["state"]) == ("RM-1", "vendor", "open")
    token = link["url"].rsplit("/", 1)[-1]
    db = (case.ws / ".docflow" / "docflow.db").read_bytes()
    assert token.encode() not in db  # only its hash is kept
    listed = docflow("links", "--json", cwd=case.ws).json()
    assert [(r["link_id"], r["state"], r["url"]) for r in listed] == [
        (link["link_id"], "open", None)
    ]
    revoked = docflow("share", "--revoke", link["link_id"], "--json", cwd=case.ws)
    assert revoked.code == 0 and revoked.json()["state"] == "revoked"
    again = docflow("share", "--revoke", link["link_id"], cwd=case.ws)
    assert again.code == 5 and "已撤销" in again.err  # the project's language
    human = docflow("links", cwd=case.ws)
    assert "revoked" in human.out
    log = docflow("log", "--json", cwd=case.ws).json()
    assert [e["type"] for e in log][-2:] == ["link.created", "link.revoked"]
    assert token not in str(log)


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        pytest.param(["RM-9", "--party", "client"], 4, "中没有文件 RM-9", id="unknown-doc"),
        pytest.param(
            ["SP-1", "--party", "client"], 5, "SP-1 v1 已签署，不能再发签署链接", id="signed-doc"
        ),
        pytest.param(["RM-1"], 2, "请指定文件和签署方", id="no-party"),
        pytest.param(
            ["RM-1", "--party", "client", "--expires-days", "0"], 4, "1 至 365 天", id="zero-days"
        ),
        pytest.param(
            ["RM-1", "--party", "client", "--email", "not-an-address"],
            4,
            "not an e-mail address",
            id="bad-email",
        ),
        pytest.param(["--revoke", "nope"], 4, "中没有签署链接", id="unknown-link"),
        pytest.param(
            ["RM-1", "--party", "client", "--base-url", "ftp://x"], 4, "http(s)", id="bad-base-url"
        ),
    ],
)
def test_share_refuses_bad_requests(docflow, case: PortalCase, args, code, says) -> None:
    before = store_dump(case.ws)
    answer = docflow("share", *args, cwd=case.ws)
    assert answer.code == code and says in answer.err
    assert store_dump(case.ws) == before


def test_user_add_reads_the_password_twice_or_from_stdin(docflow, case: PortalCase) -> None:
    first = docflow("user", "add", "pm", cwd=case.ws, input="a long password\na long password\n")
    assert first.code == 0, first.err
    mismatch = docflow("user", "add", "other", cwd=case.ws, input="a long password\nanother one\n")
    assert mismatch.code != 0
    piped = docflow("user", "add", "ops", "--password-stdin", cwd=case.ws, input="x" * 12 + "\n")
    assert piped.code == 0
    taken = docflow("user", "add", "pm", "--password-stdin", cwd=case.ws, input="x" * 12 + "\n")
    assert taken.code == 5 and "exists already" in taken.err
    short = docflow("user", "add", "new", "--password-stdin", cwd=case.ws, input="short\n")
    assert short.code == 4
    assert case.portal.login("pm", "a long password") is not None


def test_share_refusals_are_english_in_json_and_under_lang_en(docflow, case: PortalCase) -> None:
    """The zh-CN project's refusal is Chinese for people, English in JSON (as JSON has
    always carried it) and English under ``--lang en``."""
    people = docflow("share", "SP-1", "--party", "client", cwd=case.ws)
    machine = docflow("share", "SP-1", "--party", "client", "--json", cwd=case.ws)
    chosen = docflow("--lang", "en", "share", "SP-1", "--party", "client", cwd=case.ws)
    assert people.code == machine.code == chosen.code == 5
    assert "不能再发签署链接" in people.err
    english = "SP-1 v1 is signed; it takes no signing link"
    assert english in machine.json()["message"] and english in chosen.err
