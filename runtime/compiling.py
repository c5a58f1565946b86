"""Markers that tell torch.compile (dynamo) how to trace polyunit's unit bookkeeping.

`fold_when_traced(fn)` does what `torch.compiler.assume_constant_result(fn)` does (it sets the
attribute dynamo reads), without importing torch: dynamo then runs `fn` for real while it traces
and keeps the result as a constant, instead of tracing its body (Fraction arithmetic, string
parsing) and breaking the graph. Eager code is unaffected. Only pure functions of static values
(interned units, types, Python numbers) may be marked. Calling torch's own API instead would import
torch._dynamo (seconds) on the first torch op of every eager program; a test checks that
torch's API still sets exactly this attribute.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import TypeVar

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
