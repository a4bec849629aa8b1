"""How a document that no longer matches the data says so, in the project's language.

A difference (:mod:`docflow.documents.freshness`) names a path in the template context;
people read it as words: ``parties.vendor.contact.phone`` is 乙方联系电话 / vendor contact
phone. The words come from ``labels.yaml`` (``data_words``: one word per path segment, or a
whole dotted path; ``freshness``: the sentences), so a workspace can reword them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docflow.documents.freshness import Difference
from docflow.runtime.result import Result
from docflow.runtime.session import Session

__all__ = ["DifferenceView", "Wording", "difference_views"]

_MAX = 12  # differences listed per document; the rest are counted

_FALLBACK = {
    "zh-CN": {
        "changed": "{what}已变更",
        "added": "{what}已新增",
        "removed": "{what}已删除",
        "count": "{what}由{before}项变为{after}项",
        "template": "模板已更新",
        "unreadable": "签发时的数据无法读取，请运行 docflow verify",
        "more": "另有{n}处不同",
        "item": "第{n}项",
    },
    "en": {
        "changed": "{what} changed",
        "added": "{what} added",
        "removed": "{what} removed",
        "count": "{what}: {before} → {after} entries",
        "template": "the templates changed",
        "unreadable": "the data it was issued with cannot be read: run docflow verify",
        "more": "{n} more differences",
        "item": "item {n}",
    },
}


@dataclass(frozen=True)
class DifferenceView(Result):
    """One thing a document shows that the current data says otherwise."""

    path: str  # where, as in project.yaml (list entries by position, requirements by id)
    what: str  # the same in words
    change: str  # changed | added | removed | count | template | more
    message: str  # one sentence for people


class Wording:
    """The words of one locale's labels for data paths and differences."""

    def __init__(self, locale: str, labels: Mapping[str, Any]) -> None:
        self.zh = locale.startswith("zh")
        words = labels.get("data_words")
        self.words: Mapping[str, Any] = words if isinstance(words, Mapping) else {}
        base = _FALLBACK["zh-CN" if self.zh else "en"]
        own = labels.get("freshness")
        self.sentences = {**base, **(own if isinstance(own, Mapping) else {})}

    @classmethod
    def of(cls, session: Session) -> Wording:
        """The wording of the session's locale and templates."""
        from docflow.render.context import load_labels, search_path

        dirs = search_path(session.template_dirs())
        return cls(session.locale, load_labels(dirs, session.locale))

    def _word(self, segment: str) -> str:
        word = self.words.get(segment)
        return segment.replace("_", " ") if word is None else str(word)

    def describe(self, path: Sequence[str | int], names: Sequence[str | None]) -> tuple[str, str]:
        """``(path as shown, path in words)``: project.yaml entries by position, other lists
        (requirements, changes) by the id of the entry."""
        in_yaml = bool(path) and path[0] == "p"
        shown = ""
        said: list[str] = []
        for index, segment in enumerate(path):
            name = names[index] if index < len(names) else None
            if isinstance(segment, int):
                shown += f"[{segment}]" if in_yaml or not name else f"[{name}]"
                said.append(name or str(self.sentences["item"]).format(n=segment + 1))
                continue
            if not (index == 0 and in_yaml):
                shown += ("." if shown else "") + segment
            said.append(self._word(segment))
        whole = ".".join(s for s in path if isinstance(s, str))
        if len(whole.split(".")) == len(path) and whole in self.words:
            said = [str(self.words[whole])]
        joiner = "" if self.zh else " "
        return shown or whole, joiner.join(w for w in said if w).strip() or shown

    def view(self, diff: Difference, names: Sequence[str | None]) -> DifferenceView:
        """The view of one difference."""
        if diff.change in ("template", "unreadable"):
            text = str(self.sentences[diff.change])
            return DifferenceView("", text, diff.change, text)
        path, what = self.describe(diff.path, names)
        sentence = str(self.sentences.get(diff.change, self.sentences["changed"]))
        text = sentence.format(what=what, before=diff.before, after=diff.after)
        text += f"（{path}）" if self.zh else f" ({path})"
        return DifferenceView(path, what, diff.change, text)


def _names(path: Sequence[str | int], *contexts: Any) -> list[str | None]:
    """For each list index in ``path``, the id or name of that entry (None elsewhere)."""
    names: list[str | None] = []
    nodes = list(contexts)
    for segment in path:
        found: str | None = None
        nxt = []
        for node in nodes:
            if isinstance(segment, int) and isinstance(node, list) and 0 <= segment < len(node):
                child = node[segment]
                if found is None and isinstance(child, Mapping):
                    ident = child.get("id") or child.get("requirement")
                    found = ident if isinstance(ident, str) and ident else None
                nxt.append(child)
            elif isinstance(segment, str) and isinstance(node, Mapping) and segment in node:
                nxt.append(node[segment])
        names.append(found)
        nodes = nxt
    return names


def difference_views(
    wording: Wording,
    diffs: Sequence[Difference],
    stored: Mapping[str, Any] | None = None,
    current: Mapping[str, Any] | None = None,
) -> tuple[DifferenceView, ...]:
    """The views of a document's differences, at most a dozen and a count of the rest."""
    views = [wording.view(d, _names(d.path, current, stored)) for d in diffs[:_MAX]]
    if len(diffs) > _MAX:
        text = str(wording.sentences["more"]).format(n=len(diffs) - _MAX)
        views.append(DifferenceView("", text, "more", text))
    return tuple(views)
