"""More than one machine: two `docflow serve` processes on one PostgreSQL store serve the same
link, and a link used on both at the same moment gives exactly one signature."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from portal_helpers import SEAL_PASSWORD, csrf_of, sign_form

import pki_support

PG_ENV = "DOCFLOW_TEST_PG_URL"
pytestmark = pytest.mark.postgres


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def pg_store() -> Iterator[str]:
    """A private schema of the test PostgreSQL server, dropped afterwards."""
    import psycopg

    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (start a server with scripts/pg_test_server.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env.update({"DOCFLOW_ACTOR": "tester", "DOCFLOW_DATABASE_URL": url})
    return env


def _serve(url: str, p12: Path, password: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "docflow",
                "serve",
                "--port",
                str(port),
                "--seal-p12",
                str(p12),
                "--seal-password-file",
                str(password),
            ],
            cwd=log.parent,
            env=_env(url),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return proc, f"http://127.0.0.1:{port}"


# Run in a process of its own, so that its store connections end with it.
_PREPARE = """
import sys
from docflow import api
from docflow.app.demo import walk
ws, url = sys.argv[1], sys.argv[2]
api.init(ws, example=True, store=url, actor="tester")
walk(api.Workspace.find(__import__("pathlib").Path(ws)), store_url=url,
     actor="tester", say=lambda _m: None, until="survey.memo_issued")
print(api.Project.open(ws, store=url, actor="pm").share("RM-1", "client").url)
"""


def _docflow(url: str, ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docflow", *args],
        cwd=ws,
        env=_env(url),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    import httpx2

    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx2.get(f"{base}/healthz", timeout=30).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, "docflow serve did not start"
        time.sleep(0.5)


def test_one_link_used_on_two_servers_at_once_signs_once(
    pg_store: str, tmp_path: Path, seal_pki: pki_support.Pki
) -> None:
    import httpx2

    ws = tmp_path / "ws"
    made = subprocess.run(
        [sys.executable, "-c", _PREPARE, str(ws), pg_store],
        env=_env(pg_store),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().rsplit("/", 1)[-1]
    p12, password = tmp_path / "seal.p12", tmp_path / "password.txt"
    p12.write_bytes(seal_pki.vendor_p12)
    password.write_bytes(SEAL_PASSWORD)
    servers = [_serve(pg_store, p12, password, tmp_path / f"serve-{i}.log") for i in (1, 2)]
    try:
        for proc, base in servers:
            _ready(base, proc)
        clients = [httpx2.Client(base_url=base, timeout=300) for _, base in servers]
        forms = [sign_form(csrf_of(c.get(f"/s/{token}").text)) for c in clients]
        barrier = threading.Barrier(2)
        codes: list[int] = []

        def post(index: int) -> None:
            barrier.wait()
            codes.append(clients[index].post(f"/s/{token}/sign", data=forms[index]).status_code)

        threads = [threading.Thread(target=post, args=(i,)) for i in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        assert sorted(codes) == [200, 410]
        for client in clients:
            assert client.get(f"/s/{token}").status_code == 410
            client.close()
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait(timeout=30)
    status = json.loads(_docflow(pg_store, ws, "status", "--json").stdout)
    rm = next(d for d in status["documents"] if d["id"] == "RM-1")
    assert [(s["party"], s["method"]) for s in rm["signatures"]] == [("client", "portal")]
    log = json.loads(_docflow(pg_store, ws, "log", "--json").stdout)
    assert [e["type"] for e in log].count("signature") == 2  # SP-1's, and this one
    assert _docflow(pg_store, ws, "verify").returncode == 0
