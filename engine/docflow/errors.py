"""The one exception tree of docflow.

Every error a user can cause is a :class:`DocflowError`. Each class knows the exit code the
command line returns for it and the JSON ``error`` name it prints with ``--json``::

    DocflowError                 exit 1  internal
    ├── UsageError               exit 2  usage        (unknown trigger, bad option combination)
    ├── Blocked                  exit 3  blocked      (guards said no; carries blockers)
    ├── InvalidInput             exit 4  invalid      (a file or value given is wrong)
    │   ├── SpecError            exit 4  invalid      (project.yaml / workflow: file, line, path)
    │   ├── TemplateError        exit 4  template     (a document template is wrong)
    │   └── LinkUnknown          exit 4  invalid      (no signing link has this token)
    ├── Conflict                 exit 5  conflict     (changed under you, duplicate, wrong state)
    │   ├── ProjectChanged       exit 5  conflict     (another command wrote first; retry is safe)
    │   └── LinkGone             exit 5  conflict     (a signing link used, expired or revoked)
    ├── IntegrityFailure         exit 6  integrity    (verify found damage, signed file mismatch)
    └── EnvironmentProblem       exit 1  environment  (a font, library or store is missing)

Only ``docflow.cli`` turns these into stderr text, exit codes and JSON. Every error pickles
with all its attributes, so one raised in a rendering process reaches the command intact.
A SpecError lists at most :data:`MAX_LISTED` problems and counts the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = [
    "MAX_LISTED",
    "Blocked",
    "Conflict",
    "DocflowError",
    "EnvironmentProblem",
    "IntegrityFailure",
    "InvalidInput",
    "LinkGone",
    "LinkUnknown",
    "Problem",
    "ProjectChanged",
    "SpecError",
    "TemplateError",
    "UsageError",
    "combined_exit_code",
]


#: Problems a SpecError lists; a file of garbage could otherwise print thousands of lines.
MAX_LISTED = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, named by where it is.

    ``file`` and ``line`` locate it in a file (line is 1-based, None when unknown);
    ``path`` is the field path inside the data, e.g. ``requirements[3].priority``.
    """

    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    kind: str = "invalid"
    # The same problem worded in Chinese, when it has such a wording (JSON carries message).
    zh: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.where}{self.message}"

    @property
    def where(self) -> str:
        """``file:line: path: `` (the parts known), the frame of the sentence."""
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        if self.path:
            where += f"{self.path}: "
        return where

    def told(self, locale: str) -> str:
        """The problem with its frame, worded in ``locale`` when it can be."""
        chinese = locale.lower().startswith("zh") and self.zh is not None
        return f"{self.where}{self.zh if chinese else self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by ``--json`` outputs."""
        return {
            "kind": self.kind,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "path": self.path,
        }


class DocflowError(Exception):
    """Base of every error docflow reports to a user."""

    exit_code: ClassVar[int] = 1
    name: ClassVar[str] = "internal"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        """The JSON document printed on stdout with ``--json``."""
        return {"error": self.name, "message": self.message}

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles by calling the class with ``args`` (the message), which does not
        # fit the constructors below; rebuild from the attributes instead.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[DocflowError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """Unpickle a DocflowError without calling its constructor."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UsageError(DocflowError):
    """The command was called wrongly (unknown trigger, missing argument)."""

    exit_code = 2
    name = "usage"


class InvalidInput(DocflowError):
    """A value or file the user gave is not acceptable."""

    exit_code = 4
    name = "invalid"


class SpecError(InvalidInput):
    """A project.yaml or workflow definition is invalid; holds the problems found.

    ``problems`` keeps the first MAX_LISTED of them; ``unlisted`` counts the others, and the
    message says how many there were.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        everything = list(problems)
        self.problems = everything[:MAX_LISTED]
        self.unlisted = len(everything) - len(self.problems)
        first = str(self.problems[0]) if self.problems else "invalid specification"
        more = len(everything) - 1
        message = first if more <= 0 else f"{first} (and {more:,} more problem(s))"
        if self.unlisted:
            message = f"{first} (and {more:,} more problems; the first {MAX_LISTED} are listed)"
        super().__init__(message)
        # The locale of the file at fault when known (project.yaml says it), for people.
        self.locale: str | None = None

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["problems"] = [p.to_dict() for p in self.problems]
        data["unlisted"] = self.unlisted
        return data


class TemplateError(InvalidInput):
    """A document template could not be rendered (syntax, missing variable, missing file)."""

    name = "template"

    def __init__(self, message: str, template: str | None = None, line: int | None = None):
        self.template = template
        self.line = line
        self.reason = message  # the message without its location
        where = ""
        if template:
            where = template + (f":{line}" if line else "") + ": "
        super().__init__(where + message)


def combined_exit_code(codes: Iterable[int]) -> int:
    """The exit code of a command that had several failures (0 when there were none).

    An internal error (1) wins, since something unexpected happened; otherwise the highest
    code, so a template error in one document and a conflict in another exit 5.
    """
    found = {code for code in codes if code}
    if not found:
        return 0
    return 1 if 1 in found else max(found)


@dataclass(frozen=True)
class _BlockerLike:
    guard: str
    message: str
    path: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


class Blocked(DocflowError):
    """A step may not happen: one or more guards failed. Carries every blocker."""

    exit_code = 3
    name = "blocked"

    def __init__(self, message: str, blockers: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.blockers = list(blockers)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["blockers"] = [
            b.to_dict() if hasattr(b, "to_dict") else {"message": str(b)} for b in self.blockers
        ]
        return data


class Conflict(DocflowError):
    """The project changed meanwhile, the thing exists already, or it is the wrong state."""

    exit_code = 5
    name = "conflict"


class ProjectChanged(Conflict):
    """Another command changed the project between reading it and locking it."""


class LinkUnknown(InvalidInput):
    """No signing link has this token (it was never made, or it was mistyped)."""


class LinkGone(Conflict):
    """A signing link that was used, expired or revoked, or whose document was superseded."""


class IntegrityFailure(DocflowError):
    """Stored or supplied data is not what docflow issued or recorded."""

    exit_code = 6
    name = "integrity"

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["problems"] = [p.to_dict() for p in self.problems]
        return data


class EnvironmentProblem(DocflowError):
    """Something the machine lacks (a font, a system library, a reachable store)."""

    name = "environment"
