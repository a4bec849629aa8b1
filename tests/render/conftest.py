"""Fixtures of the render tests (helpers live in render_helpers.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from render_helpers import make_request

from docflow.render import RenderRequest


@pytest.fixture
def request_for() -> Callable[..., RenderRequest]:
    """Build a render request: ``request_for("en", p=..., template=...)``."""
    return make_request
