"""Results of the API's own operations (those that are no use case of :mod:`docflow.app`)."""

from __future__ import annotations

from dataclasses import dataclass

from docflow.runtime.result import Result

__all__ = ["StoreUpgrade"]


@dataclass(frozen=True)
class StoreUpgrade(Result):
    """The store whose schema was upgraded, and the revision it is at now."""

    store: str
    revision: str
