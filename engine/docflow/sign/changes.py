"""What a signing update may change in the issued document: the party's field, and nothing else.

Compared object by object between the issued file and the signed one (both read by pypdf):

- the party's field (one field merged with its widget, as docflow issues it) gains /V, the
  signature dictionary, and may get a new /AP with one /N appearance stream; every other
  entry, its /Rect, /P page and /F flags included, stays as issued;
- the catalog, the AcroForm and its /Fields stay as issued, except the /Extensions entry
  /ESIC that PAdES signing declares; the document information keeps every entry but
  /ModDate and /Producer; an XMP metadata stream keeps every property but its dates, its
  producer and its instance id;
- every other object of the issued file is untouched, and every new object is part of the
  new signature or its appearance (numbered after the issued objects);
- the appearance uses no blend mode, soft mask or optional content (it must look the same
  on every screen and on paper).

Anything else raises IntegrityFailure naming it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from docflow.errors import IntegrityFailure
from docflow.sign.metadata import same_xmp
from docflow.sign.readers import plain
from docflow.sign.revisions import Revision

__all__ = ["NewSignature", "check_changes", "find_new_signature"]

_INFO_MAY_CHANGE = {"/ModDate", "/Producer"}
_ESIC = {
    "/ESIC": {
        "/Type": ("name", "/DeveloperExtensions"),
        "/BaseVersion": ("name", "/1.7"),
        "/ExtensionLevel": ("int", 1),
    }
}
_MAX_WALK = 20_000
# Keys that lead from an appearance back into the document rather than into its own parts.
_NOT_FOLLOWED = {"/Parent", "/P", "/Annots", "/Pages", "/StructParent", "/StructParents"}


@dataclass(frozen=True)
class NewSignature:
    """The signature dictionary the update added to the party's field."""

    number: int
    byte_range: Any
    contents: bytes


def _fail(message: str, party: str) -> IntegrityFailure:
    return IntegrityFailure(
        f"The signed PDF changes the issued document beyond the {party}'s signature: {message}."
    )


def find_new_signature(issued: Any, signed: Any, party: str) -> NewSignature:
    """The signature dictionary now in `party`'s field, which must be the only field of the
    issued form that became signed (`issued` and `signed` are pypdf readers)."""
    fields = _issued_fields(issued)
    if party not in fields:
        raise IntegrityFailure(
            f"The issued PDF has no empty signature field {party!r} as docflow issues them, "
            f"so it cannot take a signature by the {party}."
        )
    filled = [name for name, num in fields.items() if "/V" in signed.get_object(num)]
    if len(filled) != 1:
        raise IntegrityFailure(
            f"The signed PDF adds {len(filled)} signatures to the issued document; "
            f"exactly one, by the {party}, is accepted."
        )
    if filled != [party]:
        raise IntegrityFailure(
            f"The new signature sits in the field {filled[0]!r}, "
            f"not in the {party}'s field {party!r}."
        )
    field = signed.get_object(fields[party])
    ref = field.raw_get("/V")
    value = ref.get_object() if hasattr(ref, "idnum") else None
    if not isinstance(value, dict) or value.get("/Type", "/Sig") != "/Sig":
        raise _fail("its field's value is not a signature dictionary of its own", party)
    if "/Reference" in value:
        raise _fail(
            "it carries /Reference (a certification or field lock), which would restrict "
            "later signatures",
            party,
        )
    contents = value.get("/Contents")
    raw = getattr(contents, "original_bytes", contents)
    if not isinstance(raw, bytes):
        raise _fail("it has no /Contents string", party)
    return NewSignature(ref.idnum, value.get("/ByteRange"), bytes(raw))


def check_changes(issued: Any, signed: Any, revisions: list[Revision], party: str) -> None:
    """Check every object the `revisions` define against the `issued` file's objects
    (`issued` and `signed` are pypdf readers): only `party`'s field may change."""
    field = _issued_fields(issued)[party]
    roots = _roots(issued)
    changed: set[int] = set()
    for revision in revisions:
        changed |= revision.listed
        _check_trailer_refs(revision, issued, party)
    existing = {n for n in changed if _exists(issued, n)}
    for num in sorted(existing - {field}):
        _check_existing(issued, signed, num, roots, party)
    signature, appearance = _check_field(issued.get_object(field), signed.get_object(field), party)
    size = issued.trailer.get("/Size", 0)
    new = changed - existing
    # Object and cross-reference streams are structure, yet their numbers are objects too.
    structure = set().union(*(r.containers for r in revisions))
    for num in sorted(new | structure):
        if num < size or _exists(issued, num):
            raise _fail(f"object number {num} of the issued document is used again", party)
    used = _reachable(signed, [signature, appearance, *_new_info(issued, signed, party)], party)
    stray = sorted(new - used)
    if stray:
        raise _fail(f"object {stray[0]} is added but is no part of the signature", party)
    _check_appearance(signed, appearance, party)


def _issued_fields(issued: Any) -> dict[str, int]:
    """The issued form's empty signature fields, each one field merged with its widget."""
    form = issued.root_object.get("/AcroForm")
    found: dict[str, int] = {}
    for ref in form.get_object().get("/Fields", []) if form is not None else []:
        value = ref.get_object()
        if (
            hasattr(ref, "idnum")
            and value.get("/FT") == "/Sig"
            and "/V" not in value
            and "/Kids" not in value
        ):
            found[str(value.get("/T"))] = ref.idnum
    return found


def _roots(issued: Any) -> dict[int, str]:
    """The issued objects a signing update may rewrite, by number, with what they are."""
    found: dict[int, str] = {}
    trailer = issued.trailer
    root = trailer.raw_get("/Root")
    found[root.idnum] = "catalog"
    if "/Info" in trailer and hasattr(trailer.raw_get("/Info"), "idnum"):
        found[trailer.raw_get("/Info").idnum] = "info"
    catalog = issued.root_object
    for key, what in (("/AcroForm", "form"), ("/Metadata", "metadata")):
        if hasattr(catalog.raw_get(key) if key in catalog else None, "idnum"):
            found[catalog.raw_get(key).idnum] = what
    form = catalog.get("/AcroForm")
    if form is not None and hasattr(form.get_object().raw_get("/Fields"), "idnum"):
        found[form.get_object().raw_get("/Fields").idnum] = "fields"
    return found


def _exists(issued: Any, num: int) -> bool:
    """Whether object `num` is in use in the issued file."""
    return num in issued.xref.get(0, {}) or num in issued.xref_objStm


def _check_trailer_refs(revision: Revision, issued: Any, party: str) -> None:
    """Each update's trailer names the issued catalog and (if any) document information."""
    trailer = revision.trailer
    for key in ("/Root", "/Info"):
        if key not in trailer:
            if key == "/Root":
                raise _fail(f"the update at byte {revision.start} names no catalog", party)
            continue
        if key in issued.trailer and plain(trailer.raw_get(key)) != plain(
            issued.trailer.raw_get(key)
        ):
            raise _fail(f"the update at byte {revision.start} names another {key[1:]}", party)


def _check_existing(issued: Any, signed: Any, num: int, roots: dict[int, str], party: str) -> None:
    """An issued object the updates define again: only a few, and only as allowed."""
    what = roots.get(num)
    before, after = plain(issued.get_object(num)), plain(signed.get_object(num))
    if what == "info" and isinstance(after, dict) and isinstance(before, dict):
        keys = sorted(
            k
            for k in (set(before) | set(after)) - _INFO_MAY_CHANGE
            if before.get(k) != after.get(k)
        )
        if keys:
            raise _fail(f"the document information's {', '.join(keys)} changed", party)
        return
    if what == "metadata":
        if not same_xmp(issued.get_object(num), signed.get_object(num)):
            raise _fail("the XMP metadata changed beyond its dates and producer", party)
        return
    # PAdES signing declares itself with this extension (ETSI EN 319 142-1).
    pades = isinstance(after, dict) and after.get("/Extensions") == _ESIC
    if what == "catalog" and pades and isinstance(before, dict) and "/Extensions" not in before:
        after = {k: v for k, v in after.items() if k != "/Extensions"}
    if before != after:
        names = {"catalog": "the catalog", "form": "the AcroForm", "fields": "the form's /Fields"}
        name = names.get(what or "", f"object {num} ({_describe(issued.get_object(num))})")
        raise _fail(f"{name} is modified{_differing_keys(before, after)}", party)


def _differing_keys(before: Any, after: Any) -> str:
    if isinstance(before, dict) and isinstance(after, dict):
        keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        return f": {', '.join(keys)}" if keys else ""
    return ""


def _describe(value: Any) -> str:
    kind = value.get("/Type") if hasattr(value, "get") else None
    return f"a {kind[1:]}" if isinstance(kind, str) else f"a {type(value).__name__}"


def _check_field(before: Any, after: Any, party: str) -> tuple[Any, Any]:
    """Only /V added and /AP replaced; returns the /V and /AP /N references."""
    old, new = plain(before), plain(after)
    keys = sorted(k for k in (set(old) | set(new)) - {"/V", "/AP"} if old.get(k) != new.get(k))
    if keys:
        raise _fail(
            f"its field changes {', '.join(keys)} (the field moved, hidden or restyled)", party
        )
    appearances: Any = after.get("/AP")
    if not hasattr(appearances, "raw_get") or set(appearances) != {"/N"}:
        raise _fail(
            "its appearance is not one normal (/N) appearance (a rollover or down "
            "appearance, or none)",
            party,
        )
    normal = appearances.raw_get("/N")
    if not hasattr(normal, "idnum") or not hasattr(normal.get_object(), "get_data"):
        raise _fail("its normal appearance is not one appearance stream (appearance states)", party)
    return after.raw_get("/V"), normal


def _new_info(issued: Any, signed: Any, party: str) -> list[Any]:
    """A document information dictionary a signing tool made where the issued file had none."""
    if "/Info" in issued.trailer or "/Info" not in signed.trailer:
        return []
    info = signed.trailer.raw_get("/Info")
    if not hasattr(info, "idnum") or set(info.get_object()) - _INFO_MAY_CHANGE:
        raise _fail("document information is added", party)
    return [info]


def _reachable(reader: Any, starts: Iterable[Any], party: str) -> set[int]:
    """Object numbers reachable from `starts` (references), not following links back up."""
    todo = list(starts)
    seen: set[int] = set()
    while todo:
        value = todo.pop()
        if hasattr(value, "idnum"):
            if value.idnum in seen:
                continue
            if len(seen) >= _MAX_WALK:
                raise _fail("its objects are too many to check", party)
            seen.add(value.idnum)
            value = value.get_object()
        if isinstance(value, dict):
            todo.extend(v for k, v in dict.items(value) if k not in _NOT_FOLLOWED)
        elif isinstance(value, list):
            todo.extend(list.__iter__(value))
    return seen


def _check_appearance(reader: Any, appearance: Any, party: str) -> None:
    """No blend mode, soft mask or optional content anywhere in the appearance."""
    for num in sorted(_reachable(reader, [appearance], party)):
        for item in _dictionaries(reader.get_object(num)):
            blend = item.get("/BM")
            modes = list(blend) if isinstance(blend, list) else [blend]
            if any(mode not in (None, "/Normal", "/Compatible") for mode in modes):
                raise _fail(f"its appearance uses the blend mode {blend}", party)
            if item.get("/SMask") not in (None, "/None") or item.get("/SMaskInData", 0):
                raise _fail("its appearance uses a soft mask", party)
            if "/OC" in item or item.get("/Type") in ("/OCG", "/OCMD"):
                raise _fail(
                    "its appearance is optional content, shown or hidden by viewer settings",
                    party,
                )


def _dictionaries(value: Any) -> Iterable[Any]:
    """`value` and the direct dictionaries inside it."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            yield item
            todo.extend(v for v in dict.values(item) if not hasattr(v, "idnum"))
        elif isinstance(item, list):
            todo.extend(v for v in list.__iter__(item) if not hasattr(v, "idnum"))
