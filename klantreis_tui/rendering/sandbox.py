"""The jinja2 environment templates render in: sandboxed, confined to their folders and bounded in work and size.

A user's template folder (``summary --templates DIR``) comes from outside, so its templates are treated as
hostile: they render in jinja2's ImmutableSandboxedEnvironment (no ``__class__``/``__globals__`` walks to
``os.popen``, no unsafe callables, no changing the data), are read only from inside their folder (no ``..``,
no absolute names, no symbolic link to a file outside it, no FIFO or device, at most MAX_TEMPLATE_BYTES), and
each render is bounded: MAX_STEPS loop rounds, macro calls and ``range`` items together, MAX_OUTPUT_CHARS of
output, and no single value (a repeated string, a padded one, a power) larger than that. Breaking a bound raises
TemplateBound at the line that did it, so that the message names the template and the line.
"""

from __future__ import annotations

import functools
import math
import os
import re
import stat
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import pass_context
from jinja2.visitor import NodeTransformer

from klantreis_tui.i18n import t

#: Largest template file, in bytes.
MAX_TEMPLATE_BYTES = 1_000_000
#: Most loop rounds, macro calls and ``range`` items in one render (the bundled templates use a few thousand).
MAX_STEPS = 1_000_000
#: Most characters one render may write, and the largest value an expression may make.
MAX_OUTPUT_CHARS = 20_000_000
#: What one macro call counts against MAX_STEPS.
MACRO_STEPS = 20
#: The largest power (in bits) ``**`` may compute.
MAX_POWER_BITS = 100_000


class TemplateBound(SecurityError):
    """A template broke a bound or reached outside its sandbox or folder; the message is worded."""


class _Budget:
    """What one render has used so far."""

    __slots__ = ("steps", "output")

    def __init__(self) -> None:
        self.steps = 0
        self.output = 0


_budget: ContextVar[_Budget | None] = ContextVar("klantreis_template_budget", default=None)


def _spend(steps: int = 0, output: int = 0) -> None:
    budget = _budget.get()
    if budget is None:  # outside a render (constant folding while compiling): nothing to count
        return
    budget.steps += steps
    budget.output += output
    if budget.steps > MAX_STEPS:
        raise TemplateBound(t('the template repeats more than {limit} times (loops, macro calls and ranges together); it was stopped', limit=MAX_STEPS))
    if budget.output > MAX_OUTPUT_CHARS:
        raise TemplateBound(t('the template writes more than {limit} characters; it was stopped', limit=MAX_OUTPUT_CHARS))


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_OUTPUT_CHARS:
        raise TemplateBound(t('a value of more than {limit} characters or items; it was stopped', limit=MAX_OUTPUT_CHARS))
    return value


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a number that asks for more than the output may hold (a width, a count, a repetition)."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT_CHARS:
            raise TemplateBound(t('the number {value} is too large for a template (at most {limit})', value=value, limit=MAX_OUTPUT_CHARS))


_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\d*)(?:\.(\d*))?")
_BRACE_FIELD = re.compile(r"\{[^{}]*\}")


def _check_format_string(text: Any) -> None:
    """Refuse a width or precision in a ``%`` or ``{}`` format larger than the output may hold."""
    if not isinstance(text, str) or ("%" not in text and "{" not in text):
        return
    numbers = [n for match in _PERCENT_FIELD.finditer(text) for n in match.groups() if n]
    for field in _BRACE_FIELD.findall(text):
        numbers += re.findall(r"\d+", field.partition(":")[2])
    _check_arguments(tuple(int(n) for n in numbers), {})


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        times = len(text) + 1 if not old else text.count(old)
        if len(text) + times * len(new) > MAX_OUTPUT_CHARS:
            raise TemplateBound(t('a value of more than {limit} characters or items; it was stopped', limit=MAX_OUTPUT_CHARS))


def guarded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its numbers and its result held to the bounds (the wrapper keeps jinja's pass_* marks)."""

    if name not in ("format", "replace"):
        # the common case (md_cell, join, lower, ...: tens of thousands of calls in a large synthesis): the
        # same checks, without a call for each of them
        @functools.wraps(function)
        def plain(*args: Any, **kwargs: Any) -> Any:
            if kwargs or any(isinstance(value, int) for value in args):
                _check_arguments(args, kwargs)
            result = function(*args, **kwargs)
            if isinstance(result, (str, list, tuple)) and len(result) > MAX_OUTPUT_CHARS:
                _check_size(result)
            return result

        return plain

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(args, kwargs)
        if name == "format" and args:
            _check_format_string(args[0])
        if name == "replace":
            values = [a for a in args if isinstance(a, str)]
            if len(values) >= 3:
                _check_replace(*values[:3])
        return _check_size(function(*args, **kwargs))

    return guarded


def _bounded_range(*args: int) -> range:
    numbers = safe_range(*args)  # the sandbox's own bound: at most 100,000 items
    _spend(steps=len(numbers))
    return numbers


@pass_context
def _tick(context: Any, value: Any, steps: int = 1) -> Any:
    _spend(steps=steps)
    return value


@pass_context
def _written(context: Any, value: Any) -> Any:
    _spend(output=len(value) if isinstance(value, str) else len(str(value)))
    return value


@pass_context
def _written_const(context: Any, value: int) -> None:
    _spend(output=value)


class _Bounds(NodeTransformer):
    """Counts every loop round, macro call and character written, at the line where it happens."""

    def _tick(self, node: nodes.Node, steps: int) -> nodes.ExprStmt:
        tick = nodes.Filter(nodes.Const(None), "_tick", [nodes.Const(steps)], [], None, None)
        return nodes.ExprStmt(tick).set_lineno(node.lineno)

    def _bodied(self, node: Any) -> Any:
        self.generic_visit(node)
        node.body.insert(0, self._tick(node, 1))
        return node

    def _called(self, node: Any) -> Any:
        """A macro call costs more than a loop round (ten times the time and more): it counts MACRO_STEPS."""
        self.generic_visit(node)
        node.body.insert(0, self._tick(node, MACRO_STEPS))
        return node

    visit_For = _bodied
    visit_Macro = visit_CallBlock = _called

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        """``a ~ b`` held to MAX_OUTPUT_CHARS (doubling a text in a loop would fill the memory otherwise)."""
        self.generic_visit(node)
        return nodes.Filter(node, "_sized", [], [], None, None).set_lineno(node.lineno)

    def visit_Output(self, node: nodes.Output) -> list[nodes.Node]:
        self.generic_visit(node)
        constant = sum(len(child.data) for child in node.nodes if isinstance(child, nodes.TemplateData))
        node.nodes = [
            child if isinstance(child, nodes.TemplateData)
            else nodes.Filter(child, "_written", [], [], None, None).set_lineno(child.lineno)
            for child in node.nodes
        ]
        count = nodes.Filter(nodes.Const(constant), "_written_const", [], [], None, None)
        return [nodes.ExprStmt(count).set_lineno(node.lineno), node]


_BUNDLED = (Path(__file__).parent / "templates").resolve()

#: the attributes of a template loop that are plain values (its methods and callables still go the sandbox's way)
_LOOP_STATE = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
                         "previtem", "nextitem"})


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """jinja2's immutable sandbox with bounds on work and size, and its refusals worded for the user."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)  # writes as much text as asked for
        self.globals["range"] = _bounded_range
        self.filters = {name: guarded_filter(name, f) for name, f in self.filters.items()}
        self.filters.update({"_tick": _tick, "_written": _written, "_written_const": _written_const, "_sized": _check_size})

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False) -> str:
        # the bundled templates render without a budget (their output grows with the study): compiled without
        # the counting too, which would cost a call per loop round and per value written for nothing
        if filename is None or not Path(filename).resolve().is_relative_to(_BUNDLED):
            source = _Bounds().visit(source)
        return super()._generate(source, name, filename, defer_init=defer_init)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # a loop's own state (loop.first, loop.last, ...) is asked for at every round: those plain values
        # skip the sandbox's checks, which cost more than the rest of the round
        if type(obj) is LoopContext and attribute in _LOOP_STATE:
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, (int, float)) and isinstance(right, (int, float)):
            if abs(left) > 1 and right > 0 and right * math.log2(abs(left)) > MAX_POWER_BITS:
                raise TemplateBound(t('the number {value} is too large for a template (at most {limit})', value=f"{left}**{right}", limit=f"2**{MAX_POWER_BITS}"))
        if operator == "%":
            _check_format_string(left)
            _check_arguments(right if isinstance(right, tuple) else (right,), {})
        if operator == "*":
            for count, other in ((left, right), (right, left)):
                if isinstance(count, int) and isinstance(other, (str, list, tuple)) and count > 0:
                    if count * len(other) > MAX_OUTPUT_CHARS:
                        raise TemplateBound(t('a value of more than {limit} characters or items; it was stopped', limit=MAX_OUTPUT_CHARS))
                    if isinstance(other, (list, tuple)):
                        _spend(steps=count * len(other))
        result = _check_size(super().call_binop(context, operator, left, right))
        if operator == "+" and isinstance(result, (list, tuple)):
            _spend(steps=len(result))  # a list that doubles in a loop
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - jinja's names
        if not __self.is_safe_callable(__obj):
            raise TemplateBound(t('calling {name} is not allowed in a template', name=getattr(__obj, "__name__", type(__obj).__name__)))
        _check_arguments(args, kwargs)
        if getattr(__obj, "__name__", None) == "replace" and isinstance(getattr(__obj, "__self__", None), str):
            values = [a for a in args if isinstance(a, str)]
            if len(values) >= 2:
                _check_replace(__obj.__self__, values[0], values[1])
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format_string(value.__self__)
        return wrapped

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        """Refused at once (jinja2 would hand on an undefined value, which a later filter may turn into another
        message): the message names the attribute the template reached for."""
        raise TemplateBound(t("the attribute '{attribute}' of a {kind} value is not allowed in a template", attribute=attribute, kind=type(obj).__name__))


def start_render(bounded: bool = True) -> Any:
    """Begin counting for one render; pass what this returns to ``end_render``. ``bounded=False``: a bundled
    template, whose loops and output grow with the data only (a synthesis of 10,000 interviews writes more
    than 20 million characters); the sandbox itself still holds."""
    return _budget.set(_Budget() if bounded else None)


def end_render(token: Any) -> None:
    _budget.reset(token)


class FolderLoader(jinja2.BaseLoader):
    """Templates from one folder only: names without ``..``, regular files inside it (a link may point inside)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = template.replace("\\", "/").split("/")
        if template.startswith(("/", "\\")) or ".." in pieces or ":" in pieces[0]:
            raise TemplateBound(t("the template name {name!r} points outside the template folder", name=template))
        path = self.folder.joinpath(*(p for p in pieces if p not in ("", ".")))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        real = path.resolve()
        if not real.is_relative_to(self.folder):
            raise TemplateBound(t('the template {name} is a link to a file outside the template folder ({folder})', name=template, folder=self.folder))
        try:  # O_NOFOLLOW: the resolved path must not have become a link since
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        except OSError as exc:
            raise TemplateBound(t('the template {name} cannot be read: {error}', name=template, error=exc.strerror or exc)) from None
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise TemplateBound(t('the template {name} is not a regular file', name=template))
            raw = file.read(MAX_TEMPLATE_BYTES + 1)
        if len(raw) > MAX_TEMPLATE_BYTES:
            raise TemplateBound(t('the template {name} is larger than {limit} bytes', name=template, limit=MAX_TEMPLATE_BYTES))
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateBound(t('the template {name} is not UTF-8 text', name=template)) from None
        mtime = info.st_mtime

        def uptodate() -> bool:
            try:
                return os.path.getmtime(real) == mtime and path.resolve() == real
            except OSError:
                return False

        return source, str(path), uptodate
