"""What a front end needs beside a project: reading what people type (amounts, parties), the
words of docflow's messages and the language they are printed in, the status memo, the job
queue and the web server.

The command line takes these from here, never from the packages beneath, so that the layers
below ``docflow.api`` may move without it. Importing this module is cheap: each name loads
its module when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docflow.app import memo as memo
    from docflow.changes.amounts import AMOUNT_HELP as AMOUNT_HELP
    from docflow.changes.amounts import parse_amount as parse_amount
    from docflow.queue import enqueue_renders as enqueue_renders
    from docflow.queue import job_progress as job_progress
    from docflow.queue import run_worker as run_worker
    from docflow.runtime.lang import chosen_locale as chosen_locale
    from docflow.runtime.lang import message_locale as message_locale
    from docflow.runtime.lang import say as say
    from docflow.runtime.lang import set_message_locale as set_message_locale
    from docflow.runtime.lang import sniff_locale as sniff_locale
    from docflow.runtime.lang import user_locale as user_locale
    from docflow.runtime.messages import tr as tr
    from docflow.runtime.messages import word as word
    from docflow.runtime.session import default_actor as default_actor
    from docflow.spec.names import party as party
    from docflow.store.urls import default_url as default_url
    from docflow.web.app import ServeConfig as ServeConfig

_WHERE: dict[str, tuple[str, str]] = {
    "AMOUNT_HELP": ("docflow.changes.amounts", "AMOUNT_HELP"),
    "parse_amount": ("docflow.changes.amounts", "parse_amount"),
    "party": ("docflow.spec.names", "party"),
    "say": ("docflow.runtime.lang", "say"),
    "chosen_locale": ("docflow.runtime.lang", "chosen_locale"),
    "message_locale": ("docflow.runtime.lang", "message_locale"),
    "set_message_locale": ("docflow.runtime.lang", "set_message_locale"),
    "sniff_locale": ("docflow.runtime.lang", "sniff_locale"),
    "user_locale": ("docflow.runtime.lang", "user_locale"),
    "tr": ("docflow.runtime.messages", "tr"),
    "word": ("docflow.runtime.messages", "word"),
    "default_url": ("docflow.store.urls", "default_url"),
    "default_actor": ("docflow.runtime.session", "default_actor"),
    "memo": ("docflow.app", "memo"),
    "job_progress": ("docflow.queue", "job_progress"),
    "enqueue_renders": ("docflow.queue", "enqueue_renders"),
    "run_worker": ("docflow.queue", "run_worker"),
    "portal_base_url": ("docflow.app.links", "base_url"),
    "ServeConfig": ("docflow.web.app", "ServeConfig"),
    "serve": ("docflow.web.serve", "run"),
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    """Load a name's module on first use."""
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'docflow.api.frontend' has no attribute {name!r}")
    module, attribute = where
    if attribute == "memo":  # a module of its own
        value: Any = importlib.import_module(f"{module}.{attribute}")
    else:
        value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value
