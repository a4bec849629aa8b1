"""Files users hand to docflow (a signed PDF, a scan, a certificate): regular files only,
read with a size bound.

A path can name something that is not a file: a named pipe blocks a reader forever,
``/dev/zero`` never ends, a sparse file claims gigabytes it never wrote. So the file's kind
is checked before it is opened, it is opened without blocking, checked again on the open
descriptor (the path may have been swapped in between), refused at once when its size is
over the bound, and read no further than the bound. The bound is
:data:`DEFAULT_MAX_INPUT_MB` megabytes, or what ``DOCFLOW_MAX_INPUT_MB`` says.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from docflow.errors import InvalidInput

__all__ = ["DEFAULT_MAX_INPUT_MB", "MAX_INPUT_ENV", "max_input_bytes", "read_input"]

DEFAULT_MAX_INPUT_MB = 50
MAX_INPUT_ENV = "DOCFLOW_MAX_INPUT_MB"
_MB = 1024 * 1024
_LARGEST_MB = 4096
_CHUNK = 1 << 20
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def max_input_bytes() -> int:
    """The size bound in bytes: ``DOCFLOW_MAX_INPUT_MB`` megabytes (1 to 4096), else 50."""
    raw = os.environ.get(MAX_INPUT_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_INPUT_MB * _MB
    if not raw.isdigit() or not 1 <= int(raw) <= _LARGEST_MB:
        raise InvalidInput(
            f"{MAX_INPUT_ENV} must be a whole number of megabytes from 1 to {_LARGEST_MB}, "
            f"not {raw[:40]!r}"
        )
    return int(raw) * _MB


def read_input(path: Path, what: str, *, limit: int | None = None) -> bytes:
    """The bytes of the regular file `path`, at most `limit` bytes (default
    :func:`max_input_bytes`); anything else is InvalidInput naming `what` and the path."""
    bound = max_input_bytes() if limit is None else limit
    try:
        _check(os.stat(path), path, what, bound)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InvalidInput(f"cannot read the {what} {path}: {exc.strerror or exc}") from exc
    try:
        _check(os.fstat(fd), path, what, bound)
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(_CHUNK, bound + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > bound:
                raise InvalidInput(_too_big(path, what, bound, "grew while it was read"))
    except OSError as exc:
        raise InvalidInput(f"cannot read the {what} {path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    return b"".join(chunks)


def _check(info: os.stat_result, path: Path, what: str, bound: int) -> None:
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise InvalidInput(f"the {what} {path} is {kind}, not a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"the {what} {path} is not a regular file")
    if info.st_size > bound:
        raise InvalidInput(_too_big(path, what, bound, f"is {info.st_size / _MB:.1f} MB"))


def _too_big(path: Path, what: str, bound: int, detail: str) -> str:
    return (
        f"the {what} {path} {detail}; files over {bound / _MB:g} MB are refused "
        f"(set {MAX_INPUT_ENV} to change the limit)"
    )
