"""The signed byte range: the whole file but one hex string, the signature's /Contents.

A signature covers ``/ByteRange [0 a b c]``: bytes 0 to a and b to b + c. pyHanko's
"whole file" check compares lengths and assumes the gap is a hex string; a gap that is a
literal string, or a hex string followed by other bytes, leaves bytes nobody signed (after
``%%EOF``, or inside the dictionary) that can later be rewritten. So the range must be
``[0, a, b, len(file) - b]`` and the gap exactly one ``<hex>`` string, which is the
/Contents value of the signature dictionary of the last update, directly after its key.
"""

from __future__ import annotations

import re
from typing import Any

from docflow.errors import IntegrityFailure
from docflow.sign.revisions import Revision

__all__ = ["check_byte_range"]

_HEX_GAP = re.compile(rb"<[0-9A-Fa-f]*>")
_KEY_BEFORE = re.compile(rb"/Contents[ \t\r\n\x0c\x00]*\Z")


def check_byte_range(
    data: bytes, last: Revision, number: int, byte_range: Any, contents: bytes, party: str
) -> None:
    """The signature dictionary `number` of update `last` signs all of `data` but its hex
    /Contents (which pypdf read as `contents`); IntegrityFailure otherwise."""
    who = f"The {party}'s signature"
    if number not in last.objects:
        raise IntegrityFailure(
            f"{who} does not cover the whole file: it is not in the file's last update "
            "(something was appended after signing)."
        )
    values = list(byte_range) if isinstance(byte_range, list) else []
    if len(values) != 4 or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise IntegrityFailure(f"{who} has no valid /ByteRange of four integers.")
    start, a, b, tail = (int(v) for v in values)
    if start != 0 or not 0 < a < b <= len(data) or b + tail != len(data):
        raise IntegrityFailure(
            f"{who} does not sign the whole file: its /ByteRange is {values}, which leaves "
            f"bytes unsigned in a file of {len(data)} bytes."
        )
    begin, end = last.objects[number]
    if not begin < a < b < end:
        raise IntegrityFailure(f"{who}'s unsigned gap lies outside its own dictionary.")
    gap = data[a:b]
    if not _HEX_GAP.fullmatch(gap):
        raise IntegrityFailure(
            f"{who}'s unsigned gap is not exactly one hex string <...>: bytes the signature "
            "does not cover could be rewritten (a literal /Contents or signature wrapping)."
        )
    if not _KEY_BEFORE.search(data, begin, a):
        raise IntegrityFailure(f"{who}'s unsigned gap is not the value of its /Contents.")
    digits = gap[1:-1]
    if len(digits) % 2 or bytes.fromhex(digits.decode("ascii")) != contents:
        raise IntegrityFailure(f"{who}'s /Contents is not the hex string its range leaves out.")
