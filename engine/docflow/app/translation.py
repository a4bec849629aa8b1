"""A copy of an issued document in the project's other language, for those who read that one.

The translation is made from the very data the version was issued with (its stored snapshot):
the project's data is the same in any language, only the prose and the labels come from the
other locale's templates. It is a convenience, never the binding version: every page's
running header says so, the first page names the version it translates and the language that
binds, it has no signature fields, and it is neither numbered nor recorded as a version. Its
files go to ``documents/translations/<id>-v<version>.<locale>.pdf|.docx``.

The snapshot holds the data as JSON; templates need it typed (dates, amounts). The typed data
is rebuilt from the snapshot (project data and requirements validated again, figures derived
again from the changes in force then) and must read exactly as the snapshot, or nothing is
written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docflow.documents.identity import translation_files
from docflow.errors import Conflict, EnvironmentProblem, InvalidInput
from docflow.runtime.result import Result
from docflow.runtime.session import LIVE, Session
from docflow.runtime.workspace import atomic_write

if TYPE_CHECKING:
    from docflow.documents.snapshot import StoredSnapshot
    from docflow.store.base import DocumentRow

__all__ = ["Translation", "marks", "snapshot_context", "translate"]

_MARK = {
    "zh-CN": {
        "header": "译本 仅供参考",
        "note": "本文件为 {number} V{version}（{source}）的译本，仅供参考；以{language}版为准。",
        "languages": {"zh-CN": "中文", "en": "英文"},
    },
    "en": {
        "header": "Convenience translation",
        "note": "Convenience translation of {number} v{version} ({source}). "
        "The {source} version is binding.",
        "languages": {"zh-CN": "Chinese", "en": "English"},
    },
}


@dataclass(frozen=True)
class Translation(Result):
    """A convenience translation written into the workspace (never binding, never signed)."""

    id: str
    version: int
    locale: str
    source_locale: str
    binding: bool
    files: Mapping[str, str]


def snapshot_context(session: Session, doc: DocumentRow, stored: StoredSnapshot) -> dict[str, Any]:
    """The typed template context ``doc`` was issued with, rebuilt from its snapshot.

    Conflict when the rebuilt data does not read exactly as the snapshot (data the version
    was made from that docflow cannot type again).
    """
    from docflow.app.subjects import find_subject
    from docflow.changes.annex import CHANGE
    from docflow.changes.figures import ChangeEffect, document_figures
    from docflow.documents.freshness import compare
    from docflow.spec.project import ProjectData, Requirement
    from docflow.store.chain import jsonable

    old = stored.context
    data = ProjectData.model_validate(old["p"])
    requirements = [Requirement.model_validate(r) for r in old.get("requirements") or []]
    in_force = {c["id"] for c in old.get("changes") or [] if c.get("status") == "effective"}
    ledger = session.ledger
    effective = [
        ChangeEffect.of(c.cr_id, c.annex, ledger.spec_of(c))
        for c in ledger.changes
        if c.cr_id in in_force
    ]
    subject = find_subject(session, doc, stored.meta.subject)
    pending = None
    if subject is not None and subject.kind == CHANGE:
        pending = ChangeEffect.of_context(subject.data)
    context: dict[str, Any] = {
        "p": data.model_dump(mode="python"),
        "requirements": [r.model_dump(mode="python") for r in requirements],
        "change": None,
        "changes": old.get("changes") or [],
        "ratio": old.get("ratio", 0.0),
        "documents": [
            {**d, "issued_on": dt.date.fromisoformat(d["issued_on"])}
            for d in old.get("documents") or []
        ],
        "subject": None,
        "figures": document_figures(data, requirements, effective, pending),
    }
    # Plain data the templates print as it is (no dates or amounts to type again): the
    # company letterhead and the satisfaction survey's result, as the version was issued with.
    for key in ("letterhead", "satisfaction"):
        if key in old:
            context[key] = old[key]
    if subject is not None:
        context["subject"] = dict(subject.data)
        context[subject.kind] = context["subject"]
    differs = compare(old, jsonable(context), None)
    if differs or set(old) != set(context):
        where = ".".join(str(s) for s in differs[0].path) if differs else "its keys"
        raise Conflict(
            f"the data {doc.doc_id} v{doc.version} was issued with cannot be read back exactly "
            f"({where} differs); no translation was made"
        )
    return context


def _check_locale(session: Session, doc: DocumentRow, locale: str) -> None:
    from docflow.render.context import kind_template_name, search_path

    if locale == session.locale:
        raise InvalidInput(
            f"{doc.doc_id} is in {locale} already: a translation is into another language"
        )
    kind = session.kind_of(doc)
    template = kind.template if kind is not None else doc.template
    name = kind_template_name(template, locale)
    dirs = search_path(session.template_dirs())
    if locale not in session.spec.locales or not any((d / name).is_file() for d in dirs):
        raise InvalidInput(
            f"workflow {session.spec.name} has no {locale} template for {doc.doc_id} "
            f"({name} is in none of {', '.join(str(d) for d in dirs)}); it speaks "
            f"{', '.join(session.spec.locales)}"
        )


def _words(session: Session, locale: str, number: str, version: int) -> tuple[str, str]:
    """The running-header mark and the first-page note: in the translation's language, then
    in the binding one. ``translation`` in labels.yaml words them; a blank one is never used."""
    from docflow.render.context import load_labels, search_path

    source = session.locale
    dirs = search_path(session.template_dirs())
    marks: dict[str, dict[str, Any]] = {}
    for lang in dict.fromkeys((locale, source)):
        own = load_labels(dirs, lang).get("translation")
        builtin = _MARK.get(lang, _MARK["en"])
        words = {**builtin, **(own if isinstance(own, Mapping) else {})}
        marks[lang] = {k: v if v else builtin.get(k) for k, v in words.items()}
    notes = []
    for words in marks.values():
        languages = words.get("languages")
        language = languages.get(source, source) if isinstance(languages, Mapping) else source
        notes.append(
            str(words["note"]).format(
                number=number, version=version, source=source, language=language
            )
        )
    return str(marks[locale]["header"]), " ".join(notes)


def marks(session: Session) -> list[str]:
    """The running-header mark of a translation in each of the workflow's languages."""
    from docflow.render.context import load_labels, search_path

    dirs = search_path(session.template_dirs())
    found = []
    for lang in session.spec.locales:
        own = load_labels(dirs, lang).get("translation")
        header = own.get("header") if isinstance(own, Mapping) else None
        found.append(str(header or _MARK.get(lang, _MARK["en"])["header"]))
    return found


def translate(session: Session, doc_id: str, locale: str) -> Translation:
    """Write a convenience translation of ``doc_id``'s newest version into ``locale``."""
    from docflow.documents.snapshot import load_snapshot
    from docflow.render import RenderRequest
    from docflow.render.marked import render_marked

    workspace = session.folder("translating a document")
    doc = session.find_document(doc_id)
    if doc.status not in LIVE:
        raise Conflict(f"{doc.doc_id} v{doc.version} is {doc.status}; translate a live version")
    _check_locale(session, doc, locale)
    blob = session.store.blob(doc.data_sha256)
    if blob is None:
        raise Conflict(f"the stored data of {doc.doc_id} v{doc.version} is missing; verify")
    stored = load_snapshot(blob)
    context = snapshot_context(session, doc, stored)
    kind = session.kind_of(doc)
    title = (kind.title.get(locale) if kind else None) or stored.meta.title
    meta = dataclasses.replace(stored.meta, locale=locale, title=title)
    mark, note = _words(session, locale, stored.meta.number, doc.version)
    rendered = render_marked(RenderRequest(meta, context, session.template_dirs()), mark, note)
    files = translation_files(doc.doc_id, doc.version, locale)
    try:
        atomic_write(workspace.root / files["docx"], rendered.docx)
        atomic_write(workspace.root / files["pdf"], rendered.pdf)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write the translation of {doc.doc_id}: {exc.strerror or exc}"
        ) from exc
    return Translation(doc.doc_id, doc.version, locale, session.locale, False, files)
