"""A portal signature in the PDF: the signer's drawing and name in the party's field, sealed
with the server's certificate (PAdES B-B, pyHanko).

The drawing arrives as strokes (polylines on a 1000 x 400 canvas) and is drawn as vector
paths, opaque, with no image, transparency or blend mode, so the appearance prints and
displays alike and passes the checks every signed file passes. The signer's name, the words
"signed online" and the time are set beside it (or under it, in a narrow field). The seal is
an incremental update of the current PDF that fills the party's existing empty field only.
Sealing is one function of plain inputs so that a queue worker can take it over.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from docflow.errors import InvalidInput

if TYPE_CHECKING:
    pass

__all__ = ["CANVAS", "Drawing", "SealKey", "load_seal_key", "parse_drawing", "seal_pdf"]

#: The canvas the browser script draws on: strokes use these coordinates, y downwards.
CANVAS = (1000, 400)
_MAX_STROKES = 100
_MAX_POINTS = 6000
_MAX_TEXT = 120_000
# Ink: a dark blue, as a pen; stroke width in points.
_INK = b"0.06 0.16 0.45 RG"
_WIDTH = 1.4


@dataclass(frozen=True)
class Drawing:
    """The strokes of a drawn signature, each a flat tuple x0, y0, x1, y1, ..."""

    strokes: tuple[tuple[int, ...], ...]

    @property
    def canonical(self) -> bytes:
        """The strokes as compact JSON: what is hashed and kept as evidence."""
        return json.dumps([list(s) for s in self.strokes], separators=(",", ":")).encode()

    def __bool__(self) -> bool:
        return bool(self.strokes)


def parse_drawing(text: str) -> Drawing:
    """The drawing a form field holds (JSON ``[[x, y, x, y, ...], ...]``; empty: none)."""
    text = text.strip()
    if not text:
        return Drawing(())
    if len(text) > _MAX_TEXT:
        raise InvalidInput("the drawn signature is too large")
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput("the drawn signature cannot be read") from exc
    if not isinstance(raw, list) or len(raw) > _MAX_STROKES:
        raise InvalidInput(f"the drawn signature must be a list of at most {_MAX_STROKES} strokes")
    strokes = []
    total = 0
    width, height = CANVAS
    for stroke in raw:
        ok = isinstance(stroke, list) and len(stroke) >= 2 and len(stroke) % 2 == 0
        if not ok or not all(isinstance(v, int) and not isinstance(v, bool) for v in stroke):
            raise InvalidInput("each stroke of the drawn signature is a list of x, y numbers")
        xs, ys = stroke[0::2], stroke[1::2]
        if min(xs) < 0 or max(xs) > width or min(ys) < 0 or max(ys) > height:
            raise InvalidInput(f"the drawn signature leaves its {width} x {height} canvas")
        total += len(xs)
        strokes.append(tuple(stroke))
    if total > _MAX_POINTS:
        raise InvalidInput(f"the drawn signature has more than {_MAX_POINTS} points")
    return Drawing(tuple(strokes))


@dataclass(frozen=True)
class SealKey:
    """The server's signing key and certificate, loaded once from its PKCS#12 file."""

    signer: Any
    subject: str


def load_seal_key(p12: bytes, password: bytes | None) -> SealKey:
    """Open the server's PKCS#12; InvalidInput for a wrong password or a wrong file."""
    from docflow.sign.p12 import load_signer

    signer = load_signer(p12, password, "The seal certificate")
    if signer.signing_cert is None:
        raise InvalidInput("the seal's PKCS#12 archive holds no certificate")
    return SealKey(signer, str(signer.signing_cert.subject.human_friendly))


def _stroke_commands(drawing: Drawing, x0: float, y0: float, w: float, h: float) -> bytes:
    """PDF path operators drawing the strokes centred in the box (x0, y0, w, h)."""
    cw, ch = CANVAS
    scale = min(w / cw, h / ch)
    dx = x0 + (w - cw * scale) / 2
    dy = y0 + (h - ch * scale) / 2 + ch * scale
    out = [b"q", _INK, b"%.2f w 1 J 1 j" % _WIDTH]
    for stroke in drawing.strokes:
        points = list(zip(stroke[0::2], stroke[1::2], strict=True))
        if len(points) == 1:
            points.append(points[0])  # a dot: a zero-length segment with round caps
        for index, (x, y) in enumerate(points):
            op = b"m" if index == 0 else b"l"
            out.append(b"%.2f %.2f %s" % (dx + x * scale, dy - y * scale, op))
        out.append(b"S")
    out.append(b"Q")
    return b"\n".join(out)


def _stamp_style(name: str, words: str, drawing: Drawing) -> Any:
    """The stamp: docflow's signature text style, with the drawing drawn beside the text."""
    from pyhanko.pdf_utils import layout
    from pyhanko.stamp import TextStamp, TextStampStyle

    from docflow.sign.appearance import stamp_style

    class _PortalStamp(TextStamp):
        _text_size = (0.0, 0.0)

        def _inner_layout_natural_size(self) -> Any:
            commands, size = super()._inner_layout_natural_size()  # type: ignore[no-untyped-call]
            self._text_size = size
            return commands, size

        def _wide(self) -> bool:
            return bool(self.box.width >= 2.2 * self.box.height)

        def _inner_content_layout_rule(self) -> Any:
            wide = self._wide()
            return layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MAX if wide else layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID if wide else layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins.uniform(3),  # type: ignore[no-untyped-call]
                inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
            )

        def _render_inner_content(self) -> Any:
            commands = list(super()._render_inner_content())  # type: ignore[no-untyped-call]
            if not self.style.strokes:
                return commands
            tw, th = self._text_size
            box_w, box_h = self.box.width, self.box.height
            if self._wide():
                area = (3.0, 3.0, max(box_w - min(tw, box_w * 0.5) - 9.0, 10.0), box_h - 6.0)
            else:
                text_h = min(th, box_h * 0.45)
                area = (3.0, text_h + 6.0, box_w - 6.0, max(box_h - text_h - 9.0, 10.0))
            return [_stroke_commands(self.style.strokes, *area), *commands]

    @dataclass(frozen=True)
    class _PortalStampStyle(TextStampStyle):
        strokes: Drawing = field(default_factory=lambda: Drawing(()))

        def create_stamp(self, writer: Any, box: Any, text_params: Any) -> Any:
            return _PortalStamp(writer=writer, style=self, box=box, text_params=text_params)

    base = stamp_style(name, words)
    values = {f.name: getattr(base, f.name) for f in fields(base)}
    return _PortalStampStyle(**values, strokes=drawing)


def seal_pdf(
    pdf: bytes, party: str, signer_name: str, drawing: Drawing, key: SealKey, words: str
) -> bytes:
    """Fill ``party``'s empty field of ``pdf`` with the drawing, the name and ``words``, and
    seal it with ``key``; a missing field is InvalidInput, a signed one a Conflict."""
    from docflow.sign.p12 import sign_field

    style = _stamp_style(signer_name, words, drawing)
    return sign_field(pdf, party, key.signer, signer_name, words, style)
