"""The signing portal under load: a real `docflow serve` on this machine.

- Signing-page latency: ``clients`` concurrent clients fetch a signing page (``/s/TOKEN``:
  the link looked up by its hash, the project read from the store, the page rendered, a
  rate-limit counter written) and, in the same run against the same server, a static file
  (``/static/portal.css``); p50 and p95 of each and the ratio of the page's to the file's.
- Sign submissions: complete portal signatures (form posted, drawing sealed into the PDF with
  PAdES, verified, recorded; the certificate made after each document's last signature),
  ``parallel`` at a time, per second of wall time.

The store is one SQLite file holding ``projects`` copies of the example project, each with
its requirement memo awaiting both parties (two signatures per project).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.report import Check, ratio
from bench.timing import BenchFailure

__all__ = ["run"]

_STROKES = json.dumps([[100, 300, 180, 120, 260, 300, 340, 110, 420, 310], [520, 200, 900, 220]])


def _seal(folder: Path) -> tuple[Path, Path]:
    """A self-signed PKCS#12 seal and its password file."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "docflow bench seal")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    p12 = folder / "seal.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"seal", key, cert, None, BestAvailableEncryption(b"bench")
        )
    )
    password = folder / "seal-password.txt"
    password.write_bytes(b"bench")
    return p12, password


def _projects(work: Path, count: int, store: str) -> list[tuple[Path, str]]:
    """``count`` example projects in one store, each with RM-1 awaiting both parties."""
    from docflow import api
    from docflow.app.demo import walk

    made = []
    for index in range(count):
        folder = work / f"p{index}"
        api.init(folder, example=True, code=f"BENCH-{index}", store=store, actor="bench")
        walk(
            api.Workspace(folder),
            store_url=store,
            actor="bench",
            say=lambda _m: None,
            until="survey.memo_issued",
        )
        made.append((folder, store))
    return made


def _share(folder: Path, store: str, party: str, base: str) -> str:
    from docflow import api

    link = api.Project.open(folder, store=store, actor="bench").share("RM-1", party, base_url=base)
    assert link.url is not None
    return link.url.rsplit("/", 1)[-1]


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(store: str, seal: tuple[Path, Path], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    import httpx2

    port = _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env["DOCFLOW_DATABASE_URL"] = store
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
                str(seal[0]),
                "--seal-password-file",
                str(seal[1]),
                "--link-rate",
                "100000",
            ],
            cwd=log.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"{base}/healthz", timeout=30).status_code == 200:
                return proc, base
        except httpx2.TransportError:
            time.sleep(0.5)
        if proc.poll() is not None:
            break
    proc.terminate()
    raise BenchFailure(f"docflow serve did not start: {log.read_text()[-500:]}")


async def _latencies(base: str, path: str, clients: int, per_client: int) -> list[float]:
    """Seconds per request of ``clients`` concurrent clients each asking ``per_client`` times."""
    import httpx2

    found: list[float] = []

    async def one(client: Any) -> None:
        for _ in range(per_client):
            start = time.perf_counter()
            answer = await client.get(path)
            found.append(time.perf_counter() - start)
            if answer.status_code != 200:
                raise BenchFailure(f"GET {path[:12]}… answered {answer.status_code}")

    limits = httpx2.Limits(max_connections=clients)
    async with httpx2.AsyncClient(base_url=base, timeout=300, limits=limits) as client:
        await client.get(path)  # warm: imports, the page images' first rendering
        await asyncio.gather(*(one(client) for _ in range(clients)))
    return found


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _sign_all(base: str, tokens: list[str], parallel: int) -> float:
    """Post a complete signature through every token, ``parallel`` at a time; wall seconds."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx2

    def sign(token: str) -> None:
        with httpx2.Client(base_url=base, timeout=600) as client:
            page = client.get(f"/s/{token}")
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
            if csrf is None:
                raise BenchFailure(f"the signing page answered {page.status_code}")
            done = client.post(
                f"/s/{token}/sign",
                data={
                    "csrf": csrf.group(1),
                    "signer": "Bench Signer",
                    "drawing": _STROKES,
                    "consent": "yes",
                },
            )
            if done.status_code != 200:
                raise BenchFailure(f"a signature was refused ({done.status_code})")

    start = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(sign, tokens))
    return time.perf_counter() - start


def run(
    work: Path,
    clients: int,
    per_client: int,
    projects: int,
    parallel: int = 2,
    most_signatures: int | None = None,
) -> tuple[dict[str, Any], list[Check]]:
    """Measure the portal (at most ``most_signatures`` signatures); results and checks."""
    work.mkdir(parents=True, exist_ok=True)
    store = f"sqlite:///{work / 'portal.db'}"
    made = _projects(work, projects, store)
    seal = _seal(work)
    proc, base = _start(store, seal, work / "serve.log")
    try:
        page_token = _share(made[0][0], store, "client", base)
        static = asyncio.run(_latencies(base, "/static/portal.css", clients, per_client))
        page = asyncio.run(_latencies(base, f"/s/{page_token}", clients, per_client))
        # The page's link was only viewed; it signs too, with all the others.
        tokens = [page_token, _share(made[0][0], store, "vendor", base)]
        tokens += [_share(f, s, p, base) for f, s in made[1:] for p in ("client", "vendor")]
        tokens = tokens[:most_signatures] if most_signatures else tokens
        seconds = _sign_all(base, tokens, parallel)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    figures = {
        "clients": clients,
        "requests": clients * per_client,
        "page_p50_ms": _pct(page, 0.5) * 1000,
        "page_p95_ms": _pct(page, 0.95) * 1000,
        "static_p50_ms": _pct(static, 0.5) * 1000,
        "static_p95_ms": _pct(static, 0.95) * 1000,
        "page_mean_ms": statistics.fmean(page) * 1000,
        "signatures": len(tokens),
        "parallel": parallel,
        "sign_seconds": seconds,
        "signatures_per_s": len(tokens) / seconds,
    }
    figures["p50_ratio"] = ratio(figures["page_p50_ms"], figures["static_p50_ms"])
    figures["p95_ratio"] = ratio(figures["page_p95_ms"], figures["static_p95_ms"])
    checks = [
        Check(
            "portal",
            f"signing page p50 / static file p50 ({clients} clients)",
            figures["p50_ratio"],
            "x",
            "",
            None,
        ),
        Check(
            "portal",
            f"signing page p95 / static file p95 ({clients} clients)",
            figures["p95_ratio"],
            "x",
            "",
            None,
        ),
        Check(
            "portal",
            f"signing page p50 ({figures['requests']} requests)",
            figures["page_p50_ms"],
            "ms",
            "",
            None,
        ),
        Check(
            "portal",
            f"portal signatures per second ({parallel} at a time)",
            figures["signatures_per_s"],
            "/s",
            "",
            None,
        ),
    ]
    return figures, checks
