"""check_scan: scans are told apart by magic bytes; anything else is refused."""

from __future__ import annotations

import pytest

from docflow.errors import InvalidInput
from docflow.sign import check_scan


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        pytest.param(b"%PDF-1.7\n...", "pdf", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "png", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg", id="jpeg"),
    ],
)
def test_known_scan_types(data: bytes, kind: str) -> None:
    assert check_scan(data, "scan.bin") == kind


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "is empty", id="empty"),
        pytest.param(b"GIF89a", "is not a PDF, PNG or JPEG", id="gif"),
        pytest.param(b"hello %PDF-", "is not a PDF, PNG or JPEG", id="pdf-magic-not-at-start"),
    ],
)
def test_other_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=f"scan page1.png {message}"):
        check_scan(data, "page1.png")
