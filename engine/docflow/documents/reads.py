"""What a document's template read from its data: recorded while it renders, compared later.

A document is made from its template context (project data, requirements, figures...), but
each kind reads only part of it. While a document renders, its context is wrapped in light
read-only proxies that note every path the template takes out of it; the snapshot stored with
the version keeps those *reads*, so that ``status`` can tell later, without rendering, whether
anything the document shows has changed.

A read is a pattern over the context: a path of keys from the root, where ``None`` stands for
"every element" of a list, and a mode: ``value`` (the value there, or its absence), ``shape``
(a list's length or a mapping's keys: what iteration and ``length`` depend on) or ``whole``
(a container printed or compared whole). Every value the output can depend on is read through
one of these, so equal reads mean equal output for the same templates; the converse does not
hold (a template may read a value it then does not print), so a difference is a reason to look,
which rendering confirms.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

__all__ = ["MODES", "Path", "Read", "Reads", "decode_reads", "encode_reads"]

#: The modes of a read, as stored.
MODES = ("value", "shape", "whole")
Path = tuple[str | None, ...]
Read = tuple[str, Path]


class Reads:
    """The reads of one rendering: wrap the context, render, then take :meth:`patterns`."""

    def __init__(self) -> None:
        self._seen: set[Read] = set()

    def note(self, mode: str, path: Path) -> None:
        """Record one read."""
        self._seen.add((mode, path))

    def wrap(self, context: Mapping[str, Any]) -> dict[str, Any]:
        """The context with every container replaced by a proxy that records what is read.

        ``context`` must already be free of bidirectional controls
        (``render.pipeline.without_bidi``): the renderer does not walk the proxies again.
        """
        out: dict[str, Any] = {}
        for key, value in context.items():
            if isinstance(value, float) and not isinstance(value, bool):
                out[key] = _TrackedFloat(value, self, (key,))
            elif isinstance(value, Mapping | list | tuple):
                out[key] = self.take(value, (key,))
            else:
                # A top-level scalar cannot tell when it is used: count it as read.
                self.note("value", (key,))
                out[key] = value
        return out

    def take(self, value: Any, path: Path) -> Any:
        """``value`` as a template receives it from ``path``: containers wrapped, leaves read."""
        if isinstance(value, _Tracked):
            return value
        if isinstance(value, Mapping):
            return _MapProxy(self, value, path)
        if isinstance(value, list | tuple):
            return _ListProxy(self, value, path)
        self.note("value", path)
        return value

    def patterns(self) -> list[Read]:
        """Every read, in a stable order; a value read below a whole read is left out."""
        wholes = [p for m, p in self._seen if m == "whole"]
        kept = [
            (mode, path)
            for mode, path in self._seen
            if mode == "whole" or not any(_below(path, w) for w in wholes)
        ]
        return sorted(kept, key=lambda r: (tuple("" if s is None else s for s in r[1]), r[0]))


def _below(path: Path, root: Path) -> bool:
    return len(path) >= len(root) and path[: len(root)] == root


def encode_reads(reads: Sequence[Read]) -> list[list[Any]]:
    """Reads as JSON data: ``[mode, [key or null, ...]]``."""
    return [[mode, list(path)] for mode, path in reads]


def decode_reads(data: Any) -> list[Read] | None:
    """Reads from their JSON form; None when ``data`` is not a list of reads."""
    if not isinstance(data, list):
        return None
    try:
        out = [(mode, tuple(path)) for mode, path in data]
    except (TypeError, ValueError):
        return None
    # Checked in one pass each: a snapshot may hold a few thousand reads.
    if not {mode for mode, _ in out} <= set(MODES):
        return None
    if not all(isinstance(s, str | None) for _, path in out for s in path):
        return None
    return out


class _Tracked:
    """Marks the proxies, so that a proxy is never wrapped twice; their strings are free of
    bidirectional controls (:meth:`Reads.wrap` is given a context already cleaned), which the
    renderer's cleaning reads as ``bidi_clean``."""

    __slots__ = ()
    bidi_clean = True


class _TrackedFloat(float, _Tracked):
    """A top-level number (the change ratio) that notes when a template uses it."""

    __slots__ = ("_path", "_reads")
    _reads: Reads
    _path: Path

    def __new__(cls, value: float, reads: Reads, path: Path) -> _TrackedFloat:
        self = super().__new__(cls, value)
        self._reads = reads
        self._path = path
        return self

    def _used(self) -> float:
        self._reads.note("value", self._path)
        return float.__float__(self)

    def __str__(self) -> str:
        return str(self._used())

    def __repr__(self) -> str:
        return repr(self._used())

    def __format__(self, spec: str) -> str:
        return format(self._used(), spec)

    def __float__(self) -> float:
        return self._used()

    def __bool__(self) -> bool:
        return bool(self._used())

    def __eq__(self, other: object) -> bool:
        return self._used() == other

    def __ne__(self, other: object) -> bool:
        return self._used() != other

    def __lt__(self, other: Any) -> bool:
        return bool(self._used() < other)

    def __le__(self, other: Any) -> bool:
        return bool(self._used() <= other)

    def __gt__(self, other: Any) -> bool:
        return bool(self._used() > other)

    def __ge__(self, other: Any) -> bool:
        return bool(self._used() >= other)

    def __hash__(self) -> int:
        return hash(self._used())


class _MapProxy(Mapping[str, Any], _Tracked):
    """A read-only mapping that notes each key read, its shape when iterated, or all of it."""

    __slots__ = ("_data", "_path", "_reads")

    def __init__(self, reads: Reads, data: Mapping[str, Any], path: Path) -> None:
        self._reads = reads
        self._data = data
        self._path = path

    def __getitem__(self, key: str) -> Any:
        try:
            value = self._data[key]
        except KeyError:
            self._reads.note("value", (*self._path, key))
            raise
        return self._reads.take(value, (*self._path, key))

    def get(self, key: str, default: Any = None) -> Any:
        """The value at ``key`` (read), or ``default`` (its absence read)."""
        if key in self._data:
            return self[key]
        self._reads.note("value", (*self._path, key))
        return default

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._reads.note("value", (*self._path, key))
        else:
            self._reads.note("shape", self._path)
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        self._reads.note("shape", self._path)
        return iter(self._data)

    def __len__(self) -> int:
        self._reads.note("shape", self._path)
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        self._reads.note("whole", self._path)
        return dict(self._data) == (other._data if isinstance(other, _MapProxy) else other)

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        self._reads.note("whole", self._path)
        return str(self._data)

    __repr__ = __str__


class _ListProxy(Sequence[Any], _Tracked):
    """A read-only list whose elements all read under one path (``None`` for the index)."""

    __slots__ = ("_data", "_path", "_reads")

    def __init__(self, reads: Reads, data: Sequence[Any], path: Path) -> None:
        self._reads = reads
        self._data = data
        self._path = path

    def _element(self, value: Any) -> Any:
        return self._reads.take(value, (*self._path, None))

    def __getitem__(self, index: Any) -> Any:
        # Which element an index finds depends on the length (negative indexes, slices).
        self._reads.note("shape", self._path)
        if isinstance(index, slice):
            return [self._element(v) for v in self._data[index]]
        return self._element(self._data[index])

    def __len__(self) -> int:
        self._reads.note("shape", self._path)
        return len(self._data)

    def __iter__(self) -> Iterator[Any]:
        self._reads.note("shape", self._path)
        return (self._element(v) for v in self._data)

    def __reversed__(self) -> Iterator[Any]:
        self._reads.note("shape", self._path)
        return (self._element(v) for v in reversed(self._data))

    def __contains__(self, value: object) -> bool:
        self._reads.note("whole", self._path)
        return value in self._data

    def __add__(self, other: Any) -> list[Any]:
        return [*self, *other]

    def __radd__(self, other: Any) -> list[Any]:
        return [*other, *self]

    def __eq__(self, other: object) -> bool:
        self._reads.note("whole", self._path)
        plain = other._data if isinstance(other, _ListProxy) else other
        return list(self._data) == (list(plain) if isinstance(plain, list | tuple) else plain)

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        self._reads.note("whole", self._path)
        return str(list(self._data))

    __repr__ = __str__
