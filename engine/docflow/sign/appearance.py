"""What a docflow signature looks like in its field: the signer's name and the signing time,
in a font that has CJK glyphs when the machine has one.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from io import BytesIO
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyhanko.stamp import TextStampStyle

__all__ = ["stamp_style"]

_FONT_QUERY = "Noto Sans CJK SC:style=Regular"


def stamp_style(signer_name: str, reason: str | None) -> TextStampStyle:
    """The stamp drawn in the signature field: name, reason when given, and time."""
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    lines = [signer_name, *([reason] if reason else []), "%(ts)s"]
    # The stamp text is a %-template; the name and reason are data, not directives.
    text = "\n".join(line.replace("%", "%%") for line in lines[:-1]) + "\n" + lines[-1]
    font = _font_factory()
    if font is None:
        text = text.encode("latin-1", "replace").decode("latin-1")
        box = TextBoxStyle(font_size=9)
    else:
        box = TextBoxStyle(font=font, font_size=9)
    return TextStampStyle(
        stamp_text=text,
        text_box_style=box,
        timestamp_format="%Y-%m-%d %H:%M:%S %Z",
        border_width=0,
        background=None,
    )


def _font_factory() -> Any:
    """A pyHanko font engine factory over the CJK font, or None for pyHanko's Courier."""
    from pyhanko.pdf_utils.font.api import FontEngineFactory
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    found = _font_bytes()
    if found is None:
        return None
    data: bytes = found

    class _InMemoryFont(FontEngineFactory):
        # pyHanko's own factory opens the file by path and never closes it.
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            if obj_stream is None and writer.stream_xrefs:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer, font_handle=BytesIO(data), font_size=9, obj_stream=obj_stream
            )

    return _InMemoryFont()


@functools.cache
def _font_bytes() -> bytes | None:
    """One font face as bytes (extracted from a collection when needed), or None."""
    from fontTools.ttLib import TTFont, TTLibError

    located = _locate_font()
    if located is None:
        return None
    path, index = located
    try:
        with TTFont(path, fontNumber=index, lazy=True) as face:
            out = BytesIO()
            face.save(out)
    except (OSError, TTLibError):
        return None
    return out.getvalue()


def _locate_font() -> tuple[str, int] | None:
    """Ask fontconfig where the CJK font is: (file, face index in a collection)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run(
            [fc_match, "--format=%{file}\t%{index}", _FONT_QUERY],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = found.partition("\t")
    if not path.lower().endswith((".ttf", ".otf", ".ttc", ".otc")):
        return None
    return path, int(index or 0)
