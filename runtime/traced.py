"""What torch.compile traces in place of polyunit's eager fast paths.

The eager code is fast because it reads per-unit caches, a type -> module table and the
generated modules' `_native` sets inline. Traced by dynamo, each of those reads becomes a
guard checked on every call of the compiled function, and objects reached by two paths
(the torch module through the table and through its own name) become guards that dynamo
evaluates in Python: together about 3 us a call, more than the rest of a small compiled
function's overhead.

So the torch backend module gives dynamo a twin of each front-end function and of the Quantity
operators (torch's `_torchdynamo_inline` attribute: dynamo traces the twin, eager Python never
reads it); unit.py and backend.py give their cached look-ups folded twins the same way. A twin
computes the same result; its unit bookkeeping goes through the functions below, each one call
that dynamo runs for real while tracing and keeps as a constant (`fold_when_traced`). Their
arguments are the operands' units, which dynamo guards by identity (units are interned), so
the compiled code checks little more than the input units and tensors. Where a twin meets
something unusual (a dimension mismatch, a foreign array) it calls the eager code, which is
traced as before and raises or converts the same way. The twins themselves are generated
(codegen/lower.py, `twin_section`); tests/behaviour/test_ops.py checks each against the spec.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from polyunit import rules as _r
from polyunit.compiling import TWIN, eager_copy, fold_when_traced
from polyunit.dimension import DIMENSIONLESS
from polyunit.quantity import Quantity
from polyunit.unit import UNITLESS as UNITLESS  # re-exported for the generated twins
from polyunit.unit import (
    Unit,
    _Derived,  # pyright: ignore[reportPrivateUsage]
    _keep,  # pyright: ignore[reportPrivateUsage]
    conversion_factor,
    unit_power,
)

# -- the unit of a result, the factor of a conversion: one folded call each ---------------
# The class the units computed while tracing are kept on (read back as attributes by name).
Derived = _Derived


@fold_when_traced
def unit_plan(
    kind: str, a: Unit | None, b: Unit | int | float | Fraction | None, q: int
) -> tuple[str | None, float]:
    """The unit of a twin's result in one folded call: `a * b`, `a / b` or `a ** (b / q)`.
    Returns the unit's name on `Derived` and 1.0, or None and the scale that a dimensionless
    (or absent) unit folds into the plain result, as `rules.changed` does."""
    if kind == "product":
        unit = _r.product(a, b)  # type: ignore[arg-type]
    elif kind == "quotient":
        unit = _r.quotient(a, b)  # type: ignore[arg-type]
    else:
        exponent = b if q == 1 else Fraction(b) / q  # type: ignore[arg-type]
        unit = None if a is None else unit_power(a, exponent)  # type: ignore[arg-type]
    if unit is None:
        return None, 1.0
    if unit.dim is DIMENSIONLESS:
        return None, unit.magnitude
    return _keep(unit), 1.0


@fold_when_traced
def plain_scale(u: Unit) -> float | None:
    """The factor a dimensionless unit folds into a plain result; None for a dimensionful one."""
    return u.magnitude if u.dim is DIMENSIONLESS else None


@fold_when_traced
def conversion(u_from: Unit | None, u_to: Unit | None) -> float | None:
    """The conversion factor, or None where the dimensions differ (the eager code raises)."""
    a = UNITLESS if u_from is None else u_from
    b = UNITLESS if u_to is None else u_to
    return conversion_factor(a, b) if a.dim is b.dim else None


# -- rules.py's fold, same arguments and results (keep and changed are generated)
def fold(op: str, m: Any, u: Unit | None, unit_to_scale: Unit | None = None) -> Any:
    if unit_to_scale is not None:
        factor = conversion(u, unit_to_scale)
    elif u is None:
        return m
    else:
        factor = plain_scale(u)
    if factor is None:
        return _r.fold(op, m, u, unit_to_scale)  # raises DimensionMismatchError
    return m if factor == 1.0 else m * factor


def binds(
    args: tuple[Any, ...], kwargs: dict[str, Any], names: tuple[str, ...], required: int
) -> bool:
    """Whether a call binds to the parameters `names` (the first `required` of them without a
    default) as Python binds it; a twin that binds its arguments itself asks this first."""
    if len(args) > len(names):
        return False
    rest = names[len(args) :]
    return all(name in rest for name in kwargs) and all(
        name in kwargs for name in rest[: required - len(args)]
    )


# -- installing the twins (at the import of a backend module that has them) -----------------
def install(
    frontend: Mapping[str, Callable[..., Any]],
    methods: Mapping[str, Callable[..., Any]],
) -> tuple[dict[str, Callable[..., Any]], dict[str, Callable[..., Any]]]:
    """Give the front-end functions (`frontend`, by "namespace.name") and the Quantity
    operators (`methods`, by name) their twins; returns the eager copies of both, for the twins'
    fallbacks."""
    front_eager: dict[str, Callable[..., Any]] = {}
    for qualname, twin in frontend.items():
        namespace, name = qualname.split(".")
        fn = getattr(importlib.import_module(f"polyunit.backends.frontend_{namespace}"), name)
        front_eager[qualname] = eager_copy(fn)
        setattr(fn, TWIN, twin)
    op_eager: dict[str, Callable[..., Any]] = {}
    for dunder, twin in methods.items():
        fn = getattr(Quantity, dunder)
        op_eager[dunder] = eager_copy(fn)
        setattr(fn, TWIN, twin)
    return front_eager, op_eager
