"""docflow: document-generation and workflow engine for software delivery projects.

The public API is small and imports nothing heavy; rendering and signing libraries load only
when a document is rendered or signed.
"""

from __future__ import annotations

from docflow.errors import (
    Blocked,
    Conflict,
    DocflowError,
    IntegrityFailure,
    InvalidInput,
    SpecError,
    UsageError,
)

__version__ = "0.1.0"

__all__ = [
    "Blocked",
    "Conflict",
    "DocflowError",
    "IntegrityFailure",
    "InvalidInput",
    "SpecError",
    "UsageError",
    "__version__",
]
