"""The sandbox templates run in, with their work bounded (their files: ``render.confined``).

Every loop iteration, attribute or item lookup, operator and piece of output costs
one step, a call ten, and building a string or list through an operator, ``~``, a padding
method or filter one more step per ten items it holds. One rendering may take
:data:`DEFAULT_MAX_STEPS` steps and write :data:`DEFAULT_MAX_OUTPUT` characters; the
environment variables ``DOCFLOW_TEMPLATE_MAX_STEPS`` and ``DOCFLOW_TEMPLATE_MAX_OUTPUT``
change them. Steps are counted, not timed, so the same data and templates fail or pass
the same way on every machine; the requirement memo of a 20,000-requirement project takes
about a million steps and writes 2 million characters. Macros may call each other
:data:`MAX_CALL_DEPTH` deep. An operator or method that would build a value longer than the
output bound (``"x" * 10**9``, ``"%0999999d" % 1``, ``2 ** 10**9``) is refused before it
runs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import TemplateRuntimeError
from jinja2.runtime import markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment

from docflow.errors import TemplateError

__all__ = [
    "DEFAULT_MAX_OUTPUT",
    "DEFAULT_MAX_STEPS",
    "MAX_CALL_DEPTH",
    "BoundedEnvironment",
    "Limits",
    "WorkExceeded",
]

DEFAULT_MAX_STEPS = 5_000_000
# A call runs a macro's whole frame: it costs as much as this many loop iterations.
_CALL_STEPS = 10
DEFAULT_MAX_OUTPUT = 50_000_000
MAX_CALL_DEPTH = 100
# Widest format field ("%10000d", "{:>10000}") a template may ask for.
_MAX_WIDTH = 10_000
_WIDTHS = re.compile(r"%[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?|\{[^{}]*\}")
_PADDING = frozenset({"ljust", "rjust", "center", "zfill"})
_BUILDERS = _PADDING | {"format", "format_map", "replace", "expandtabs"}


class WorkExceeded(TemplateRuntimeError):
    """A template went over a bound of the sandbox (a Jinja error, so every caller reports it)."""


@dataclass(frozen=True)
class Limits:
    """How much work one rendering may do."""

    steps: int = DEFAULT_MAX_STEPS
    output: int = DEFAULT_MAX_OUTPUT

    @classmethod
    def from_environment(cls) -> Limits:
        """The limits set by DOCFLOW_TEMPLATE_MAX_STEPS / _MAX_OUTPUT, else the defaults."""
        return cls(
            _positive("DOCFLOW_TEMPLATE_MAX_STEPS", DEFAULT_MAX_STEPS),
            _positive("DOCFLOW_TEMPLATE_MAX_OUTPUT", DEFAULT_MAX_OUTPUT),
        )


def _positive(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip().replace("_", "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) <= 0:
        raise TemplateError(f"{name}={raw!r} is not a positive whole number")
    return int(raw)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox with a budget of steps and output (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, limits: Limits, **options: Any) -> None:
        super().__init__(**options)
        self.limits = limits
        self.steps_left = limits.steps
        self.output_left = limits.output
        self.call_depth = 0
        # Every {{ expression }} goes through finalize: a step, inside the template's frame.
        inner = self.finalize or (lambda value: value)
        self.finalize = lambda value: self._built(inner(self._stepped(value)))
        self.filters["_docflow_items"] = self._counted_items
        self.filters["_docflow_concat"] = self._concat
        for name in ("center", "indent", "format", "replace"):
            self.filters[name] = self._guarded_filter(name, self.filters[name])

    # the budget ---------------------------------------------------------------------------
    def step(self, cost: int = 1) -> None:
        """Spend ``cost`` steps; WorkExceeded when the budget is gone."""
        self.steps_left -= cost
        if self.steps_left < 0:
            raise WorkExceeded(
                f"the template did more than {self.limits.steps:,} steps of work (loop "
                "iterations, calls, lookups): nested loops over large lists? "
                "DOCFLOW_TEMPLATE_MAX_STEPS raises the bound"
            )

    def write(self, chunk: str) -> None:
        """Account for ``chunk`` of the rendered output."""
        self.output_left -= len(chunk)
        if self.output_left < 0:
            raise WorkExceeded(
                f"the template wrote more than {self.limits.output:,} characters; "
                "DOCFLOW_TEMPLATE_MAX_OUTPUT raises the bound"
            )

    def _built(self, value: Any) -> Any:
        """Charge for a string or list an operation built, refusing one over the bound."""
        if isinstance(value, str | list | tuple):
            self._fits(len(value))
            self.step(len(value) // 10)
        return value

    def _fits(self, size: int) -> None:
        if size > self.limits.output:
            raise WorkExceeded(
                f"an expression would build a value of {size:,} items, more than the "
                f"{self.limits.output:,} a document may hold"
            )

    # the hooks of the sandbox -------------------------------------------------------------
    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Loops and ``~`` run as plain Python in compiled templates, out of the sandbox's
        # sight: route every loop's items and every concatenation through a counting filter.
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_docflow_items", [], [], None, None)
            loop.iter.set_lineno(loop.lineno)
        for concat in list(tree.find_all(nodes.Concat)):
            items = nodes.List(list(concat.nodes))
            concat.nodes = [nodes.Filter(items, "_docflow_concat", [], [], None, None)]
            concat.nodes[0].set_lineno(concat.lineno)
        return tree

    def _stepped(self, value: Any) -> Any:
        self.step()
        return value

    def _counted_items(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.step()
            yield item

    def _concat(self, items: list[Any]) -> Any:
        self.step()
        return self._built(markup_join(items))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Attribute lookup, counted; string padding methods are checked."""
        self.step()
        value = super().getattr(obj, attribute)
        if attribute in _BUILDERS and isinstance(obj, str):
            return self._guarded_method(obj, attribute, value)
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Item lookup, counted."""
        self.step()
        value = super().getitem(obj, argument)
        if isinstance(obj, str) and isinstance(argument, str) and argument in _BUILDERS:
            return self._guarded_method(obj, argument, value)
        return value

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A call from a template, counted, with macro nesting bounded."""
        __self.step(_CALL_STEPS)
        __self.call_depth += 1
        try:
            if __self.call_depth > MAX_CALL_DEPTH:
                raise WorkExceeded(
                    f"calls nest more than {MAX_CALL_DEPTH} deep: a macro calling itself "
                    "without end?"
                )
            return __self._built(super().call(__context, __obj, *args, **kwargs))
        finally:
            __self.call_depth -= 1

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``*``, ``**``, ``%`` and ``+``, refused when the result would be too large."""
        self.step()
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    self._fits(len(seq) * max(times, 0))
        elif operator == "+" and isinstance(left, str | list | tuple):
            if isinstance(right, str | list | tuple):
                self._fits(len(left) + len(right))
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * abs(left).bit_length() > 100_000:
                raise WorkExceeded(f"{left} ** {right} is too large a number")
        elif operator == "%" and isinstance(left, str):
            self._check_widths(left, right if isinstance(right, tuple) else (right,))
        return self._built(self.binop_table[operator](left, right))

    # string builders ----------------------------------------------------------------------
    def _check_widths(self, text: str, args: Iterable[Any]) -> None:
        """Refuse format fields wider than _MAX_WIDTH, written or passed as ``*``."""
        starred = False
        for match in _WIDTHS.finditer(text):
            for number in re.findall(r"\d+", match.group()):
                if int(number) > _MAX_WIDTH:
                    raise WorkExceeded(f"a format field wider than {_MAX_WIDTH:,} characters")
            starred = starred or "*" in match.group() or match.group().count("{") > 1
        if starred and any(isinstance(a, int) and abs(a) > _MAX_WIDTH for a in args):
            raise WorkExceeded(f"a format field wider than {_MAX_WIDTH:,} characters")

    def _guarded_method(self, text: str, name: str, method: Any) -> Any:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            values = [*args, *kwargs.values()]
            if name in _PADDING:
                self._fits(max([len(text), *(a for a in values if isinstance(a, int))]))
            elif name == "expandtabs":
                tabs = [a for a in values if isinstance(a, int)] or [8]
                self._fits(len(text) + text.count("\t") * max(tabs[0], 0))
            elif name == "replace" and len(args) >= 2:
                self._check_replace(text, args[0], args[1])
            else:
                self._check_widths(text, values)
            return self._built(method(*args, **kwargs))

        return guarded

    def _check_replace(self, text: Any, old: Any, new: Any) -> None:
        if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
            count = text.count(old) if old else len(text) + 1
            self._fits(len(text) + count * max(len(new) - len(old), 0))

    def _guarded_filter(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            plain = [a for a in args if not hasattr(a, "autoescape")]  # drop an EvalContext
            if name in ("center", "indent"):
                widths = [a for a in [*plain[1:], *kwargs.values()] if isinstance(a, int)]
                self._fits(max([0, *widths]) * max(1, str(plain[0]).count("\n") + 1))
            elif name == "format" and plain:
                self._check_widths(str(plain[0]), [*plain[1:], *kwargs.values()])
            elif name == "replace" and len(plain) >= 3:
                self._check_replace(str(plain[0]), plain[1], plain[2])
            return self._built(original(*args, **kwargs))

        for attribute in ("jinja_pass_arg",):  # keep pass_eval_context and the like
            if hasattr(original, attribute):
                setattr(guarded, attribute, getattr(original, attribute))
        return guarded
