"""Top-level helpers of the reference API: unit parsing, comparisons of units between values,
alignment, decorators that assign units, temperature scales, custom array wrappers and the
matplotlib bridge."""

from __future__ import annotations

import ast
import functools
import importlib
from collections.abc import Callable
from fractions import Fraction
from typing import Any, TypeVar

from polyunit.dimension import DIMENSIONLESS, Dimension
from polyunit.errors import BackendError, DimensionMismatchError
from polyunit.quantity import Quantity
from polyunit.unit import UNITLESS, Unit

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).

F = TypeVar("F", bound=Callable[..., Any])

# -- units by name ---------------------------------------------------------------------------
_REGISTERED: dict[str, Unit] = {}


def add_standard_unit(u: Unit) -> None:
    """Make `u` known to `parse_unit` by its name and its symbol."""
    if not isinstance(u, Unit):  # pyright: ignore[reportUnnecessaryIsInstance]  (a run-time guard: callers pass anything)
        raise TypeError(f"add_standard_unit takes a Unit, got {type(u).__name__}")
    _REGISTERED[u.name] = u
    _REGISTERED[u.dispname] = u


_CATALOG: dict[str, Unit] = {}


def _named_unit(name: str) -> Unit:
    """A unit by catalog name (`kmeter`) or symbol (`km`); registered units first."""
    found = _REGISTERED.get(name)
    if found is not None:
        return found
    if not _CATALOG:
        from polyunit.backends import units

        for attr in units.__all__:
            value = getattr(units, attr)
            if isinstance(value, Unit):
                _CATALOG.setdefault(value.dispname, value)
        for attr in units.__all__:  # names win over symbols that happen to coincide
            value = getattr(units, attr)
            if isinstance(value, Unit):
                _CATALOG[attr] = value
    found = _CATALOG.get(name)
    if found is None:
        raise ValueError(
            f"unknown unit {name!r} in a unit expression; use a catalog name or symbol "
            "(meter or m, kmeter or km), or register it with add_standard_unit"
        )
    return found


def parse_unit(s: str) -> Unit:
    """A unit from text such as "m", "km/h", "kg*m**2/s^2" or "1/s" (catalog names, `*`, `/`,
    `**` or `^` with rational exponents, parentheses)."""
    try:
        tree = ast.parse(s.replace("^", "**").strip() or "1", mode="eval")
    except SyntaxError:
        raise ValueError(f"cannot parse the unit expression {s!r}") from None
    return _as_unit(_evaluate(tree.body, s), s)


def _evaluate(node: ast.expr, text: str) -> Unit | Fraction:
    if isinstance(node, ast.Name):
        return _named_unit(node.id)
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return Fraction(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _evaluate(node.operand, text)
        if isinstance(inner, Fraction):
            return -inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow | ast.Mult | ast.Div):
        left, right = _evaluate(node.left, text), _evaluate(node.right, text)
        if isinstance(node.op, ast.Pow):
            if isinstance(left, Unit) and isinstance(right, Fraction):
                return left**right
            raise ValueError(f"{text!r}: write powers as <unit>**<number>")
        if isinstance(left, Fraction) and isinstance(right, Fraction):
            return left * right if isinstance(node.op, ast.Mult) else left / right
        lu, ru = _as_unit(left, text), _as_unit(right, text)
        return lu * ru if isinstance(node.op, ast.Mult) else lu / ru  # type: ignore[no-any-return]
    raise ValueError(f"cannot parse the unit expression {text!r}: unexpected {ast.unparse(node)}")


def _as_unit(value: Unit | Fraction, text: str) -> Unit:
    if isinstance(value, Unit):
        return value
    if value == 1:
        return UNITLESS
    raise ValueError(f"{text!r}: a number other than 1 cannot stand for a unit; use a prefix")


# -- properties of values ------------------------------------------------------------------
def split_mantissa_unit(obj: object) -> tuple[Any, Unit]:
    """(mantissa, unit) of a quantity; (obj, the unit 1) of a plain value."""
    if isinstance(obj, Quantity):
        return obj.mantissa, obj.unit  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return obj, UNITLESS


def _unit_of(obj: object) -> Unit:
    if isinstance(obj, Unit):
        return obj
    return obj.unit if isinstance(obj, Quantity) else UNITLESS


def _dim_of(obj: object) -> Dimension:
    return obj if isinstance(obj, Dimension) else _unit_of(obj).dim


def have_same_dim(obj1: object, obj2: object) -> bool:
    """Whether two values (quantities, units, dimensions or plain numbers) share a dimension."""
    return _dim_of(obj1) is _dim_of(obj2)


def has_same_unit(obj1: object, obj2: object) -> bool:
    """Whether two values carry exactly the same unit (plain values: the unit 1)."""
    return _unit_of(obj1) == _unit_of(obj2)


def is_unit_equal_math(u1: Unit, u2: Unit) -> bool:
    """Whether two units are the same physical unit: same dimension and the same size
    (km and 1000 m are; names do not matter)."""
    return u1.dim is u2.dim and u1.magnitude == u2.magnitude


def is_scalar_type(obj: object) -> bool:
    """A Python number, or a 0-d array or quantity."""
    if isinstance(obj, int | float | complex | bool):
        return True
    shape = getattr(obj, "shape", None)
    return shape is not None and tuple(shape) == ()


def get_dim_for_display(d: object) -> str:
    """The dimension as text ("m s^-1"), "1" when dimensionless."""
    dim = _dim_of(d)
    return "1" if dim is DIMENSIONLESS else str(dim)


def unit_scale_align_to_first(*args: object) -> list[Quantity[Any]]:
    """Every argument expressed in the unit of the first (plain values count as unit 1)."""
    if not args:
        return []
    first = _unit_of(args[0])
    out: list[Quantity[Any]] = []
    for a in args:
        q = a if isinstance(a, Quantity) else Quantity(a)  # pyright: ignore[reportUnknownVariableType]
        if q.unit.dim is not first.dim:
            raise DimensionMismatchError(
                f"unit_scale_align_to_first: {q.unit.dispname} ({q.unit.dim}) does not have "
                f"the dimension of the first argument, {first.dispname} ({first.dim})"
            )
        out.append(q.in_unit(first))  # pyright: ignore[reportUnknownArgumentType]
    return out


def array_with_unit(mantissa: Any, unit: Unit, dtype: Any = None) -> Quantity[Any]:
    """`Quantity(mantissa, unit, dtype)`."""
    return Quantity(mantissa, unit, dtype=dtype)


# -- decorators ------------------------------------------------------------------------------
def assign_units(f: Callable[..., Any] | None = None, **au: Unit | None) -> Any:
    """Call `f` with plain numbers: each named argument is converted to the given unit and its
    mantissa passed on; `result=<unit>` attaches that unit to the return value.

        @assign_units(distance=u.meter, time=u.second, result=u.meter / u.second)
        def speed(distance, time):
            return distance / time
    """
    result_unit = au.pop("result", None)

    def decorate(fn: F) -> F:
        import inspect

        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            for name, unit in au.items():
                if name not in bound.arguments or unit is None:
                    continue
                value = bound.arguments[name]
                if not isinstance(value, Quantity):
                    if unit.dim is not DIMENSIONLESS:
                        raise DimensionMismatchError(
                            f"{fn.__name__}: argument {name!r} must be a quantity in a unit of "
                            f"{unit.dim} (e.g. {unit.dispname}), got a plain {type(value).__name__}"
                        )
                    continue
                bound.arguments[name] = value.to_decimal(unit)
            out = fn(*bound.args, **bound.kwargs)
            return out if result_unit is None else Quantity(out, result_unit)  # pyright: ignore[reportUnknownVariableType]

        return wrapper  # type: ignore[return-value]

    return decorate if f is None else decorate(f)


# -- temperature scales ----------------------------------------------------------------------
_ZERO_CELSIUS = 273.15


def _kelvin() -> Unit:
    from polyunit.backends import units

    return units.kelvin


def celsius2kelvin(celsius: Any) -> Quantity[Any]:
    """A temperature in °C (a plain number or array) as a quantity in kelvin."""
    if isinstance(celsius, Quantity):
        _not_plain("celsius2kelvin", celsius)  # pyright: ignore[reportUnknownArgumentType]
    return Quantity(celsius + _ZERO_CELSIUS, _kelvin())


def kelvin2celsius(value: Quantity[Any]) -> Any:
    """A temperature quantity as a plain number (array) in °C."""
    return _in_kelvin("kelvin2celsius", value) - _ZERO_CELSIUS


def fahrenheit2kelvin(fahrenheit: Any) -> Quantity[Any]:
    """A temperature in °F (a plain number or array) as a quantity in kelvin."""
    if isinstance(fahrenheit, Quantity):
        _not_plain("fahrenheit2kelvin", fahrenheit)  # pyright: ignore[reportUnknownArgumentType]
    return Quantity((fahrenheit - 32.0) * (5.0 / 9.0) + _ZERO_CELSIUS, _kelvin())


def kelvin2fahrenheit(value: Quantity[Any]) -> Any:
    """A temperature quantity as a plain number (array) in °F."""
    return (_in_kelvin("kelvin2fahrenheit", value) - _ZERO_CELSIUS) * (9.0 / 5.0) + 32.0


def _in_kelvin(what: str, value: object) -> Any:
    if not isinstance(value, Quantity) or value.unit.dim is not _kelvin().dim:
        raise DimensionMismatchError(
            f"{what} takes a temperature quantity (e.g. 300 * u.kelvin), got {value!r}"
        )
    return value.to_decimal(_kelvin())  # pyright: ignore[reportUnknownVariableType]


def _not_plain(what: str, value: Quantity[Any]) -> Any:
    raise TypeError(
        f"{what} takes a plain number on the Celsius/Fahrenheit scale (those are offset "
        f"scales, not units), got a quantity in {value.unit.dispname}"
    )


# -- arrays wrapped in user classes ----------------------------------------------------------
class CustomArray:
    """Base for user classes that wrap an array in `.data`; polyunit functions given such an
    object through `maybe_custom_array` compute on the wrapped array."""

    data: Any

    def __init__(self, data: Any) -> None:
        self.data = data


def maybe_custom_array(x: Any) -> Any:
    """The wrapped array of a CustomArray, anything else unchanged."""
    return x.data if isinstance(x, CustomArray) else x


def maybe_custom_array_tree(x: Any) -> Any:
    """`maybe_custom_array` applied through lists, tuples and dicts."""
    if isinstance(x, CustomArray):
        return x.data
    if isinstance(x, list | tuple):
        return type(x)(maybe_custom_array_tree(v) for v in x)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    if isinstance(x, dict):
        return {k: maybe_custom_array_tree(v) for k, v in x.items()}  # pyright: ignore[reportUnknownVariableType]
    return x


# -- matplotlib ------------------------------------------------------------------------------
def enable_matplotlib_support(units_module: Any = None) -> None:
    """Let matplotlib plot quantities: axes are labelled with the first unit plotted and
    later data are converted to it. `units_module` defaults to `matplotlib.units`."""
    if units_module is None:
        try:
            units_module = importlib.import_module("matplotlib.units")
        except ImportError:
            raise BackendError(
                "enable_matplotlib_support needs matplotlib: pip install matplotlib"
            ) from None

    class QuantityConverter(units_module.ConversionInterface):  # type: ignore[misc]
        @staticmethod
        def axisinfo(unit: Unit, axis: Any) -> Any:
            return units_module.AxisInfo(label=unit.dispname)

        @staticmethod
        def default_units(x: Any, axis: Any) -> Unit:
            first = x[0] if isinstance(x, list | tuple) and x else x  # pyright: ignore[reportUnknownVariableType]
            return _unit_of(first)  # pyright: ignore[reportUnknownArgumentType]

        @staticmethod
        def convert(value: Any, unit: Unit, axis: Any) -> Any:
            if isinstance(value, list | tuple):
                return [QuantityConverter.convert(v, unit, axis) for v in value]  # pyright: ignore[reportUnknownVariableType]
            if isinstance(value, Quantity):
                from polyunit.convert import to_numpy_array

                return to_numpy_array(value.in_unit(unit).mantissa)  # pyright: ignore[reportUnknownMemberType]
            return value

    units_module.registry[Quantity] = QuantityConverter()
