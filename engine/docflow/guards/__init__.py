"""Guards: typed checks that say what must be true before a step, and explain themselves."""

from docflow.guards.base import Blocker, DocFacts, Snapshot
from docflow.guards.registry import check_guard, evaluate, guard_types

__all__ = ["Blocker", "DocFacts", "Snapshot", "check_guard", "evaluate", "guard_types"]
