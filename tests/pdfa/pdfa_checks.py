"""Structural PDF/A-3a checks with pikepdf, reusable by any test: ``pdfa_problems(pdf, ...)``.

Each check reads the file as a validator would and returns what is wrong as sentences (an
empty list means every check passed). They cover what ISO 19005-3 level A asks of the files
docflow writes; README.md ("PDF/A") lists what they do not cover (veraPDF is not available).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pikepdf

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
# ISO 32000-1 14.8.4: the standard structure types (anything else needs a RoleMap entry).
STANDARD_TYPES = set(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
ALLOWED_FONT_FILES = {"/FontFile", "/FontFile2", "/FontFile3"}


def xmp_properties(pdf: pikepdf.Pdf) -> dict[str, str]:
    """The simple XMP properties as ``prefix:name`` -> text (language alternatives: x-default)."""
    packet = pdf.Root.Metadata.read_bytes()
    root = ET.fromstring(packet[packet.index(b"<x:xmpmeta") : packet.rindex(b"</x:xmpmeta>") + 12])
    prefixes = {uri: prefix for prefix, uri in NS.items()}
    out: dict[str, str] = {}
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        for key, value in description.attrib.items():
            uri, _, name = key[1:].partition("}")
            if uri in prefixes and prefixes[uri] != "rdf":
                out[f"{prefixes[uri]}:{name}"] = value
        for child in description:
            uri, _, name = child.tag[1:].partition("}")
            items = list(child.iter(f"{{{NS['rdf']}}}li"))
            out[f"{prefixes.get(uri, uri)}:{name}"] = (
                items[0].text or "" if items else child.text or ""
            )
    return out


def _pdf_date(value: str) -> dt.datetime | str:
    """A PDF date (D:YYYYMMDDHHmmSS with Z or +hh'mm') as an aware datetime."""
    m = re.fullmatch(r"D:(\d{14})(Z|[+-]\d\d'\d\d'?)", value)
    if not m:
        return f"unparsable {value!r}"
    zone = "+00:00" if m[2] == "Z" else m[2][:3] + ":" + m[2][4:6]
    return dt.datetime.strptime(m[1] + zone, "%Y%m%d%H%M%S%z")


def _xmp_date(value: str) -> dt.datetime | str:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return f"unparsable {value!r}"


def _metadata(pdf: pikepdf.Pdf) -> Iterator[str]:
    if "/Metadata" not in pdf.Root:
        yield "no XMP metadata stream in the catalog"
        return
    stream = pdf.Root.Metadata
    if stream.get("/Type") != "/Metadata" or stream.get("/Subtype") != "/XML":
        yield "the metadata stream is not /Type /Metadata /Subtype /XML"
    if "/Filter" in stream:
        yield "the metadata stream is compressed (keep XMP readable without a PDF parser)"
    xmp = xmp_properties(pdf)
    if (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")) != ("3", "A"):
        yield f"XMP claims pdfaid part {xmp.get('pdfaid:part')} {xmp.get('pdfaid:conformance')}"
    info = pdf.trailer.get("/Info") or {}
    pairs = {
        "/Title": "dc:title",
        "/Author": "dc:creator",
        "/Subject": "dc:description",
        "/Keywords": "pdf:Keywords",
        "/Producer": "pdf:Producer",
        "/Creator": "xmp:CreatorTool",
    }
    # ISO 19005-3 6.6.2.3.1: an Info entry needs an equivalent XMP property (not conversely).
    for key, prop in pairs.items():
        if key in info and str(info[key]) != xmp.get(prop):
            yield f"Info {key} {str(info[key])!r} differs from XMP {prop} {xmp.get(prop)!r}"
    for key, prop in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if key in info and _pdf_date(str(info[key])) != _xmp_date(xmp.get(prop, "")):
            yield f"Info {key} {info[key]} differs from XMP {prop} {xmp.get(prop)}"


def _output_intent(pdf: pikepdf.Pdf) -> Iterator[str]:
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFA1"]
    if len(intents) != 1:
        yield f"{len(intents)} GTS_PDFA1 output intents (one expected)"
        return
    profile = intents[0].get("/DestOutputProfile")
    if profile is None or int(profile.get("/N", 0)) != 3:
        yield "the output intent has no RGB ICC profile"
    elif profile.read_bytes()[36:40] != b"acsp":
        yield "the output intent profile is not an ICC profile"


def _resources(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every resource dictionary: pages, form XObjects, annotation appearances."""
    seen: set[tuple[int, int]] = set()
    pending: list[Any] = []
    for page in pdf.pages:
        pending.append(page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots", []):
            for appearance in (annot.get("/AP") or {}).values():
                pending.append(
                    appearance.get("/Resources") if isinstance(appearance, pikepdf.Stream) else None
                )
    while pending:
        resources = pending.pop()
        if resources is None or (resources.is_indirect and resources.objgen in seen):
            continue
        if resources.is_indirect:
            seen.add(resources.objgen)
        yield resources
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                pending.append(xobject.get("/Resources"))


def _fonts(pdf: pikepdf.Pdf) -> Iterator[str]:
    for resources in _resources(pdf):
        for name, font in (resources.get("/Font") or {}).items():
            base = str(font.get("/BaseFont", name))
            if "/ToUnicode" not in font:
                yield f"font {base} has no ToUnicode map (level A needs one)"
            if font.get("/Subtype") == "/Type3":
                continue
            target = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
            descriptor = target.get("/FontDescriptor") or {}
            if not ALLOWED_FONT_FILES & set(descriptor.keys()):
                yield f"font {base} is not embedded"
            if target.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in target:
                yield f"font {base} (CIDFontType2) has no CIDToGIDMap"


def _transparency(pdf: pikepdf.Pdf) -> Iterator[str]:
    for page in pdf.pages:
        group = page.obj.get("/Group")
        if group is not None and group.get("/S") == "/Transparency":
            yield "a page has a transparency group"
    for resources in _resources(pdf):
        for state in (resources.get("/ExtGState") or {}).values():
            for key in ("/CA", "/ca"):
                if key in state and float(state[key]) != 1:
                    yield f"an ExtGState sets {key} {state[key]}"
            if state.get("/SMask", pikepdf.Name.None_) != pikepdf.Name.None_:
                yield "an ExtGState has a soft mask"
            if state.get("/BM", pikepdf.Name.Normal) not in (
                pikepdf.Name.Normal,
                pikepdf.Name.Compatible,
            ):
                yield f"an ExtGState has blend mode {state.get('/BM')}"
        for xobject in (resources.get("/XObject") or {}).values():
            if "/SMask" in xobject or "/SMaskInData" in xobject:
                yield "an image has a soft mask"


def _forbidden(pdf: pikepdf.Pdf, raw: bytes) -> Iterator[str]:
    if not re.match(rb"%PDF-1\.[4-7]\r?\n%[\x80-\xff]{4}", raw):
        yield "the header is not %PDF-1.x followed by a binary comment"
    if "/Encrypt" in pdf.trailer:
        yield "the file is encrypted"
    ident = pdf.trailer.get("/ID")
    if ident is None or len(ident) != 2:
        yield "the trailer has no file identifier"
    names = pdf.Root.get("/Names") or {}
    if "/JavaScript" in names or "/OpenAction" in pdf.Root or "/AA" in pdf.Root:
        yield "the catalog has actions or JavaScript"
    if "/OCProperties" in pdf.Root:
        yield "the file has optional content"
    form = pdf.Root.get("/AcroForm")
    if form is not None and (bool(form.get("/NeedAppearances", False)) or "/XFA" in form):
        yield "the form asks for regenerated appearances or has XFA"
    for index, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots", []):
            flags = int(annot.get("/F", 0))
            if not flags & 4 or flags & (1 | 2 | 32):
                yield f"page {index}: annotation {annot.get('/T', '')} is not printable (F={flags})"
            appearance = annot.get("/AP")
            if annot.get("/Subtype") != "/Popup" and (
                appearance is None or set(appearance.keys()) != {"/N"}
            ):
                yield f"page {index}: annotation {annot.get('/T', '')} needs an /AP with only /N"


def _associated_files(pdf: pikepdf.Pdf, data: bytes | None) -> Iterator[str]:
    files = list(pdf.Root.get("/AF", []))
    tree = (
        pikepdf.NameTree(pdf.Root.Names.EmbeddedFiles)
        if "/Names" in pdf.Root and "/EmbeddedFiles" in pdf.Root.Names
        else {}
    )
    if data is None:
        return
    specs = [f for f in files if str(f.get("/UF", "")) == "data.json"]
    if len(specs) != 1 or len(files) != len({f.objgen for f in files}):
        yield f"catalog /AF lists data.json {len(specs)} times among {len(files)} entries"
        return
    spec = specs[0]
    if "data.json" not in tree or tree["data.json"].objgen != spec.objgen:
        yield "data.json is not in the EmbeddedFiles name tree"
    if spec.get("/AFRelationship") != "/Data" or str(spec.get("/F", "")) != "data.json":
        yield "data.json is not AFRelationship /Data with /F and /UF"
    stream = spec.EF.F
    if stream.get("/Subtype") != "/application/json":
        yield f"data.json has MIME type {stream.get('/Subtype')}"
    if "/ModDate" not in (stream.get("/Params") or {}):
        yield "data.json has no modification date"
    if stream.read_bytes() != data:
        yield "the embedded data.json differs from the stored snapshot"


def pdfa_problems(pdf_bytes: bytes, *, locale: str, data: bytes | None = None) -> list[str]:
    """Everything these checks find wrong with ``pdf_bytes`` as a PDF/A-3a file.

    ``locale`` is the /Lang expected; ``data``, when given, the data.json it must carry.
    """
    from tagged_checks import structure_problems

    problems: list[str] = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        problems += [f"qpdf: {p}" for p in pdf.check_pdf_syntax()]
        if str(pdf.Root.get("/Lang", "")) != locale:
            problems.append(f"/Lang is {pdf.Root.get('/Lang')!r}, not {locale!r}")
        for check in (_metadata, _output_intent, _fonts, _transparency):
            problems += list(check(pdf))
        problems += list(_forbidden(pdf, pdf_bytes))
        problems += list(_associated_files(pdf, data))
        problems += structure_problems(pdf)
    return problems
