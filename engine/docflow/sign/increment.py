"""pypdf's incremental writer, reading only the objects an update touches.

``PdfWriter(reader, incremental=True)`` parses and copies every object of the file (a
tagged PDF/A has a thousand structure elements) and hashes each one, so that it can write
those that changed. Adding signature fields touches a handful: the catalog, the page tree,
the pages, the form and the document information. :class:`LazyIncrementalWriter` copies
an object from the reader the first time the writer is asked for it, and hashes it then,
so the objects never asked for are neither read nor written, as pypdf would not write them
either (they cannot have changed). The update is written by pypdf's own code: the bytes are
those of ``PdfWriter(reader, incremental=True)``, checked against it in
tests/sign/test_sign_fields.py. pypdf is imported with this module: import it only where
fields are written.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import IndirectObject, PdfObject

__all__ = ["LazyIncrementalWriter"]


class LazyIncrementalWriter(PdfWriter):
    """An incremental ``PdfWriter`` of ``reader`` that copies objects when first used."""

    def __init__(self, reader: PdfReader) -> None:
        self._lazy_reader = reader
        super().__init__(reader, incremental=True)

    def _collect_incremental_clone_object_ids(self, reader: PdfReader) -> list[int]:
        """The writer's object table is as long as pypdf makes it (the highest object number
        listed, after pypdf's limits on count and number); copied now are the catalog and
        the document information, which pypdf clones from the reader rather than asking the
        writer for them (a clone of an object not yet copied would become a new object)."""
        listed = super()._collect_incremental_clone_object_ids(reader)
        if not listed:
            return listed
        first = {listed[-1]}
        for key in ("/Root", "/Info"):
            ref = reader.trailer.raw_get(key) if key in reader.trailer else None
            if isinstance(ref, IndirectObject) and 0 < ref.idnum <= listed[-1]:
                first.add(ref.idnum)
        return sorted(first)

    def get_object(self, indirect_reference: int | IndirectObject) -> PdfObject:
        """The object, copied from the reader (and hashed as unchanged) on first use."""
        idnum = (
            indirect_reference if isinstance(indirect_reference, int) else indirect_reference.idnum
        )
        if 0 < idnum <= len(self._objects) and self._objects[idnum - 1] is None:
            self._copy(idnum)
        return super().get_object(indirect_reference)

    def _copy(self, idnum: int) -> None:
        """Copy object ``idnum`` from the reader; once pypdf has hashed the objects it
        copied itself (right after copying them), hash this one as pypdf would have."""
        if idnum > len(self._original_hash) and self._original_hash:
            return  # a number given out after the reader's (pypdf keeps those None too)
        original: Any = self._lazy_reader.get_object(idnum)
        if original is None:
            return
        copy = original.replicate(self)
        self._objects[idnum - 1] = copy
        if self._original_hash:
            self._original_hash[idnum - 1] = copy.hash_bin()
