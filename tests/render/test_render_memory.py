"""Laying out many documents in one process keeps one document's garbage, at any pace."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest

from docflow.render import RenderRequest, render_document


@pytest.fixture
def slow_collector() -> Iterator[None]:
    """The collector paced as the docflow program paces it (every million new objects)."""
    before = gc.get_threshold()
    gc.set_threshold(1_000_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def test_reference_cycles_of_a_layout_are_collected_after_each_document(
    request_for: Callable[..., RenderRequest], slow_collector: None
) -> None:
    """Each in-process layout leaves its boxes in reference cycles; they are collected
    right after, so the young generation holds no more after five documents than after
    one, although the collector itself would not run for a million new objects."""
    request = request_for("zh-CN")
    render_document(request)
    after_one = gc.get_count()[0]
    pdfs = {render_document(request).pdf for _ in range(4)}
    assert len(pdfs) == 1
    assert gc.get_count()[0] <= after_one + 2_000
    assert after_one < 50_000
