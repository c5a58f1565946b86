"""The op module of a `polyunit.math` call, found in as few steps as possible.

Same rule as `backend.select` (exactly one backend among the array inputs wins; mixed inputs, or
none, use the default), with a fast path for the common case: every array input of one type,
and the others Python scalars or None. That case is a dict lookup on the type and reads no
ContextVar; everything else goes through `select`.
"""

from __future__ import annotations

from types import ModuleType

from polyunit.backend import _TYPE_MODULE, backend_of_type, default_backend, module, select  # pyright: ignore[reportPrivateUsage]
from polyunit.quantity import Quantity

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).
# reportPrivateUsage ignores mark the package's own internals (Quantity._new and the like).

# Operands that never decide the backend (backend_of_type gives None for them).
_PLAIN: frozenset[type] = frozenset({int, float, complex, bool, type(None)})


def _slow(*values: object) -> ModuleType:
    name = select(*values)
    mod = module(name)
    for v in values:  # remember the winning array type for the fast path next time
        t = type(v.mantissa) if isinstance(v, Quantity) else type(v)  # pyright: ignore[reportUnknownArgumentType, reportUnknownMemberType, reportUnknownVariableType]
        if backend_of_type(t) == name:  # pyright: ignore[reportUnknownArgumentType]
            _TYPE_MODULE[t] = mod
    return mod


def pick1(x: object) -> ModuleType:
    """The op module for a one-operand op."""
    t = type(x)
    if t is Quantity:
        t = type(x.mantissa)  # type: ignore[attr-defined]
    mod = _TYPE_MODULE.get(t)  # pyright: ignore[reportUnknownArgumentType]
    return mod if mod is not None else _slow(x)


def pick2(x: object, y: object) -> ModuleType:
    """The op module for a two-operand op."""
    tx, ty = type(x), type(y)
    if tx is Quantity:
        tx = type(x.mantissa)  # type: ignore[attr-defined]
    if ty is Quantity:
        ty = type(y.mantissa)  # type: ignore[attr-defined]
    mod = _TYPE_MODULE.get(tx)  # pyright: ignore[reportUnknownArgumentType]
    if mod is not None and (ty is tx or ty in _PLAIN):
        return mod
    if tx in _PLAIN:
        mod = _TYPE_MODULE.get(ty)  # pyright: ignore[reportUnknownArgumentType]
        if mod is not None:
            return mod
    return _slow(x, y)


def pick(*values: object) -> ModuleType:
    """The op module for an op with three or more operands (options left at None among them):
    a dict lookup when every array operand has the same type."""
    found: type | None = None
    for v in values:
        t: type = type(v)
        if t is Quantity:
            t = type(v.mantissa)  # type: ignore[attr-defined]  # pyright: ignore[reportUnknownMemberType]
        if t in _PLAIN:
            continue
        if found is None:
            found = t
        elif t is not found:
            return _slow(*values)
    mod = None if found is None else _TYPE_MODULE.get(found)  # pyright: ignore[reportUnknownArgumentType]
    return mod if mod is not None else _slow(*values)


def pick0() -> ModuleType:
    """The op module for an op without array operands (creation): the default backend's."""
    return module(default_backend())
