"""Scale: ``status`` and ``projects`` on a store of 5,000 projects and 500,000 events vs a
store holding only the one project (SQLite; PostgreSQL too when DOCFLOW_TEST_PG_URL is set)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bench.genstore import fill_store
from bench.report import Check, ratio
from bench.timing import docflow_argv, time_processes

__all__ = ["run"]

TARGET = 1.2


def _pg_databases(admin_url: str) -> tuple[str, str]:
    """Two fresh databases on the test server: (big, one)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(admin_url).set(drivername="postgresql+psycopg")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    names = ("docflow_bench_big", "docflow_bench_one")
    with engine.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    big, one = (base.set(database=n).render_as_string(hide_password=False) for n in names)
    return big, one


def _backend(
    label: str,
    work: Path,
    big_url: str,
    one_url: str | None,
    projects: int,
    events: int,
    runs: int,
) -> tuple[dict[str, Any], list[Check]]:
    from docflow import api

    ws_big = work / f"{label}-big"
    ws_one = work / f"{label}-one"
    api.init(ws_big, example=True, store=big_url, actor="bench")
    api.init(ws_one, example=True, store=one_url, actor="bench")
    filled = fill_store(big_url, projects, events)
    docflow = docflow_argv()
    one_store = ["--store", one_url] if one_url else []
    commands = {
        "status big": [*docflow, "--store", big_url, "-C", str(ws_big), "status", "--json"],
        "status one": [*docflow, *one_store, "-C", str(ws_one), "status", "--json"],
        "projects big": [*docflow, "--store", big_url, "-C", str(ws_big), "projects", "--json"],
        "projects one": [*docflow, *one_store, "-C", str(ws_one), "projects", "--json"],
    }
    samples = time_processes(commands, runs)
    result: dict[str, Any] = {"store": filled}
    result.update({name.replace(" ", "_"): s.to_dict() for name, s in samples.items()})
    checks = []
    for command in ("status", "projects"):
        value = ratio(samples[f"{command} big"].wall, samples[f"{command} one"].wall)
        result[f"{command}_ratio"] = round(value, 3)
        checks.append(
            Check(
                f"scale {label}",
                f"{command}: {filled['projects']} projects / 1",
                value,
                "x",
                f"<= {TARGET}x",
                value <= TARGET,
            )
        )
    return result, checks


def run(work: Path, projects: int, events: int, runs: int) -> tuple[dict[str, Any], list[Check]]:
    """Ratios big store / one-project store for SQLite, and PostgreSQL when configured."""
    work.mkdir(parents=True, exist_ok=True)
    big = f"sqlite:///{(work / 'big.db').resolve()}"
    result: dict[str, Any] = {}
    checks: list[Check] = []
    result["sqlite"], found = _backend("sqlite", work, big, None, projects, events, runs)
    checks += found
    pg = os.environ.get("DOCFLOW_TEST_PG_URL")
    if pg:
        big_pg, one_pg = _pg_databases(pg)
        result["postgresql"], found = _backend(
            "postgresql", work, big_pg, one_pg, projects, events, runs
        )
        checks += found
    else:
        result["postgresql"] = None
    return result, checks
