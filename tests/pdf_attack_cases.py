"""The attack classes on signed PDFs, each a builder ``(issued, signer) -> signed bytes``.

``ATTACKS`` lists every class with words the refusal must contain; ``build(name, ...)``
makes one. See pdf_attacks.py for the machinery.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO
from typing import Any

from pdf_attacks import (
    FORGED_CONTENT,
    PLACEHOLDER,
    Issued,
    Signing,
    Update,
    _pdf,
    scan_with_hidden_signature,
)

Builder = Callable[[bytes, Any], bytes]
_BLANK_FORM = b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length 0 >>\nstream\n\nendstream"


def _dict(value: Any, **changes: Any) -> bytes:
    """A pypdf dictionary with entries set (bytes values are raw PDF syntax) or removed."""
    from pypdf.generic import DictionaryObject, NameObject

    copy = DictionaryObject(value)
    raw: list[bytes] = []
    for key, new in changes.items():
        name = NameObject("/" + key)
        copy.pop(name, None)
        if new is not None:
            raw.append(b"/" + key.encode() + b" " + new)
    body = _pdf(copy)
    return body[: body.rindex(b">>")] + b" ".join(raw) + b"\n>>"


def _with_object(key: str, new: bytes = b"", **changes: Any) -> Builder:
    """The client's signature, and in the same update the catalog, AcroForm or document
    information changed (``FREE`` in a value names the `new` object, added too)."""

    def build(issued: bytes, signer: Any) -> bytes:
        info = Issued.read(issued)
        catalog = info.reader.root_object
        target = {
            "catalog": (info.ref("/Root"), catalog),
            "form": (catalog.raw_get("/AcroForm").idnum, catalog["/AcroForm"].get_object()),
            "info": (info.ref("/Info"), info.reader.trailer["/Info"].get_object()),
        }[key]
        signing = Signing(info)
        *_, free = signing.numbers()
        ref = b"%d 0 R" % free
        edits = {
            k: v.replace(b"FREE", ref) if isinstance(v, bytes) else v for k, v in changes.items()
        }
        signing.extra = [(target[0], _dict(target[1], **edits))]
        if new:
            signing.extra.append((free, new))
        return signing.write(signer)

    return build


def _with_field(**changes: Any) -> Builder:
    """The client's signature with its own field's entries changed (flags, rect)."""

    def edit(widget: Any) -> None:
        from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject

        for key, value in changes.items():
            if isinstance(value, list):
                widget[NameObject("/" + key)] = ArrayObject(FloatObject(v) for v in value)
            else:
                widget[NameObject("/" + key)] = NumberObject(value)

    def build(issued: bytes, signer: Any) -> bytes:
        return Signing(Issued.read(issued), field_edit=edit).write(signer)

    return build


def _moved_over_label(issued: bytes, signer: Any) -> bytes:
    """The widget stretched 30 pt up, over the printed signer label above the blank cell."""
    _, value = Issued.read(issued).field("client")
    x1, y1, x2, y2 = (float(v) for v in value["/Rect"])
    return _with_field(Rect=[x1, y1, x2, y2 + 30])(issued, signer)


def _appearance(resources: bytes, content: bytes, extra: int = 0) -> Builder:
    """The client's signature whose appearance uses `resources` (may name object N+2)."""

    def build(issued: bytes, signer: Any) -> bytes:
        signing = Signing(Issued.read(issued), appearance=content)
        *_, free = signing.numbers()
        signing.resources = resources.replace(b"FREE", b"%d 0 R" % free)
        if extra:
            group = _BLANK_FORM
            ocg = b"<< /Type /OCG /Name (Screen only) >>"
            signing.extra = [(free, group if extra == 1 else ocg)]
        return signing.write(signer)

    return build


def _ap(value: bytes) -> Builder:
    """The client's signature whose /AP is `value` (N+1 is the visible stream, N+2 a blank one)."""

    def build(issued: bytes, signer: Any) -> bytes:
        signing = Signing(Issued.read(issued))
        _, ap, free = signing.numbers()
        signing.ap = value.replace(b"AP", b"%d 0 R" % ap).replace(b"BLANK", b"%d 0 R" % free)
        signing.extra = [(free, _BLANK_FORM)]
        return signing.write(signer)

    return build


def _page_one_content(info: Issued) -> tuple[int, int]:
    """Page 1's content stream: its object number and offset in the issued file."""
    contents = info.reader.pages[0].raw_get("/Contents")
    num = contents.idnum
    return num, int(info.reader.xref[0][num])


def _duplicate_entry(kind: str) -> Builder:
    """Page 1's content listed twice in the signing update's cross-reference: first a forged
    stream (what Poppler, qpdf and pypdf keep), then the issued one (what pyHanko keeps)."""

    def build(issued: bytes, signer: Any) -> bytes:
        info = Issued.read(issued)
        num, offset = _page_one_content(info)
        forged = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(FORGED_CONTENT), FORGED_CONTENT)
        update = Update(info, objects=[(num, forged)], kind=kind, duplicates=[(num, offset)])
        return Signing(info, update=update).write(signer)

    return build


def _structure_over_page_content(what: str) -> Builder:
    """The signing update's object stream (holding the new appearance's font) or its own
    cross-reference stream takes the number of page 1's content stream."""

    def build(issued: bytes, signer: Any) -> bytes:
        import zlib

        info = Issued.read(issued)
        num, _ = _page_one_content(info)
        signing = Signing(info, resources=b"<< /Font << /F1 %d 0 R >> >>" % (info.size + 2))
        font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
        if what == "object-stream":
            head = b"%d 0 " % (info.size + 2)
            packed = zlib.compress(head + font)
            stream = b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>" % (
                len(head),
                len(packed),
            )
            update = Update(info, objects=[(num, stream + b"\nstream\n" + packed + b"\nendstream")])
            update.packed = [(info.size + 2, num, 0)]
        else:
            update = Update(info, objects=[(info.size + 2, font)], xref_number=num)
        signing.update = update
        return signing.write(signer)

    return build


def orphaned_revision(issued: bytes, signer: Any) -> bytes:
    """A bare startxref to the rendered file's own section orphans docflow's revision; an
    update on the rendered file then replaces page 1 and makes new empty fields; the client
    signs its new field. Made with pyHanko's writer and signer."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    info = Issued.read(issued)
    earlier = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF", issued)[-2])
    writer = IncrementalPdfFileWriter(BytesIO(issued + b"startxref\n%d\n%%%%EOF\n" % earlier))
    page_ref = writer.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=FORGED_CONTENT))
    writer.update_container(page)
    pages = [p.indirect_reference.idnum for p in info.reader.pages]
    for party in ("client", "vendor"):
        _, value = info.field(party)
        box = tuple(int(float(v)) for v in value["/Rect"])
        on_page = pages.index(value.raw_get("/P").idnum)
        fields.append_signature_field(writer, fields.SigFieldSpec(party, box=box, on_page=on_page))
    form = writer.root["/AcroForm"]
    form["/SigFlags"] = generic.NumberObject(3)  # as docflow's own form has it
    writer.update_container(form)
    out = BytesIO()
    writer.write(out)
    meta = signers.PdfSignatureMetadata(field_name="client", md_algorithm="sha256")
    signed = signers.PdfSigner(meta, signer=signer).sign_pdf(
        IncrementalPdfFileWriter(BytesIO(out.getvalue())), existing_fields_only=True
    )
    data: bytes = signed.getvalue()
    return data


def _escape(data: bytes) -> bytes:
    return re.sub(rb"[()\\\r]", lambda m: b"\\%03o" % m.group()[0], data)


def signature_wrapping(issued: bytes, signer: Any) -> bytes:
    """A valid client signature whose hex /Contents is rewritten as a literal string of the
    same value, the freed half of the gap holding other bytes: no key needed."""
    signed = Signing(Issued.read(issued)).write(signer)
    a = signed.rindex(b"/Contents <") + len(b"/Contents ")
    b = signed.index(b">", a) + 1
    value = bytes.fromhex(signed[a + 1 : b - 1].decode())
    literal = b"(" + _escape(value) + b")\n% the annex now holds bytes the client never saw\n"
    return signed[:a] + literal.ljust(b - a, b" ") + signed[b:]


def literal_contents(tail: bool) -> Builder:
    """A valid signature whose hex /Contents is rewritten, in the same bytes, as a literal
    string that pyHanko's whole-file check (which assumes hex: 2 x length + 2 bytes) reads
    as covering the file; with `tail`, it reads as covering bytes after %%EOF that nobody
    signed. The signed bytes do not change, so the signature stays valid."""

    def build(issued: bytes, signer: Any) -> bytes:
        signed = Signing(Issued.read(issued)).write(signer)
        a = signed.rindex(b"/Contents <") + len(b"/Contents ")
        b = signed.index(b">", a) + 1
        cms = bytes.fromhex(signed[a + 1 : b - 1].decode()).rstrip(b"\0")
        body = _escape(cms)
        room = b - a - 2  # the literal's bytes between its parentheses
        # Padding NULs written raw (1 byte each), as \\0 (2) or \\000 (4), so that the
        # decoded length L makes 2L + 2 the gap plus the unsigned tail.
        extra = 64 if tail else 0
        raw = len(body) % 2
        long = (2 * len(cms) - len(body) + raw - extra) // 2
        short = (room - len(body) - raw - 4 * long) // 2
        literal = b"(" + body + b"\0" * raw + b"\\000" * long + b"\\0" * short + b")"
        assert len(literal) == b - a, (len(literal), b - a)
        out = signed[:a] + literal + signed[b:]
        if tail:  # bytes the signature does not cover, free to be rewritten later
            out += b"%" + b"u" * (extra - 2) + b"\n"
        return out

    return build


def non_cms_contents(issued: bytes, signer: Any) -> bytes:
    """A signing update whose /Contents is no CMS structure at all."""
    return Signing(Issued.read(issued)).write(signer, lambda data, _signer: b"not a CMS " * 40)


def docmdp_reference(issued: bytes, signer: Any) -> bytes:
    """The client's signature as a certification (DocMDP), locking later signatures out."""
    signing = Signing(Issued.read(issued))
    signing.sig_entries = (
        b"/Reference [<< /Type /SigRef /TransformMethod /DocMDP "
        b"/TransformParams << /Type /TransformParams /P 1 /V /1.2 >> >>] "
    )
    return signing.write(signer)


def stray_object(issued: bytes, signer: Any) -> bytes:
    """An extra object in the signing update that belongs to no part of the signature."""
    signing = Signing(Issued.read(issued))
    *_, free = signing.numbers()
    signing.extra = [(free, b"<< /Type /Annot /Subtype /FreeText /Contents (personal capacity) >>")]
    return signing.write(signer)


def page_annotation(issued: bytes, signer: Any) -> bytes:
    """A note added to the signature page: its page object rewritten with a new annotation."""
    info = Issued.read(issued)
    _, value = info.field("client")
    page_ref = value.raw_get("/P")
    page = page_ref.get_object()
    signing = Signing(info)
    *_, free = signing.numbers()
    annots = b" ".join(b"%d 0 R" % a.idnum for a in page["/Annots"]) + b" %d 0 R" % free
    note = (
        b"<< /Type /Annot /Subtype /FreeText /Rect [40 40 300 80] "
        b"/Contents (personal capacity only) /DA (/Helv 12 Tf 0 g) >>"
    )
    signing.extra = [(free, note), (page_ref.idnum, _dict(page, Annots=b"[" + annots + b"]"))]
    return signing.write(signer)


_ANCHOR = b"(docflow-anchor:1:" + b"0" * 64 + b")"
_XMP = b"<?xpacket begin=''?><x:xmpmeta xmlns:x='adobe:ns:meta/'/><?xpacket end='w'?>"

# name: (builder, words the refusal names)
ATTACKS: dict[str, tuple[Builder, str]] = {
    "orphaned-revision": (orphaned_revision, "does not descend from the issued document"),
    "duplicate-xref-table": (_duplicate_entry("table"), "twice"),
    "duplicate-xref-stream": (_duplicate_entry("stream"), "twice"),
    "literal-contents": (literal_contents(tail=False), "not exactly one hex string"),
    "literal-contents-unsigned-tail": (literal_contents(tail=True), "follow the last %%EOF"),
    "signature-wrapping": (signature_wrapping, "not exactly one hex string"),
    "non-cms-contents": (non_cms_contents, "not a CMS signature"),
    "appearance-over-printed-text": (_moved_over_label, "changes /Rect"),
    "blend-mode": (
        _appearance(b"<< /ExtGState << /G0 << /BM /Multiply >> >> >>", b"/G0 gs 0 0 10 10 re f"),
        "blend mode",
    ),
    "soft-mask": (
        _appearance(
            b"<< /ExtGState << /G0 << /SMask << /Type /Mask /S /Luminosity /G FREE >> >> >> >>",
            b"/G0 gs 0 0 10 10 re f",
            extra=1,
        ),
        "soft mask",
    ),
    "optional-content": (
        _appearance(b"<< /Properties << /OC0 FREE >> >>", b"/OC /OC0 BDC 0 0 9 9 re f EMC", 2),
        "optional content",
    ),
    "hidden-widget": (_with_field(F=6), "changes /F"),
    "print-only-widget": (_with_field(F=36), "changes /F"),
    "toggle-no-view-widget": (_with_field(F=388), "changes /F"),
    "rollover-only": (_ap(b"<< /N BLANK /R AP >>"), "rollover"),
    "down-appearance": (_ap(b"<< /N AP /D BLANK >>"), "rollover"),
    "state-only-appearance": (_ap(b"<< /N << /On AP /Off BLANK >> >>"), "appearance states"),
    "catalog-version": (_with_object("catalog", Version=b"/2.0"), "/Version"),
    "catalog-metadata": (
        _with_object(
            "catalog",
            new=b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream"
            % (len(_XMP), _XMP),
            Metadata=b"FREE",
        ),
        "/Metadata",
    ),
    # Issued documents are tagged (PDF/A-3a): the attack unmarks them.
    "catalog-markinfo": (_with_object("catalog", MarkInfo=b"<< /Marked false >>"), "/MarkInfo"),
    "catalog-extensions": (
        _with_object(
            "catalog", Extensions=b"<< /ADBE << /BaseVersion /1.7 /ExtensionLevel 8 >> >>"
        ),
        "/Extensions",
    ),
    "catalog-openaction": (
        _with_object("catalog", OpenAction=b"<< /S /JavaScript /JS (app.alert(1)) >>"),
        "/OpenAction",
    ),
    "acroform-dr": (_with_object("form", DR=b"<< /Font << >> >>"), "/DR"),
    "acroform-da": (_with_object("form", DA=b"(/Helv 0 Tf 0 g)"), "/DA"),
    "need-appearances": (_with_object("form", NeedAppearances=b"true"), "/NeedAppearances"),
    "info-title": (_with_object("info", Title=b"(Forged title)"), "/Title"),
    "info-fake-anchor": (_with_object("info", Keywords=_ANCHOR), "/Keywords"),
    "docmdp-reference": (docmdp_reference, "/Reference"),
    "object-stream-over-issued-object": (
        _structure_over_page_content("object-stream"),
        "of the issued document is used again",
    ),
    "xref-stream-over-issued-object": (
        _structure_over_page_content("xref-stream"),
        "of the issued document is used again",
    ),
    "stray-object": (stray_object, "no part of the signature"),
    "page-annotation": (page_annotation, "a Page"),
}


def build(name: str, issued: bytes, signer: Any) -> bytes:
    """The attack file `name` made from the `issued` PDF and the client's `signer`."""
    return ATTACKS[name][0](issued, signer)


__all__ = ["ATTACKS", "PLACEHOLDER", "build", "scan_with_hidden_signature"]
