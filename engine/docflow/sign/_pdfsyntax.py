"""PDF object syntax for docflow's small PDF reader and writer (ISO 32000-1, 7.2-7.3).

PDF objects become Python values: names are ``str`` (without the slash), strings are
``bytes``, integers ``int``, reals ``float``, arrays ``list``, dictionaries ``dict`` keyed
by name, indirect references :class:`Ref`, streams :class:`Stream`, null ``None``.
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

__all__ = ["INT", "WS", "Parser", "PdfSyntax", "Ref", "Stream", "ints", "parse_object"]


class PdfSyntax(ValueError):
    """The bytes are not a PDF this reader understands."""


class Ref:
    """An indirect reference ``num gen R``."""

    __slots__ = ("gen", "num")

    def __init__(self, num: int, gen: int = 0) -> None:
        self.num = num
        self.gen = gen

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and (self.num, self.gen) == (other.num, other.gen)

    def __hash__(self) -> int:
        return hash((self.num, self.gen))

    def __repr__(self) -> str:
        return f"Ref({self.num}, {self.gen})"


class Stream:
    """A stream object: its dictionary and its data as stored (still encoded)."""

    __slots__ = ("attrs", "data")

    def __init__(self, attrs: dict[str, Any], data: bytes = b"") -> None:
        self.attrs = attrs
        self.data = data


WS = rb"[ \t\r\n\x0c\x00]"
_DELIMITERS = rb"()<>\[\]{}/%"
_WHITESPACE = re.compile(rb"(?:" + WS + rb"+|%[^\r\n]*)+")
_REGULAR = re.compile(rb"[^ \t\r\n\x0c\x00" + _DELIMITERS + rb"]+")
INT = re.compile(rb"[+-]?\d+")
_REAL = re.compile(rb"[+-]?(?:\d+\.\d*|\.\d+)")
_REF_TAIL = re.compile(WS + rb"+(\d+)" + WS + rb"+R(?![^ \t\r\n\x0c\x00" + _DELIMITERS + rb"])")
_OCTAL = re.compile(rb"[0-7]{1,3}")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STRING_ESCAPES = {
    ord("n"): b"\n",
    ord("r"): b"\r",
    ord("t"): b"\t",
    ord("b"): b"\b",
    ord("f"): b"\f",
    ord("("): b"(",
    ord(")"): b")",
    ord("\\"): b"\\",
}


class Parser:
    """Reads one object at a time from ``data``, starting at ``pos``."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    def skip(self) -> None:
        match = _WHITESPACE.match(self.data, self.pos)
        if match:
            self.pos = match.end()

    def fail(self, what: str) -> PdfSyntax:
        return PdfSyntax(f"{what} at byte {self.pos}")

    def keyword(self, word: bytes) -> bool:
        """Consume ``word`` if it comes next (after whitespace)."""
        self.skip()
        if self.data.startswith(word, self.pos):
            self.pos += len(word)
            return True
        return False

    def value(self) -> Any:
        self.skip()
        data, pos = self.data, self.pos
        if pos >= len(data):
            raise self.fail("unexpected end of data")
        char = data[pos]
        if char == 0x2F:  # /
            return self._name()
        if data.startswith(b"<<", pos):
            return self._dictionary()
        if char == 0x3C:  # <
            return self._hex_string()
        if char == 0x5B:  # [
            self.pos += 1
            items = []
            while not self.keyword(b"]"):
                items.append(self.value())
            return items
        if char == 0x28:  # (
            return self._literal_string()
        match = _REGULAR.match(data, pos)
        if not match:
            raise self.fail(f"unexpected {data[pos : pos + 1]!r}")
        token = match.group()
        self.pos = match.end()
        if INT.fullmatch(token):
            ref = _REF_TAIL.match(data, self.pos)
            if ref and token.isdigit():
                self.pos = ref.end()
                return Ref(int(token), int(ref.group(1)))
            return int(token)
        if _REAL.fullmatch(token):
            return float(token)
        if token in (b"true", b"false"):
            return token == b"true"
        if token == b"null":
            return None
        raise self.fail(f"unexpected {token[:20]!r}")

    def _name(self) -> str:
        match = _REGULAR.match(self.data, self.pos + 1)
        raw = match.group() if match else b""
        self.pos += 1 + len(raw)
        raw = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        return raw.decode("latin-1")

    def _dictionary(self) -> dict[str, Any]:
        self.pos += 2
        out: dict[str, Any] = {}
        while not self.keyword(b">>"):
            key = self.value()
            if not isinstance(key, str):
                raise self.fail("a dictionary key is not a name")
            out[key] = self.value()
        return out

    def _hex_string(self) -> bytes:
        end = self.data.find(b">", self.pos)
        if end < 0:
            raise self.fail("unterminated hex string")
        digits = re.sub(WS, b"", self.data[self.pos + 1 : end])
        self.pos = end + 1
        try:
            return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
        except ValueError as exc:
            raise self.fail("bad hex string") from exc

    def _literal_string(self) -> bytes:
        data, pos, depth = self.data, self.pos + 1, 1
        out = bytearray()
        while pos < len(data):
            char = data[pos]
            if char == 0x5C:  # backslash
                nxt = data[pos + 1 : pos + 2]
                if nxt and nxt[0] in _STRING_ESCAPES:
                    out += _STRING_ESCAPES[nxt[0]]
                    pos += 2
                elif octal := _OCTAL.match(data, pos + 1):
                    out.append(int(octal.group(), 8) & 0xFF)
                    pos = octal.end()
                elif nxt in (b"\r", b"\n"):  # a line continuation
                    pos += 3 if data.startswith(b"\r\n", pos + 1) else 2
                else:
                    pos += 1  # an unknown escape: the backslash is ignored
                continue
            if char == 0x0D:  # a bare CR or CRLF reads as LF
                out.append(0x0A)
                pos += 2 if data.startswith(b"\r\n", pos) else 1
                continue
            if char == 0x28:
                depth += 1
            elif char == 0x29:
                depth -= 1
                if depth == 0:
                    self.pos = pos + 1
                    return bytes(out)
            out.append(char)
            pos += 1
        raise self.fail("unterminated string")


def ints(value: Any) -> TypeGuard[list[int]]:
    """Whether ``value`` is a list of non-negative integers."""
    return isinstance(value, list) and all(type(v) is int and v >= 0 for v in value)


def parse_object(data: bytes) -> Any:
    """Parse one PDF object written as text (e.g. ``b"<</A [1 0 R]>>"``)."""
    return Parser(data).value()
