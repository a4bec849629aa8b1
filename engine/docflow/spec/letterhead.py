"""The company letterhead every document carries: name, logo, colours and footer text.

Written once by whoever runs the company's documents, in ``letterhead.yaml`` (schema:
``schemas/letterhead.schema.json``)::

    company: 江州启航医疗软件有限公司
    logo: logo.png            # PNG or JPEG, relative to this file
    logo_height_mm: 12
    colors: {primary: "#1f4e79", accent: "#dce6f1"}
    footer: 江州市高新区创业大道 88 号 · 0791-8888 6666

Looked up in this order: the workspace's ``letterhead.yaml``, the file ``$DOCFLOW_LETTERHEAD``
names, ``~/.config/docflow/letterhead.yaml`` (``$XDG_CONFIG_HOME``); none is fine (documents
then carry the vendor's name only). Every problem names the file, line and field. The logo
is read with a size bound, must really be a PNG or JPEG, and is flattened onto white and
scaled (PDF/A allows no transparency), so documents carry the same bytes on every machine.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from docflow.errors import Problem, SpecError

__all__ = [
    "FILE",
    "MAX_LOGO_BYTES",
    "Colors",
    "Letterhead",
    "find_letterhead",
    "letterhead_context",
]

FILE = "letterhead.yaml"
MAX_LOGO_BYTES = 2 * 1024 * 1024
_MAX_FILE_BYTES = 64 * 1024
_DPI = 300  # the logo is scaled for print at this resolution
_HEX = r"^#[0-9A-Fa-f]{6}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Colors(_Model):
    """Colours as #RRGGBB: headings and running header (primary), table headers (accent)."""

    primary: str | None = Field(default=None, pattern=_HEX)
    accent: str | None = Field(default=None, pattern=_HEX)


class Letterhead(_Model):
    """``letterhead.yaml``: the company's letterhead on every document of every project."""

    company: str = Field(default="", max_length=200)
    logo: str | None = Field(default=None, description="PNG or JPEG, relative to the file")
    logo_height_mm: float = Field(default=12, gt=3, le=40)
    colors: Colors = Colors()
    footer: str = Field(default="", max_length=300)


def find_letterhead(workspace: Path | None) -> Path | None:
    """The letterhead file in force for a workspace, or None."""
    candidates = []
    if workspace is not None:
        candidates.append(workspace / FILE)
    env = os.environ.get("DOCFLOW_LETTERHEAD")
    if env:
        candidates.append(Path(env))
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    candidates.append(Path(config) / "docflow" / FILE)
    for path in candidates:
        if path.is_file():
            return path
    if env:
        raise SpecError([Problem("DOCFLOW_LETTERHEAD names no file", file=env)])
    return None


def _read(path: Path, limit: int) -> bytes:
    try:
        if not path.is_file():
            raise SpecError([Problem("is not a regular file", file=str(path))])
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise SpecError([Problem(f"cannot be read ({exc.strerror})", file=str(path))]) from exc
    if len(data) > limit:
        raise SpecError([Problem(f"is larger than {limit // 1024} KiB", file=str(path))])
    return data


def load_letterhead(path: Path) -> Letterhead:
    """Read and check a letterhead file; one SpecError names every problem with its line."""
    from docflow.spec.loader import validation_problems
    from docflow.spec.yamlio import decode_utf8, parse_yaml

    text = decode_utf8(_read(path, _MAX_FILE_BYTES), path.name)
    data, lines, problems = parse_yaml(text, str(path))
    if data is not None and not isinstance(data, dict):
        raise SpecError([Problem("a letterhead must be a YAML mapping", str(path), 1)])
    try:
        head = Letterhead.model_validate(data or {})
    except ValidationError as exc:
        problems += validation_problems(exc, Letterhead, lines, str(path))
        raise SpecError(problems) from exc
    if problems:
        raise SpecError(problems)
    if head.logo is not None:
        _logo(path, head, lines.find(("logo",)))  # refuse a bad logo when the file is read
    return head


def _logo(path: Path, head: Letterhead, line: int | None) -> dict[str, Any]:
    """The logo as print-ready PNG bytes (no alpha, scaled), with its size in mm."""
    from PIL import Image, UnidentifiedImageError

    assert head.logo is not None
    logo = (path.parent / head.logo).resolve()
    try:
        raw = _read(logo, MAX_LOGO_BYTES)
    except SpecError as exc:
        problem = exc.problems[0]
        raise SpecError(
            [Problem(f"logo {head.logo}: {problem.message}", str(path), line, "logo")]
        ) from exc
    if not (raw.startswith(b"\x89PNG\r\n\x1a\n") or raw.startswith(b"\xff\xd8\xff")):
        raise SpecError(
            [Problem(f"logo {head.logo} is not a PNG or JPEG image", str(path), line, "logo")]
        )
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            if image.width * image.height > 25_000_000:
                raise SpecError(
                    [Problem(f"logo {head.logo} has too many pixels", str(path), line, "logo")]
                )
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise SpecError(
            [
                Problem(
                    f"logo {head.logo} cannot be read as an image: {exc}", str(path), line, "logo"
                )
            ]
        ) from exc
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    height_px = max(1, round(head.logo_height_mm / 25.4 * _DPI))
    width_px = max(1, round(flat.width * height_px / flat.height))
    scaled = flat.resize((width_px, height_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    scaled.save(out, format="PNG", optimize=True)
    png = out.getvalue()
    return {
        "mime": "image/png",
        "data": base64.b64encode(png).decode("ascii"),
        "sha256": hashlib.sha256(png).hexdigest(),
        "width_mm": round(width_px / _DPI * 25.4, 2),
        "height_mm": head.logo_height_mm,
        "dpi": _DPI,
    }


def letterhead_context(workspace: Path | None) -> dict[str, Any] | None:
    """The template context's ``letterhead`` (None without a letterhead file)."""
    path = find_letterhead(workspace)
    if path is None:
        return None
    head = load_letterhead(path)
    return {
        "company": head.company,
        "footer": head.footer,
        "colors": head.colors.model_dump(),
        "logo": _logo(path, head, None) if head.logo else None,
    }
