"""Markers that tell torch.compile (dynamo) how to trace polyunit's unit bookkeeping.

`fold_when_traced(fn)` does what `torch.compiler.assume_constant_result(fn)` does (it sets the
attribute dynamo reads), without importing torch: dynamo then runs `fn` for real while it traces
and keeps the result as a constant, instead of tracing its body (Fraction arithmetic, string
parsing) and breaking the graph. Eager code is unaffected. Only pure functions of static values
(interned units, types, Python numbers) may be marked. Calling torch's own API instead would import
torch._dynamo (seconds) on the first torch op of every eager program; a test checks that
torch's API still sets exactly this attribute.

`skip_polyunit_guards` is the opt-in other half: a `guard_filter_fn` that drops the per-call
guards on polyunit's own objects, which never change while a program runs.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

F = TypeVar("F", bound=Callable[..., object])

MARKER = "_dynamo_marked_constant"
MARKED: list[Callable[..., object]] = []


def fold_when_traced(fn: F) -> F:
    setattr(fn, MARKER, True)
    MARKED.append(fn)
    return fn


# The attribute dynamo follows from a function to the function it traces in its place (torch
# sets it on scripted and compiled functions); eager Python never reads it.
TWIN = "_torchdynamo_inline"


def trace_as(twin: Callable[..., object]) -> Callable[[F], F]:
    """Make dynamo trace `twin` wherever the decorated function is called: the same result,
    computed in a way whose traced code needs fewer guards (see traced.py)."""

    def mark(fn: F) -> F:
        setattr(fn, TWIN, twin)
        return fn

    return mark


def eager_copy(fn: F) -> F:
    """The same function without the twin attribute: what a twin calls for the cases it leaves
    to the eager code (dynamo would follow the original's attribute back to the twin)."""
    copy = types.FunctionType(
        fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__
    )
    copy.__kwdefaults__ = fn.__kwdefaults__
    return copy  # type: ignore[return-value]


# Guards that check which object a name holds; the filter below may drop these, never others.
_IDENTITY_GUARDS = frozenset(
    {
        "ID_MATCH",
        "TYPE_MATCH",
        "MODULE_MATCH",
        "CLASS_MATCH",
        "FUNCTION_MATCH",
        "CLOSURE_MATCH",
        "BUILTIN_MATCH",
    }
)
# How dynamo names the globals of a polyunit module that traced polyunit code reads.
_OWN_GLOBALS = "G['__import_polyunit"
_ATTRIBUTE = re.compile(r"(.+)\.[A-Za-z_]\w*")


class GuardEntry(Protocol):
    """What dynamo shows a `guard_filter_fn` of each guard (`torch._dynamo.types.GuardFilterEntry`)."""

    name: str
    has_value: bool
    value: object
    guard_type: str
    is_global: bool


def skip_polyunit_guards(entries: Sequence[GuardEntry]) -> list[bool]:
    """A `guard_filter_fn` for `torch.compile` that drops the guards on polyunit's own objects.

    A compiled function checks a guard for every global its traced code read, on every call.
    polyunit's modules, classes and functions are never rebound while a program runs, so the
    identity checks on them (the twins, their folded unit plans, the `u.math.*` look-ups) are
    redundant; this filter drops those and keeps every other guard: the tensors, the input
    units, the global state, and each global of your own code (rebinding `u`, or a global that
    holds a polyunit function, still recompiles). Do not combine it with monkeypatching polyunit.

        compiled = torch.compile(fn, options={"guard_filter_fn": u.skip_polyunit_guards})
    """
    values = {e.name: e.value for e in entries if e.has_value}

    def through_polyunit(name: str) -> bool:
        """Whether `name` is an attribute reached through polyunit's own objects only, from a
        binding of the user's that holds a polyunit module or class (a binding whose identity
        guard stays: a global, or an attribute of the user's own module or object)."""
        step = _ATTRIBUTE.fullmatch(name)
        if step is None or step[1] not in values:
            return False
        parent, parent_value = step[1], values[step[1]]
        if not _is_own(parent_value):
            return False
        # A function bound by the user is guarded by its type only; its identity rests on the
        # guards of its attributes, which stay.
        return through_polyunit(parent) or isinstance(parent_value, (types.ModuleType, type))

    return [
        not (
            e.is_global
            and e.guard_type in _IDENTITY_GUARDS
            and (e.name.startswith(_OWN_GLOBALS) or through_polyunit(e.name))
        )
        for e in entries
    ]


def _is_own(value: object) -> bool:
    """A polyunit module, class or function (not an instance, whose attributes may change)."""
    if isinstance(value, types.ModuleType):
        module = value.__name__
    elif isinstance(value, (type, types.FunctionType)):
        module = value.__module__
    else:
        return False
    return module == "polyunit" or module.startswith("polyunit.")
