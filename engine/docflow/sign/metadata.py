"""Comparing a document's XMP metadata before and after a signature.

Signing tools rewrite the XMP stream of a PDF that has one (pyHanko does, to stamp its
modification date and producer), often in another serialisation: the same property may
move from an attribute of ``rdf:Description`` to an element. So the packets are compared
as sets of (property, value) pairs, where the value is the text of the property with its
language tags, and only the dates of modification, the producer and the instance id may
differ.
"""

from __future__ import annotations

from typing import Any

__all__ = ["same_xmp"]

_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_MAY_CHANGE = {
    "{http://ns.adobe.com/xap/1.0/}ModifyDate",
    "{http://ns.adobe.com/xap/1.0/}MetadataDate",
    "{http://ns.adobe.com/pdf/1.3/}Producer",
    "{http://ns.adobe.com/xap/1.0/mm/}InstanceID",
}
_MAX_XMP = 1 << 20


def same_xmp(before: Any, after: Any) -> bool:
    """Whether two XMP metadata streams (pypdf objects) state the same properties."""
    if before.get("/Type") != after.get("/Type") or before.get("/Subtype") != after.get("/Subtype"):
        return False
    old, new = _properties(before), _properties(after)
    return old is not None and old == new


def _properties(stream: Any) -> set[tuple[str, str]] | None:
    """The packet's properties, or None when it cannot be read."""
    from xml.etree import ElementTree

    from docflow.sign._pypdf import pypdf_errors

    errors: tuple[type[BaseException], ...] = (ElementTree.ParseError, *pypdf_errors())
    try:
        data = stream.get_data()
        if len(data) > _MAX_XMP:
            return None
        # expat (2.4 and later) refuses entity expansion bombs; XMP has no DTD anyway.
        root = ElementTree.fromstring(data)
    except errors:
        return None
    found: set[tuple[str, str]] = set()
    for description in root.iter(f"{_RDF}Description"):
        for name, value in description.attrib.items():
            if not name.startswith(_RDF) and name not in _MAY_CHANGE:
                found.add((name, value.strip()))
        for child in description:
            if child.tag not in _MAY_CHANGE:
                found.add((child.tag, _text(child)))
    return found


def _text(element: Any) -> str:
    """The text of a property and everything inside it, with language tags, in order."""
    parts = []
    for item in element.iter():
        lang = item.attrib.get(_XML_LANG)
        text = (item.text or "").strip()
        if text or lang:
            parts.append(f"{lang}:{text}" if lang else text)
    return "|".join(parts)
