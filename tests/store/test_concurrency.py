"""Many processes writing one project at once: numbers stay gapless, stale writes conflict.

Each worker process opens its own store on the same URL, waits at a barrier so that all of
them start together, and then does what a docflow command does: read the project, write
against the version it read, and run again on Conflict.
"""

from __future__ import annotations

import multiprocessing
import time
from typing import Any

import pytest

from docflow.errors import ProjectChanged
from docflow.store import ProjectRow, Store, open_store

WORKERS = 30
# fork: the workers need nothing but their arguments, and starting 30 fresh interpreters
# would cost seconds of CPU per test.
_mp = multiprocessing.get_context("fork")


def _take_number(url: str, code: str, barrier: Any, results: Any) -> None:
    store = open_store(url, None)
    try:
        barrier.wait(timeout=60)
        for _attempt in range(500):
            project = store.get_project(code)
            assert project is not None
            try:
                with store.write(code, project.version) as tx:
                    number = tx.next_number("CR")
                    tx.append_event("change.requested", "worker", {"number": number})
            except ProjectChanged:
                continue
            results.put(number)
            return
        results.put(-1)
    finally:
        store.close()


def _take_number_queued(url: str, code: str, barrier: Any, results: Any) -> None:
    store = open_store(url, None)
    try:
        barrier.wait(timeout=60)
        with store.write(code, None) as tx:
            number = tx.next_number("CR")
            tx.append_event("change.requested", "worker", {"number": number})
        results.put(number)
    finally:
        store.close()


def _write_once(url: str, code: str, version: int, barrier: Any, results: Any) -> None:
    store = open_store(url, None)
    try:
        barrier.wait(timeout=60)
        try:
            with store.write(code, version) as tx:
                tx.append_event("transition", "worker", {})
                time.sleep(0.3)  # hold the lock while the other process tries
        except ProjectChanged as exc:
            results.put(("conflict", exc.message))
        else:
            results.put(("ok", ""))
    finally:
        store.close()


def _ensure_schema(url: str, barrier: Any, results: Any) -> None:
    store = open_store(url, None)
    try:
        barrier.wait(timeout=60)
        store.ensure_schema(create=True)
        results.put(store.count_projects())
    finally:
        store.close()


def _server_pid(store: Any) -> int | None:
    if not store.url.startswith("postgresql"):
        return None
    engine = store._engine
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def _use_inherited_store(store: Store, code: str, barrier: Any, results: Any) -> None:
    barrier.wait(timeout=60)
    project = store.get_project(code)
    assert project is not None
    with store.write(code, project.version) as tx:
        number = tx.next_number("CR")
        tx.append_event("change.requested", "child", {"number": number})
    results.put((number, _server_pid(store)))


def _run(target: Any, count: int, *args: Any) -> list[Any]:
    barrier = _mp.Barrier(count)
    results = _mp.Queue()
    workers = [_mp.Process(target=target, args=(*args, barrier, results)) for _ in range(count)]
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert [w.exitcode for w in workers] == [0] * count
    return collected


@pytest.mark.parametrize(
    "worker",
    [
        pytest.param(_take_number, id="check-version-and-retry"),
        pytest.param(_take_number_queued, id="queue-on-the-lock"),
    ],
)
def test_next_number_is_gapless_under_concurrent_processes(
    store: Store, project: ProjectRow, worker: Any
) -> None:
    numbers = _run(worker, WORKERS, store.url, project.code)
    assert sorted(numbers) == list(range(1, WORKERS + 1))
    after = store.get_project(project.code)
    assert after is not None
    assert after.version == 1 + WORKERS
    assert after.head_seq == 1 + WORKERS
    assert store.verify_chain(project.code) == []


def test_two_writers_with_the_same_version_one_conflicts(store: Store, project: ProjectRow) -> None:
    outcomes = sorted(_run(_write_once, 2, store.url, project.code, project.version))
    assert [kind for kind, _ in outcomes] == ["conflict", "ok"]
    assert "changed while this command ran (version 2, expected 1)" in outcomes[0][1]
    after = store.get_project(project.code)
    assert after is not None
    assert (after.version, after.head_seq) == (2, 2)


def test_first_commands_on_a_fresh_store_create_the_schema_once(store_url: str) -> None:
    assert _run(_ensure_schema, 6, store_url) == [0] * 6
    store = open_store(store_url, None)
    try:
        store.ensure_schema()
    finally:
        store.close()


def test_a_forked_child_uses_its_own_connections(store: Store, project: ProjectRow) -> None:
    parent_pid = _server_pid(store)  # the parent's pool now holds an open connection
    ((number, child_pid),) = _run(_use_inherited_store, 1, store, project.code)
    assert number == 1
    if parent_pid is not None:
        assert child_pid != parent_pid
    assert _server_pid(store) == parent_pid
    after = store.get_project(project.code)
    assert after is not None
    assert after.version == 2
