"""Signing updates written by hand, for the attack files of pdf_attack_cases.py.

An attack needs every byte of the signing update in its hands (which cross-reference
entries, which string syntax, which objects), yet a real, valid signature over the result:
``Update`` writes an incremental update, ``Signing`` the pieces of a client's signing
update, and ``sign_placeholder`` fills the signature dictionary's placeholder with a CMS
signature made by pyHanko over the file's final bytes, so pyHanko finds it intact and
valid. ``scan_with_hidden_signature`` makes a scanned page whose signature no form lists.
"""

from __future__ import annotations

import asyncio
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

PLACEHOLDER = 8192  # bytes reserved for the CMS signature
_BYTE_RANGE = b"/ByteRange [0 0000000000 0000000000 0000000000]"
FORGED_CONTENT = b"q 1 0 0 rg 40 500 500 200 re f BT /F1 1 Tf ET Q"


def load_signer(p12: bytes, password: bytes) -> Any:
    """pyHanko's signer for a PKCS#12 archive."""
    from pyhanko.sign import signers

    return signers.SimpleSigner.load_pkcs12_data(p12, other_certs=(), passphrase=password)


def _now() -> bytes:
    """The signing time a reader writes in /M: now, in PDF date syntax."""
    import datetime as dt

    return dt.datetime.now(dt.UTC).strftime("D:%Y%m%d%H%M%SZ").encode()


def _pdf(value: Any) -> bytes:
    """pypdf's serialisation of one object."""
    out = BytesIO()
    value.write_to_stream(out)
    return out.getvalue()


@dataclass
class Issued:
    """What a signing update needs to know about the issued file (read with pypdf)."""

    data: bytes
    reader: Any
    size: int
    startxref: int

    @classmethod
    def read(cls, data: bytes) -> Issued:
        from pypdf import PdfReader

        reader = PdfReader(BytesIO(data))
        startxref = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF", data)[-1])
        return cls(data, reader, int(reader.trailer["/Size"]), startxref)

    def field(self, party: str) -> tuple[int, Any]:
        for ref in self.reader.root_object["/AcroForm"]["/Fields"]:
            if ref.get_object()["/T"] == party:
                return ref.idnum, ref.get_object()
        raise KeyError(party)

    def ref(self, key: str) -> int:
        return int(self.reader.trailer.raw_get(key).idnum)


@dataclass
class Update:
    """One incremental update written by hand: objects, then a table or a stream section."""

    issued: Issued
    objects: list[tuple[int, bytes]] = field(default_factory=list)
    kind: str = "stream"
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    trailer: bytes = b""
    prefix: bytes = b""
    prev: int | None = None
    packed: list[tuple[int, int, int]] = field(default_factory=list)  # (number, stream, index)
    xref_number: int | None = None  # the cross-reference stream's own number, listed too

    def write(self, base: bytes) -> bytes:
        out = bytearray(base + self.prefix)
        entries: list[tuple[int, int]] = []
        for num, body in self.objects:
            entries.append((num, len(out)))
            out += b"%d 0 obj\n%s\nendobj\n" % (num, body)
        entries = sorted(entries) + self.duplicates  # ascending, as pyHanko expects
        size = max([self.issued.size, *(n + 1 for n, _ in entries)]) + 1
        if self.xref_number is not None:
            entries = sorted([*entries, (self.xref_number, -1)])
        root, info = self.issued.ref("/Root"), self.issued.ref("/Info")
        prev = self.prev if self.prev is not None else self.issued.startxref
        common = b"/Size %d /Root %d 0 R /Info %d 0 R /Prev %d %s" % (
            size,
            root,
            info,
            prev,
            self.trailer,
        )
        start = len(out)
        entries = [(n, start if o == -1 else o) for n, o in entries]
        xref_number = self.xref_number if self.xref_number is not None else size - 1
        if self.kind == "table":
            out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n\r\n" % e for e in entries)
            out += b"trailer\n<< " + common + b" >>\n"
        else:
            rows = b"".join(b"\x01" + o.to_bytes(4, "big") + b"\0\0" for _, o in entries)
            rows += b"".join(
                b"\x02" + s.to_bytes(4, "big") + i.to_bytes(2, "big") for _, s, i in self.packed
            )
            numbers = [n for n, _ in entries] + [n for n, _, _ in self.packed]
            index = b" ".join(b"%d 1" % n for n in numbers)
            data = zlib.compress(rows)
            out += b"%d 0 obj\n<< /Type /XRef /W [1 4 2] /Index [%s] %s" % (
                xref_number,
                index,
                common,
            )
            out += b"/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
                len(data),
                data,
            )
        out += b"startxref\n%d\n%%%%EOF\n" % start
        return bytes(out)


def sign_placeholder(
    data: bytes, signer: Any, make_cms: Callable[[bytes, Any], bytes] | None = None
) -> bytes:
    """Fill the last signature dictionary's placeholder: its /ByteRange for the file as it
    is, and a CMS signature by `signer` over those bytes (or what `make_cms` makes)."""
    at = data.rindex(_BYTE_RANGE)
    a = data.index(b"/Contents <", at) + len(b"/Contents ")
    b = data.index(b">", a) + 1
    byte_range = b"/ByteRange [0 %010d %010d %010d]" % (a, b, len(data) - b)
    data = data[:at] + byte_range + data[at + len(byte_range) :]
    cms = (make_cms or make_signature)(data[:a] + data[b:], signer)
    hexed = cms.hex().encode().ljust(b - a - 2, b"0")
    return data[: a + 1] + hexed + data[b - 1 :]


def make_signature(signed_bytes: bytes, signer: Any) -> bytes:
    """A CMS signature (DER) by `signer` over `signed_bytes`, made by pyHanko."""
    import hashlib

    digest = hashlib.sha256(signed_bytes).digest()
    info = asyncio.run(signer.async_sign(data_digest=digest, digest_algorithm="sha256"))
    return bytes(info.dump())


@dataclass
class Signing:
    """The client's signing update, piece by piece, before it is written and signed."""

    issued: Issued
    party: str = "client"
    appearance: bytes = b"q 0 0 0.6 rg BT /F1 9 Tf 4 20 Td (Client Signer) Tj ET Q"
    resources: bytes = b"<< >>"
    sig_entries: bytes = b""
    contents: bytes = b"<" + b"0" * (2 * PLACEHOLDER) + b">"
    field_edit: Callable[[Any], None] | None = None
    ap: bytes | None = None  # the field's whole /AP value, when the attack shapes it
    extra: list[tuple[int, bytes]] = field(default_factory=list)
    update: Update | None = None

    def numbers(self) -> tuple[int, int, int]:
        """Object numbers of the signature dictionary, the appearance and the next free one."""
        return self.issued.size, self.issued.size + 1, self.issued.size + 2

    def objects(self) -> list[tuple[int, bytes]]:
        from pypdf.generic import DictionaryObject, IndirectObject, NameObject

        sig, ap, _ = self.numbers()
        num, value = self.issued.field(self.party)
        widget = DictionaryObject(value)
        widget[NameObject("/V")] = IndirectObject(sig, 0, self.issued.reader)
        widget[NameObject("/AP")] = DictionaryObject(
            {NameObject("/N"): IndirectObject(ap, 0, self.issued.reader)}
        )
        if self.field_edit is not None:
            self.field_edit(widget)
        body = _pdf(widget)
        if self.ap is not None:
            body = body.replace(b"/AP <<\n/N %d 0 R\n>>" % ap, b"/AP " + self.ap)
        rect = [float(v) for v in value["/Rect"]]
        width, height = rect[2] - rect[0], rect[3] - rect[1]
        return [
            (num, body),
            (
                sig,
                b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
                b"/M (" + _now() + b") " + self.sig_entries + _BYTE_RANGE + b" /Contents "
                b"" + self.contents + b" >>",
            ),
            (
                ap,
                b"<< /Type /XObject /Subtype /Form /BBox [0 0 %.3f %.3f] /Resources %s "
                b"/Length %d >>\nstream\n%s\nendstream"
                % (width, height, self.resources, len(self.appearance), self.appearance),
            ),
            *self.extra,
        ]

    def write(self, signer: Any, make_cms: Callable[[bytes, Any], bytes] | None = None) -> bytes:
        update = self.update or Update(self.issued)
        update.objects = self.objects() + update.objects
        return sign_placeholder(update.write(self.issued.data), signer, make_cms)


def scan_with_hidden_signature(escaped: bool) -> bytes:
    """A scanned page (an image PDF) with an update holding a signature dictionary that no
    form field lists; with `escaped`, its names #-escaped inside a compressed object stream,
    so that no byte of the file reads /ByteRange or /Type /Sig."""
    import zlib

    from PIL import Image

    page = BytesIO()
    Image.new("RGB", (60, 40), (250, 250, 245)).save(page, format="PDF")
    base = page.getvalue()
    size = int(re.findall(rb"/Size (\d+)", base)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", base)[-1]
    prev = int(re.findall(rb"startxref\s+(\d+)", base)[-1])
    names = (b"Typ#65", b"Si#67", b"ByteRang#65") if escaped else (b"Type", b"Sig", b"ByteRange")
    sig = b"<< /%s /%s /Filter /Adobe.PPKLite /%s [0 10 20 30] /Contents <3082> >>" % names
    out = bytearray(base)
    if not escaped:
        at = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (size, sig)
        xref = len(out)
        out += b"xref\n%d 1\n%010d 00000 n\r\n" % (size, at)
        out += b"trailer\n<< /Size %d /Root %s /Prev %d >>\n" % (size + 1, root, prev)
        return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)
    head = b"%d 0 " % size
    packed = zlib.compress(head + sig)
    at = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\n" % (
        size + 1,
        len(head),
        len(packed),
    )
    out += b"stream\n" + packed + b"\nendstream\nendobj\n"
    rows = (
        b"\x02"
        + (size + 1).to_bytes(4, "big")
        + b"\0\0"
        + b"\x01"
        + at.to_bytes(4, "big")
        + b"\0\0"
    )
    data = zlib.compress(rows)
    xref = len(out)
    out += b"%d 0 obj\n<< /Type /XRef /W [1 4 2] /Index [%d 2] /Size %d /Root %s /Prev %d " % (
        size + 2,
        size,
        size + 3,
        root,
        prev,
    )
    out += b"/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        len(data),
        data,
    )
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)
