"""One store shared by several workspaces: project codes are unique, ``docflow projects`` lists
the whole register page by page (SQLite file or PostgreSQL named with --store or
DOCFLOW_DATABASE_URL)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from reliability_helpers import Project, clean_env, docflow_argv, finish


def _spawn(cwd: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Start ``docflow ARGS`` in ``cwd`` (no project of its own)."""
    return subprocess.Popen(
        docflow_argv(*args),
        cwd=cwd,
        env=clean_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_second_workspace_with_the_same_code_is_refused(
    shared_store_url: str, backend: str, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    second = tmp_path / "second"
    [made] = finish(
        [
            _spawn(
                tmp_path, {}, "--store", shared_store_url, "init", str(first), "--example", "--json"
            )
        ]
    )
    assert made.code == 0, made.err
    code = made.json()["project"]

    [refused] = finish(
        [
            _spawn(
                tmp_path,
                {},
                "--store",
                shared_store_url,
                "init",
                str(second),
                "--example",
                "--json",
            )
        ]
    )

    assert refused.code == 5, refused.err
    assert refused.json()["error"] == "conflict"
    assert code in refused.err and "already" in refused.err, refused.err
    assert not (second / "project.yaml").exists()
    p = Project(first.resolve(), backend, shared_store_url)
    register = p.ok("projects")
    assert [r["code"] for r in register["projects"]] == [code]
    assert register["projects"][0]["workspace"] == str(first.resolve())
    assert p.ok("status")["state"] == "contract.drafting"

    # A copy of the live workspace is the same project in a second place: refused as well.
    shutil.copytree(first, second, dirs_exist_ok=True)
    copy = Project(second.resolve(), backend, shared_store_url)
    used = copy.run("advance", "--json")
    assert used.code == 5 and str(first.resolve()) in used.err, used.err
    assert p.ok("status")["state"] == "contract.drafting"


def test_projects_lists_the_register_page_by_page(
    shared_store_url: str, backend: str, tmp_path: Path
) -> None:
    names = ["alpha-01", "bravo-02", "charlie-03", "delta-04"]
    env = {"DOCFLOW_DATABASE_URL": shared_store_url}
    runs = finish(
        [_spawn(tmp_path, env, "init", str(tmp_path / n), "--json") for n in names]
        + [_spawn(tmp_path, env, "init", str(tmp_path / "his"), "--example", "--json")]
    )
    assert [r.code for r in runs] == [0] * 5, [r.err for r in runs]
    codes = sorted(r.json()["project"] for r in runs)
    his = Project((tmp_path / "his").resolve(), backend, shared_store_url)
    assert his.ok("advance", "sign_contract")["to"] == "contract.signed"

    outside = Project(tmp_path, backend, shared_store_url)  # not a workspace: the store only
    pages = [outside.ok("projects", "--limit", "2", "--page", str(n)) for n in (1, 2, 3, 4)]

    assert [pg["total"] for pg in pages] == [5] * 4
    assert [pg["offset"] for pg in pages] == [0, 2, 4, 6]
    listed = [[r["code"] for r in pg["projects"]] for pg in pages]
    assert [len(x) for x in listed] == [2, 2, 1, 0]
    assert [c for page in listed for c in page] == codes
    rows = {r["code"]: r for pg in pages for r in pg["projects"]}
    signed = rows[his.ok("status")["project"]["code"]]
    assert (signed["state"], signed["phase"]) == ("contract.signed", "contract")
    assert signed["signatures_awaited"] == 0 and signed["change_ratio"] is None
    assert {rows[c]["state"] for c in codes if c != signed["code"]} == {"contract.drafting"}
    assert {Path(r["workspace"]).name for r in rows.values()} == {*names, "his"}

    # The same register through --store, from inside one of the workspaces.
    inside = finish(
        [
            _spawn(
                tmp_path / "alpha-01",
                {},
                "--store",
                shared_store_url,
                "projects",
                "--limit",
                "50",
                "--json",
            )
        ]
    )[0]
    assert inside.code == 0, inside.err
    assert [r["code"] for r in inside.json()["projects"]] == codes
