"""Two independent readers, one file: pypdf and pyHanko must see the same objects.

PDF readers have parted ways on the same bytes before (which of two entries for one object
wins, where a stream ends, how a string escape reads), and a signature verified through one
reader's eyes proves nothing about what another reader shows. Each object the signed
updates define is read by both, turned into plain Python values (names, strings as bytes,
numbers, references as (number, generation), streams as their dictionary and encoded
bytes) and compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from docflow.errors import IntegrityFailure

__all__ = ["check_readers_agree", "plain"]

_MAX_DEPTH = 64


def plain(value: Any, depth: int = 0) -> Any:
    """A pypdf or pyHanko object as plain, comparable Python values (references unresolved)."""
    if depth > _MAX_DEPTH:
        raise IntegrityFailure("The signed PDF nests objects too deeply to be checked.")
    kind = type(value).__name__
    if hasattr(value, "idnum") and hasattr(value, "generation"):
        return ("ref", int(value.idnum), int(value.generation))
    if isinstance(value, dict):
        items = {str(k): plain(v, depth + 1) for k, v in dict.items(value)}
        if "Stream" in kind:
            # pypdf drops /Length once read; the bytes read compare instead.
            items.pop("/Length", None)
            return ("stream", items, _encoded(value))
        return items
    if isinstance(value, list):
        return [plain(v, depth + 1) for v in list.__iter__(value)]
    if kind == "NameObject":
        return ("name", str(value))
    if isinstance(value, bytes | str):  # strings: what the file holds, however decoded
        raw = getattr(value, "original_bytes", value)
        return ("string", bytes(raw) if isinstance(raw, bytes) else str(raw).encode("utf-8"))
    if kind == "BooleanObject":
        return bool(value.value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float | Decimal):
        return ("real", float(value))
    if value is None or kind == "NullObject":
        return None
    raise IntegrityFailure(f"The signed PDF holds an object docflow cannot compare ({kind}).")


def _encoded(stream: Any) -> bytes:
    """A stream's bytes as stored in the file (pyHanko: encoded_data; pypdf: _data)."""
    data: Any = getattr(stream, "encoded_data", None)
    if data is None:
        data = getattr(stream, "_data", b"")  # pypdf keeps a read stream's bytes here
    return bytes(data or b"")


def check_readers_agree(pypdf_reader: Any, hanko_reader: Any, numbers: Iterable[int]) -> None:
    """Each object `numbers` names reads the same in pypdf and in pyHanko, else
    IntegrityFailure naming the first that differs; the trailers name the same catalog."""
    from pyhanko.pdf_utils.generic import Reference

    for num in sorted(numbers):
        mine = plain(pypdf_reader.get_object(num))
        theirs = plain(hanko_reader.get_object(Reference(num, 0, hanko_reader)))
        if mine != theirs:
            raise IntegrityFailure(
                f"The signed PDF reads differently in different PDF readers: object {num} is "
                "not the same in pypdf and in pyHanko, so what one reader shows is not what "
                "the signature was checked against."
            )
    for key in ("/Root", "/Info"):
        mine = plain(pypdf_reader.trailer.raw_get(key)) if key in pypdf_reader.trailer else None
        view = hanko_reader.trailer_view
        theirs = plain(view.raw_get(key)) if key in view else None
        if mine != theirs:
            raise IntegrityFailure(
                f"The signed PDF's trailer names a different {key[1:]} in different PDF readers."
            )
