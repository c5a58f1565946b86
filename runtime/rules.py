"""The unit rules, as the small functions the generated backend modules call.

Each backend module gets its own `lift` (from `make_lift`) that splits an argument into
(mantissa on this backend, Unit or None for a plain value); the rest is backend independent.
A `None` unit means "plain array": plain operands count as dimensionless.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any, TypeVar

from polyunit.backend import backend_of_type, is_installed
from polyunit.convert import convert_array
from polyunit.dimension import DIMENSIONLESS
from polyunit.errors import BackendError, DimensionMismatchError, missing_backend
from polyunit.quantity import Quantity, describe
from polyunit.unit import (
    UNITLESS,
    Unit,
    conversion_factor,
    unit_power,
    unit_product,
    unit_quotient,
)

A = TypeVar("A")
Lifted = tuple[Any, Unit | None]
_SCALARS = (int, float, complex, bool)


_NATIVE: dict[str, set[type]] = {}
_SCALAR_TYPES = frozenset(_SCALARS)


def native_types(backend: str) -> set[type]:
    """The array types seen so far to be `backend`'s own (filled by its lifters).

    The generated modules test `type(x.mantissa) in _native` inline: a Quantity already on the
    backend then needs no call at all (the hot path of every op).
    """
    return _NATIVE.setdefault(backend, set())


def make_lift(backend: str, scalars_pass: bool) -> Callable[[object], Lifted]:
    """The argument splitter of one backend: foreign arrays and lists are converted to it;
    Python scalars pass through unchanged when `scalars_pass` (the library takes them natively)."""

    native = native_types(backend)

    def lift(v: object) -> Lifted:
        # hot path: pyright sees Quantity[Unknown] after these checks, a cast would cost a call
        if type(v) is Quantity:
            m: Any = v.mantissa  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
            u: Unit | None = v.unit
        elif isinstance(v, Quantity):
            m, u = v.mantissa, v.unit  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        else:
            m, u = v, None
        t: type[Any] = type(m)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
        if t in native or (scalars_pass and t in _SCALAR_TYPES):
            return m, u  # pyright: ignore[reportUnknownVariableType]
        if backend_of_type(t) == backend:
            native.add(t)
            return m, u  # pyright: ignore[reportUnknownVariableType]
        return convert_array(m, backend), u

    return lift


def lift_seq(
    lift: Callable[[object], Lifted], vs: object, native: set[type] | None = None
) -> tuple[list[Any], list[Unit | None]]:
    """Split a list or tuple of operands into their mantissas and units. `native`: the backend's
    array types, whose quantities are split inline (a call to `lift` each costs 4x as much)."""
    if not isinstance(vs, list | tuple):
        raise TypeError(
            f"expected a list or tuple of arrays or quantities, got {type(vs).__name__}; "
            "wrap a single array in a list"
        )
    ms: list[Any] = []
    us: list[Unit | None] = []
    for v in vs:  # pyright: ignore[reportUnknownVariableType]
        if native is not None and type(v) is Quantity and type(v.mantissa) in native:  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
            ms.append(v.mantissa)  # pyright: ignore[reportUnknownMemberType]
            us.append(v.unit)  # pyright: ignore[reportUnknownMemberType]
        else:
            m, u = lift(v)  # pyright: ignore[reportUnknownArgumentType]
            ms.append(m)
            us.append(u)
    return ms, us


def align_seq(
    op: str, ms: list[Any], us: list[Unit | None], vs: Any
) -> tuple[list[Any], Unit | None]:
    """Express every operand in the first one's unit (plain counts as dimensionless)."""
    if not us or all(u is us[0] for u in us):
        return ms, (us[0] if us else None)
    first = us[0]
    out = [ms[0]]
    for m, u, v in zip(ms[1:], us[1:], vs[1:], strict=True):
        m, first = align(op, m, u, first, vs[0], v)
        out.append(m)
    return out, first


def product_seq(us: list[Unit | None]) -> Unit | None:
    """The product of the operands' units (plain operands count as 1)."""
    result: Unit | None = None
    for u in us:
        result = product(result, u)
    return result


_new = object.__new__


def keep(r: A, u: Unit | None) -> Quantity[A] | A:
    """Result with the input's unit: a Quantity for a Quantity input, plain for a plain one."""
    if u is None:
        return r
    # Quantity._new inlined: this runs once per op, and a classmethod call costs as much again.
    q: Quantity[A] = _new(Quantity)  # pyright: ignore[reportUnknownVariableType]
    q.mantissa = r
    q.unit = u
    return q


def changed(r: A, u: Unit | None | tuple[Unit | None, ...]) -> Quantity[A] | A:
    """Result of unit algebra: dimensionless outcomes come back plain with the scale folded in.
    A tuple of units gives a tuple result one unit per part (an option such as unique's
    return_counts turned the result into a tuple)."""
    if u is None:
        return r
    if isinstance(u, tuple):
        parts: Any = r
        return tuple(changed(p, pu) for p, pu in zip(parts, u, strict=True))  # type: ignore[return-value]
    if u.dim is DIMENSIONLESS:
        scaled: Any = r
        return r if u.magnitude == 1.0 else scaled * u.magnitude
    q: Quantity[A] = _new(Quantity)  # pyright: ignore[reportUnknownVariableType]
    q.mantissa = r
    q.unit = u
    return q


def like(r: A, u_proto: Unit | None, unit: Unit | None) -> Quantity[A] | A:
    """Result shaped like a prototype: the `unit` argument if given, else the prototype's unit."""
    return changed(r, unit) if unit is not None else keep(r, u_proto)


def align(op: str, m_y: Any, u_y: Unit | None, u_x: Unit | None, x: object, y: object) -> Lifted:
    """Express y in x's unit (plain counts as dimensionless); the result unit is x's (or y's)."""
    ux = UNITLESS if u_x is None else u_x
    uy = UNITLESS if u_y is None else u_y
    if ux.dim is not uy.dim:
        raise DimensionMismatchError(
            f"Cannot {op} {describe(x)} and {describe(y)}: units {ux.dispname} and {uy.dispname} "
            f"have different dimensions ({ux.dim} vs {uy.dim})"
        )
    factor = conversion_factor(uy, ux)
    return (m_y if factor == 1.0 else m_y * factor), ux


def product(u_x: Unit | None, u_y: Unit | None) -> Unit | None:
    if u_x is None:
        return u_y
    if u_y is None:
        return u_x
    return unit_product(u_x, u_y)


def quotient(u_x: Unit | None, u_y: Unit | None) -> Unit | None:
    if u_y is None:
        return u_x
    if u_x is None:
        return unit_power(u_y, -1)
    return unit_quotient(u_x, u_y)


def power(u: Unit | None, p: Fraction) -> Unit | None:
    return None if u is None else unit_power(u, p)


def power_by(
    op: str, m_x: Any, u_x: Unit | None, m_y: Any, u_y: Unit | None
) -> tuple[Any, Any, Unit | None]:
    """`x ** y` with `y` a run-time argument: (base mantissa, exponent for the backend, unit).

    A unitful base needs a static scalar exponent (one unit for the whole result); a
    dimensionless base takes any dimensionless exponent, arrays included.
    """
    if u_y is not None:
        if u_y.dim is not DIMENSIONLESS:
            raise DimensionMismatchError(
                f"{op}: the exponent must be dimensionless, got a quantity in {u_y.dispname}"
            )
        if u_y.magnitude != 1.0:
            m_y = m_y * u_y.magnitude
    if u_x is None:
        return m_x, m_y, None
    if u_x.dim is DIMENSIONLESS:
        return (m_x if u_x.magnitude == 1.0 else m_x * u_x.magnitude), m_y, None
    try:
        unit = unit_power(u_x, _static_scalar(m_y))  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise DimensionMismatchError(
            f"{op}: raising a quantity in {u_x.dispname} needs a static scalar exponent (one unit "
            f"for the whole result); got {describe(m_y)}. Divide by the unit first for array exponents."
        ) from exc
    return m_x, m_y, unit


def _static_scalar(y: object) -> object:
    if isinstance(y, _SCALARS) or isinstance(y, Fraction):
        return y
    shape = getattr(y, "shape", None)
    if shape == () and backend_of_type(type(y)) in ("numpy", "torch"):
        return y.item()  # type: ignore[attr-defined]
    raise TypeError(type(y).__name__)


def fold(op: str, m: Any, u: Unit | None, unit_to_scale: Unit | None = None) -> Any:
    """The plain number behind a dimensionless argument (scale folded in), or its value in
    `unit_to_scale` when given; a dimensionful argument is an error."""
    if unit_to_scale is not None:
        factor = conversion_factor(UNITLESS if u is None else u, unit_to_scale)
        return m if factor == 1.0 else m * factor
    if u is None:
        return m
    if u.dim is not DIMENSIONLESS:
        raise DimensionMismatchError(
            f"{op} needs a dimensionless argument, got a quantity in {u.dispname} ({u.dim}); "
            f"divide it by a unit first, or pass unit_to_scale=<unit>"
        )
    return m if u.magnitude == 1.0 else m * u.magnitude


def create_unit(unit: object) -> Unit | None:
    """Check the `unit` argument of an array-creation function."""
    if unit is None or isinstance(unit, Unit):
        return unit
    raise TypeError(f"unit must be a polyunit Unit (e.g. u.meter), got {type(unit).__name__}")


def unsupported(op: str, backend: str, reason: str) -> BackendError:
    return BackendError(
        f"polyunit.{op} is not available on the {backend} backend: {reason}. "
        f"Convert the input with .to_numpy() or .to_jax() first."
    )


def jax_only(op: str, backend: str) -> BackendError:
    fix = (
        "Call .to_jax() on the input first."
        if is_installed("jax")
        else f"Call .to_jax() on the input first; {missing_backend('jax')}."
    )
    return BackendError(
        f"polyunit.{op} requires the jax backend; got {backend}-backed Quantity. {fix}"
    )
