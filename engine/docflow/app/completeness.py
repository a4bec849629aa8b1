"""Nothing goes out half-empty by accident: the fields a document would print as 待定 / 无 /
TBD / None because project.yaml leaves them empty.

A workflow's document kind lists the project.yaml paths its template prints with such a
placeholder when they are empty (``expects: [deployment.cutover.downtime, ...]``; ``a[].b``
names the ``b`` of every entry of the list ``a``). Issuing the kind then warns, naming each
empty path, so that the PM fills it in and renders again before sending; what a real form
cannot do without is a guard instead, which blocks the step. The list is data of the workflow:
no kind is named here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docflow.guards.base import is_empty
from docflow.runtime.result import Result
from docflow.runtime.session import Session

__all__ = ["EmptyField", "empty_fields"]


@dataclass(frozen=True)
class EmptyField(Result):
    """A field a document prints as a placeholder because project.yaml leaves it empty."""

    document: str
    path: str
    message: str


def _values(node: Any, parts: Sequence[str], at: str = "") -> Iterator[tuple[str, Any]]:
    """Each concrete path a pattern names in the data, with its value (None when missing)."""
    if not parts:
        yield at, node
        return
    head, rest = parts[0], parts[1:]
    each = head.endswith("[]")
    name = head[:-2] if each else head
    child = node.get(name) if isinstance(node, Mapping) else None
    here = f"{at}.{name}" if at else name
    if not each:
        yield from _values(child, rest, here)
        return
    for index, entry in enumerate(child if isinstance(child, list) else []):
        yield from _values(entry, rest, f"{here}[{index}]")


def _message(session: Session, doc_id: str, title: str, path: str) -> str:
    if session.locale.startswith("zh"):
        return (
            f"{doc_id}（{title}）：project.yaml 中的 {path} 为空，文件中该处将显示“待定”或“无”；"
            "如应填写，请补充后运行 docflow render。"
        )
    return (
        f"{doc_id} ({title}): {path} is empty in project.yaml, so the document says TBD or "
        "None there; if it should not, fill it in and run docflow render."
    )


def empty_fields(session: Session, documents: Sequence[tuple[str, str]]) -> list[EmptyField]:
    """The empty expected fields of each ``(document id, kind code)`` about to be issued."""
    data = session.data.model_dump(mode="python")
    found: list[EmptyField] = []
    for doc_id, code in documents:
        kind = session.spec.documents.get(code)
        if kind is None:
            continue
        title = session.doc_title(code)
        for pattern in kind.expects:
            for path, value in _values(data, pattern.split(".")):
                if is_empty(value):
                    found.append(EmptyField(doc_id, path, _message(session, doc_id, title, path)))
    return found
