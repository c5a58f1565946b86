"""A marker that lets torch.compile fold polyunit's pure unit bookkeeping.

`fold_when_traced(fn)` does what `torch.compiler.assume_constant_result(fn)` does (it sets the
attribute dynamo reads), without importing torch: dynamo then runs `fn` for real while it traces
and keeps the result as a constant, instead of tracing its body (Fraction arithmetic, string
parsing) and breaking the graph. Eager code is unaffected. Only pure functions of static values
(interned units, types, Python numbers) may be marked. Calling torch's own API instead would import
torch._dynamo (seconds) on the first torch op of every eager program; a test checks that
torch's API still sets exactly this attribute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])

MARKER = "_dynamo_marked_constant"
MARKED: list[Callable[..., object]] = []


def fold_when_traced(fn: F) -> F:
    setattr(fn, MARKER, True)
    MARKED.append(fn)
    return fn
