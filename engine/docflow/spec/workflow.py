"""The workflow definition model: states, transitions, guards, documents, change control.

A workflow YAML is data only; these frozen models give it shape. Keys of ``states`` and
``documents`` are the ids and codes, so the YAML need not repeat them (when it does, they must
agree). A guard is written ``{type: NAME, ...params}`` and kept as type plus a params dict; the
guards layer, not this one, knows what each type means. Cross-references (unknown states,
unreachable states, missing templates...) are checked in :mod:`docflow.spec.checks`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from docflow.spec.records import CalendarSpec, DeemedConfirmation, SatisfactionSpec

__all__ = [
    "CHANGE_ITEMS",
    "ChangeControl",
    "DocumentKind",
    "GuardSpec",
    "ItemList",
    "Party",
    "SignaturePolicy",
    "StateSpec",
    "TransitionRef",
    "TransitionSpec",
    "WorkflowSpec",
]

Party = Literal["client", "vendor"]
Titles = dict[str, str]

#: The item kind of change requests, which docflow keeps itself: ``per: change``.
CHANGE_ITEMS = "change"
_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
_DATA_PATH = r"^[A-Za-z_][A-Za-z0-9_]*(\[\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[\])?)*$"


def _key_optional(key: str) -> Any:
    """A JSON-schema hook: ``key`` is filled from the mapping key, so YAML may omit it."""

    def hook(schema: dict[str, Any]) -> None:
        required = [name for name in schema.get("required", []) if name != key]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)

    return hook


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class DocumentKind(_Spec):
    """A kind of document a transition may emit (survey plan, change annex...)."""

    model_config = ConfigDict(json_schema_extra=_key_optional("code"))

    code: str = Field(pattern=r"^[A-Z][A-Z0-9]{0,7}$", description="SP, RM, CA...")
    template: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$", description="<locale>/<template>.html.j2 in a template dir"
    )
    title: Titles = Field(description="locale -> title")
    signers: tuple[Party, ...] = ()
    signing_order: tuple[Party, ...] | None = Field(
        default=None,
        description="parties that sign one after another, in this order (e.g. [client, "
        "vendor]); default: the workflow's signatures.order; [] lets them sign in any order",
    )
    annex: bool = Field(default=False, description="numbered contract annex (附件)")
    per: str | None = Field(
        default=None,
        pattern=_NAME,
        description="issued once per item of this kind: change (a change request), meeting, "
        "period or a name declared under items; the template finds the item as subject",
    )
    deemed_confirmed: DeemedConfirmation | None = Field(
        default=None,
        description="counts as confirmed when the party neither signs nor objects within so "
        "many working days of its issue (视为确认)",
    )
    expects: tuple[Annotated[str, Field(pattern=_DATA_PATH)], ...] = Field(
        default=(),
        description="project.yaml paths the document prints, where an empty value prints "
        "TBD or None: issuing it then warns, naming the path (a[].b: b of every entry of a)",
    )


class ItemList(_Spec):
    """Items that documents can be about, kept in project.yaml: the entries of one list."""

    path: str = Field(
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
        description="dotted path of a list in project.yaml, e.g. survey.sessions",
    )
    key: str | None = Field(
        default=None,
        pattern=_NAME,
        description="field of each entry that identifies it (default: its position, 1, 2...)",
    )


class StateSpec(_Spec):
    """One state of the workflow; every state belongs to a phase."""

    model_config = ConfigDict(json_schema_extra=_key_optional("id"))

    id: str = Field(min_length=1)
    phase: str = Field(min_length=1)
    title: Titles = Field(description="locale -> title")
    final: bool = False


class GuardSpec(_Spec):
    """A guard as written: its registry type and its parameters (checked by the guards layer)."""

    type: str = Field(min_length=1)
    params: dict[str, Any] = {}

    @model_validator(mode="before")
    @classmethod
    def _split_params(cls, data: Any) -> Any:
        # YAML writes {type: fields_present, paths: [...]}; keep everything but type as params.
        if isinstance(data, dict) and "params" not in data:
            params = {k: v for k, v in data.items() if k != "type"}
            return {"type": data.get("type"), "params": params} if "type" in data else data
        return data

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """Describe the YAML form: a mapping with ``type`` and any parameters beside it."""
        return {
            "type": "object",
            "title": "GuardSpec",
            "description": cls.__doc__,
            "properties": {"type": {"type": "string", "minLength": 1}},
            "required": ["type"],
            "additionalProperties": True,
        }


class TransitionSpec(_Spec):
    """A step from ``source`` to ``dest`` named by ``trigger``."""

    trigger: str = Field(min_length=1)
    source: str
    dest: str
    title: Titles = Field(description="locale -> title")
    guards: tuple[GuardSpec, ...] = ()
    emits: tuple[str, ...] = Field(default=(), description="document codes")
    freezes_baseline: bool = False


class TransitionRef(_Spec):
    """A transition of the workflow a definition extends, named by trigger and source."""

    trigger: str = Field(min_length=1)
    source: str = Field(min_length=1)


class ChangeControl(_Spec):
    """Where change requests are allowed, which annex they issue, and when to warn."""

    allowed_in: tuple[str, ...] = ()
    annex_document: str = ""
    request_document: str = Field(
        default="",
        description="document kind of the change request form sent for review before the "
        "decision (docflow change issue CR-n); per: change, not an annex",
    )
    warn_ratio: float = Field(default=0.2, ge=0)
    alarm_ratio: float = Field(default=0.5, ge=0)


class SignaturePolicy(_Spec):
    """What a digital signature must prove beyond being exactly the issued document."""

    require_trusted: bool = Field(
        default=False,
        description="refuse digital signatures whose certificate does not chain to a trusted root",
    )
    order: tuple[Party, ...] = Field(
        default=(),
        description="the order in which a document's signers sign (those it needs), unless "
        "its kind sets signing_order; empty: any order",
    )


class WorkflowSpec(_Spec):
    """A whole workflow definition; loaded once, never mutated."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    extends: str | None = Field(
        default=None,
        description="the workflow this one builds on (a built-in name or a path relative to "
        "this file); see the merge rules in the README",
    )
    remove_transitions: tuple[TransitionRef, ...] = Field(
        default=(), description="transitions of the extended workflow left out"
    )
    title: Titles = Field(description="locale -> title")
    locales: tuple[str, ...] = Field(min_length=1)
    initial: str
    states: dict[str, StateSpec]
    transitions: tuple[TransitionSpec, ...]
    documents: dict[str, DocumentKind] = {}
    items: dict[str, ItemList] = Field(
        default={}, description="item kinds kept in project.yaml that documents can be about"
    )
    change_control: ChangeControl = ChangeControl()
    signatures: SignaturePolicy = SignaturePolicy()
    data_schema: dict[str, dict[str, Any]] = Field(
        default={},
        description="JSON Schemas of project.yaml's extra: section, by key (extra.<key>)",
    )
    calendar: CalendarSpec = Field(
        default=CalendarSpec(), description="working days (project.yaml may add to it)"
    )
    satisfaction: SatisfactionSpec | None = Field(
        default=None, description="the client satisfaction survey and its questions"
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_keys(cls, data: Any) -> Any:
        # The mapping key is the id/code; copy it in unless the YAML wrote one itself.
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for field, attr in (("states", "id"), ("documents", "code")):
            items = out.get(field)
            if isinstance(items, dict):
                out[field] = {
                    key: ({attr: key, **value} if isinstance(value, dict) else value)
                    for key, value in items.items()
                }
        # The change annex and the request form are about one change request each.
        control = out.get("change_control")
        documents = out.get("documents")
        if isinstance(control, dict) and control.get("allowed_in") and isinstance(documents, dict):
            for role in ("annex_document", "request_document"):
                kind = documents.get(control.get(role))
                if isinstance(kind, dict) and "per" not in kind:
                    documents[control[role]] = {**kind, "per": CHANGE_ITEMS}
        return out

    @field_validator("states")
    @classmethod
    def _state_ids_agree(cls, states: dict[str, StateSpec]) -> dict[str, StateSpec]:
        for key, state in states.items():
            if state.id != key:
                raise ValueError(f"state '{key}' declares a different id '{state.id}'")
        return states

    @field_validator("documents")
    @classmethod
    def _codes_agree(cls, documents: dict[str, DocumentKind]) -> dict[str, DocumentKind]:
        for key, doc in documents.items():
            if doc.code != key:
                raise ValueError(f"document '{key}' declares a different code '{doc.code}'")
        return documents

    def transitions_from(self, state: str) -> list[TransitionSpec]:
        """Every transition whose source is ``state``, in definition order."""
        return [t for t in self.transitions if t.source == state]

    def transition(self, state: str, trigger: str) -> TransitionSpec | None:
        """The transition named ``trigger`` out of ``state``, or None."""
        for candidate in self.transitions:
            if candidate.source == state and candidate.trigger == trigger:
                return candidate
        return None
