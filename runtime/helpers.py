"""Unit helpers of the reference's public API: queries on quantities, units and dimensions,
dimension/unit assertions and the check_dims / check_units decorators.

Plain values (numbers, arrays of any library) count as dimensionless and unitless everywhere.
Nothing here imports an array library except numpy, and numpy only inside assert_quantity.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from polyunit.dimension import DIMENSIONLESS, Dimension, get_or_create_dimension
from polyunit.errors import DimensionMismatchError, UnitMismatchError
from polyunit.quantity import Quantity, describe
from polyunit.unit import UNITLESS, Unit

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "assert_quantity",
    "check_dims",
    "check_units",
    "display_in_unit",
    "fail_for_dimension_mismatch",
    "fail_for_unit_mismatch",
    "get_dim",
    "get_magnitude",
    "get_mantissa",
    "get_or_create_dimension",
    "get_unit",
    "is_dimensionless",
    "is_unitless",
    "maybe_decimal",
]


def get_dim(obj: object) -> Dimension:
    """The dimension of a Quantity, Unit or Dimension; plain values are dimensionless."""
    if isinstance(obj, Dimension):
        return obj
    if isinstance(obj, Unit | Quantity):
        return obj.dim
    return DIMENSIONLESS


def get_unit(obj: object) -> Unit:
    """The unit of a Quantity (a Unit is its own unit); plain values have the unitless unit."""
    if isinstance(obj, Unit):
        return obj
    if isinstance(obj, Quantity):
        return obj.unit
    return UNITLESS


def get_mantissa(obj: object) -> Any:
    """The array behind a Quantity, in its own unit; anything else is returned unchanged."""
    return obj.mantissa if isinstance(obj, Quantity) else obj  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


get_magnitude = get_mantissa


def is_dimensionless(obj: object) -> bool:
    """Whether the dimension of `obj` (Quantity, Unit, Dimension or plain value) is 1."""
    return get_dim(obj) is DIMENSIONLESS


def is_unitless(obj: object) -> bool:
    """Whether `obj` has no unit at all: dimensionless and unscaled (m/mm is not unitless)."""
    if isinstance(obj, Dimension):
        raise TypeError(
            "is_unitless takes a Quantity, Unit or plain value, not a Dimension; "
            "use is_dimensionless for dimensions"
        )
    return get_unit(obj).is_unitless


def maybe_decimal(val: Any, unit: Unit | None = None) -> Any:
    """The plain value of `val` in `unit`; without `unit`, dimensionless quantities become plain
    (scale folded in) and dimensionful ones are returned unchanged."""
    if unit is not None:
        if not isinstance(unit, Unit):  # pyright: ignore[reportUnnecessaryIsInstance]  (a run-time guard: callers pass anything)
            raise TypeError(f"unit must be a polyunit Unit, got {type(unit).__name__}")
        if isinstance(val, Quantity):
            return val.to_decimal(unit)  # pyright: ignore[reportUnknownVariableType]
        if not unit.is_dimensionless:
            raise DimensionMismatchError(
                f"cannot express the plain value {describe(val)} in {unit.dispname}: it is "
                "dimensionless; multiply it by a unit first"
            )
        return val / unit.magnitude if unit.magnitude != 1.0 else val
    if isinstance(val, Quantity) and val.dim is DIMENSIONLESS:
        return val.to_decimal()  # pyright: ignore[reportUnknownVariableType]
    return val  # pyright: ignore[reportUnknownVariableType]


def display_in_unit(x: Any, u: Unit | None = None, precision: int | None = None) -> str:
    """`x` written in unit `u` (default: its own unit), with `precision` significant digits
    (default: numpy's printing)."""
    q = x if isinstance(x, Quantity) else Quantity(x)  # pyright: ignore[reportUnknownVariableType]
    if u is not None:
        if not isinstance(u, Unit):  # pyright: ignore[reportUnnecessaryIsInstance]  (a run-time guard: callers pass anything)
            raise TypeError(f"u must be a polyunit Unit, got {type(u).__name__}")
        q = q.in_unit(u)  # pyright: ignore[reportUnknownVariableType]
    if precision is None:
        return str(q)  # pyright: ignore[reportUnknownArgumentType]
    import numpy as np

    from polyunit.convert import to_numpy_array

    def digits(v: Any) -> str:
        return f"{v:.{precision}g}"

    values = np.asarray(to_numpy_array(q.mantissa))  # pyright: ignore[reportUnknownMemberType]
    text = np.array2string(values, separator=" ", formatter={"float_kind": digits})
    return text if q.unit.is_unitless else f"{text} {q.unit.dispname}"


def _show(obj: object) -> str:
    if isinstance(obj, Unit):
        return f"the unit {obj.dispname or '1'}"
    if isinstance(obj, Dimension):
        return f"the dimension {obj}"
    return describe(obj)


def _format(error_message: str | None, default: str, error_arrays: dict[str, Any]) -> str:
    if error_message is None:
        return default
    shown = {k: describe(v) for k, v in error_arrays.items()}
    return error_message.format(**shown) + f" ({default})"


def fail_for_dimension_mismatch(
    obj1: Any, obj2: Any = None, error_message: str | None = None, **error_arrays: Any
) -> tuple[Dimension, Dimension]:
    """Raise DimensionMismatchError unless `obj1` and `obj2` (default: dimensionless) share a
    dimension; return both dimensions. `error_message` may name `error_arrays` as {name}."""
    d1 = get_dim(obj1)
    d2 = DIMENSIONLESS if obj2 is None else get_dim(obj2)
    if d1 is not d2:
        what = "is not dimensionless" if obj2 is None else f"and {_show(obj2)} differ"
        default = f"{_show(obj1)} {what}: dimensions {d1} vs {d2}"
        raise DimensionMismatchError(_format(error_message, default, error_arrays))
    return d1, d2


def fail_for_unit_mismatch(
    obj1: Any, obj2: Any = None, error_message: str | None = None, **error_arrays: Any
) -> tuple[Unit, Unit]:
    """Raise UnitMismatchError unless `obj1` and `obj2` (default: unitless) have the same unit
    (dimension and scale); return both units."""
    u1 = get_unit(obj1)
    u2 = UNITLESS if obj2 is None else get_unit(obj2)
    if u1 != u2:
        what = "is not unitless" if obj2 is None else f"and {_show(obj2)} differ"
        default = f"{_show(obj1)} {what}: units {u1.dispname or '1'} vs {u2.dispname or '1'}"
        raise UnitMismatchError(_format(error_message, default, error_arrays))
    return u1, u2


def assert_quantity(q: Any, mantissa: Any, unit: Unit | None = None) -> None:
    """Assert that `q` holds `mantissa` (to float tolerance) in `unit`; without `unit`, that
    `q` is plain or unitless. For tests."""
    import numpy as np

    from polyunit.convert import to_numpy_array

    expected = UNITLESS if unit is None else unit
    got = get_unit(q)
    if got != expected:
        raise AssertionError(
            f"expected a quantity in {expected.dispname or '1'}, got {describe(q)} "
            f"in {got.dispname or '1'}"
        )
    actual = np.asarray(to_numpy_array(get_mantissa(q)))
    np.testing.assert_allclose(actual, np.asarray(to_numpy_array(get_mantissa(mantissa))))


# -- decorators ---------------------------------------------------------------------------------
def _expected_dim(name: str, spec: object) -> Dimension:
    if isinstance(spec, Dimension):
        return spec
    if isinstance(spec, Unit):
        return spec.dim
    raise TypeError(
        f"check_dims({name}=...) needs a Dimension or Unit (or None, a bool, or another "
        f"argument's name), got {type(spec).__name__}"
    )


def _expected_unit(name: str, spec: object) -> Unit:
    if isinstance(spec, Unit):
        return spec
    raise TypeError(
        f"check_units({name}=...) needs a Unit (or None, a bool, or another argument's name), "
        f"got {type(spec).__name__}"
    )


def _checker(kind: str, au: dict[str, Any]) -> Callable[[F], F]:
    """The decorator shared by check_dims and check_units: `kind` is "dimension" or "unit"."""
    same: Callable[[object, object], bool]
    if kind == "dimension":
        get: Callable[[object], object] = get_dim
        want: Callable[[str, object], object] = _expected_dim
        same = lambda a, b: a is b  # noqa: E731
        show: Callable[[object], str] = str
    else:
        get, want = get_unit, _expected_unit
        same = lambda a, b: a == b  # noqa: E731
        show = lambda x: x.dispname or "1"  # type: ignore[attr-defined]  # noqa: E731
    error = DimensionMismatchError if kind == "dimension" else UnitMismatchError
    result_spec = au.pop("result", None)

    def check(fname: str, name: str, value: object, spec: object, bound: dict[str, Any]) -> None:
        if spec is None:
            return
        if isinstance(spec, bool):
            if not isinstance(value, bool):
                raise TypeError(f"{fname}: argument {name} must be a bool, got {describe(value)}")
            return
        if isinstance(spec, str):
            if spec not in bound:
                raise TypeError(f"{fname}: {name} is checked against {spec!r}, not an argument")
            expected = get(bound[spec])
        else:
            expected = want(name, spec)
        if not same(get(value), expected):
            raise error(
                f"{fname}: {name} must have the {kind} {show(expected)}, "
                f"got {describe(value)} with {show(get(value))}"
            )

    def decorate(func: F) -> F:
        import inspect  # only when a function is decorated: keeps `import polyunit` light

        sig = inspect.signature(func)
        unknown = set(au) - set(sig.parameters)
        if unknown:
            raise TypeError(f"{func.__name__} has no argument(s) {sorted(unknown)} to check")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            values = dict(bound.arguments)
            for name, spec in au.items():
                check(func.__name__, name, values[name], spec, values)
            out = func(*args, **kwargs)
            if result_spec is not None:
                if isinstance(result_spec, tuple | list):
                    if not isinstance(out, tuple | list) or len(out) != len(result_spec):  # pyright: ignore[reportUnknownArgumentType]
                        raise TypeError(
                            f"{func.__name__}: expected {len(result_spec)} results, got {describe(out)}"  # pyright: ignore[reportUnknownArgumentType]
                        )
                    for i, (r, s) in enumerate(zip(out, result_spec, strict=True)):  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
                        check(func.__name__, f"result[{i}]", r, s, values)  # pyright: ignore[reportUnknownArgumentType]
                else:
                    check(func.__name__, "the result", out, result_spec, values)
            return out  # pyright: ignore[reportUnknownVariableType]

        return wrapper  # type: ignore[return-value]

    return decorate


def check_dims(**au: Any) -> Callable[[F], F]:
    """Decorator: each named argument (and `result`) must have the given dimension.

    Values: a Dimension or Unit (its dimension), None (not checked), True/False (the argument
    must be a bool), or another argument's name (same dimension as that argument); `result` may
    be a tuple of these for a function returning several values.
    """
    return _checker("dimension", dict(au))


def check_units(**au: Any) -> Callable[[F], F]:
    """Decorator: each named argument (and `result`) must have exactly the given unit (same
    dimension and scale). Values as for check_dims, with Units instead of Dimensions."""
    return _checker("unit", dict(au))
