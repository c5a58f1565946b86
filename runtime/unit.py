"""Units: a dimension, an exact scale and a display name; interned, with cached algebra."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Final

from polyunit.compiling import fold_when_traced, trace_as
from polyunit.dimension import DIMENSIONLESS, Dimension
from polyunit.errors import DimensionMismatchError

if TYPE_CHECKING:
    from polyunit.quantity import Quantity

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).
# The unit algebra below reads Unit's private parts and caches: same module, module-level
# functions (kept out of the class for speed); those lines carry reportPrivateUsage ignores.

Factor = Fraction | float
# Display parts: (symbol, exponent) pairs, sorted by first appearance.
Parts = tuple[tuple[str, Fraction], ...]


def _canonical(exp10: Fraction, factor: Factor) -> tuple[Fraction, Factor]:
    """Move powers of ten from an exact factor into the exponent, so 1000 * 1e-3 == 1 * 1e0."""
    if isinstance(factor, float):
        if factor.is_integer() or len(repr(factor)) < 18:
            factor = Fraction(repr(factor))
        else:
            return exp10, factor
    num, den = factor.numerator, factor.denominator
    if num == 0:
        return Fraction(0), Fraction(0)
    while num % 10 == 0:
        num //= 10
        exp10 += 1
    while den % 10 == 0:
        den //= 10
        exp10 -= 1
    return exp10, Fraction(num, den)


def _exact(x: int | float | Fraction) -> Factor:
    """A number as an exact Fraction where its decimal form is exact and short."""
    if isinstance(x, float) and not (x.is_integer() or len(repr(x)) < 18):
        return x
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


def _pow_factor(factor: Factor, p: Fraction) -> Factor:
    if isinstance(factor, Fraction):
        if p.denominator == 1:
            return factor ** int(p)
        num = round(float(factor.numerator) ** (1 / p.denominator))
        den = round(float(factor.denominator) ** (1 / p.denominator))
        if num**p.denominator == factor.numerator and den**p.denominator == factor.denominator:
            return Fraction(num, den) ** p.numerator
    result: float = float(factor) ** float(p)
    return result


def _render(parts: Parts) -> str:
    def one(sym: str, e: Fraction) -> str:
        if e == 1:
            return sym
        exp = str(e.numerator) if e.denominator == 1 else f"({e})"
        return f"{sym}^{exp}"

    pos = [one(s, e) for s, e in parts if e > 0]
    neg = [one(s, -e) for s, e in parts if e < 0]
    if not pos:
        return (
            "1" if not neg else "1 / " + (neg[0] if len(neg) == 1 else "(" + " * ".join(neg) + ")")
        )
    text = " * ".join(pos)
    if neg:
        text += " / " + (neg[0] if len(neg) == 1 else "(" + " * ".join(neg) + ")")
    return text


def _merge(a: Parts, b: Parts, sign: int) -> Parts:
    acc: dict[str, Fraction] = dict(a)
    for sym, e in b:
        acc[sym] = acc.get(sym, Fraction(0)) + sign * e
    return tuple((s, e) for s, e in acc.items() if e != 0)


class Unit:
    """A physical unit: `Dimension`, size `factor * 10**scale` SI base units, and a display name.

    As in the reference library, `scale` is the decimal exponent (mV: -3) and `magnitude` the
    size as a float (mV: 0.001); `exp10` is the exponent as an exact Fraction.

    Units are interned and their algebra (`*`, `/`, `**`, conversion factors) is cached, so the
    operations on quantities only look results up after the first call.
    """

    __slots__ = (
        "dim",
        "exp10",
        "_factor",
        "name",
        "dispname",
        "_parts",
        "magnitude",
        "_key",
        "_hash",
        "_mul",
        "_div",
        "_pow",
        "_to",
    )
    # numpy must hand `array * unit` to Unit.__rmul__ whole, not element by element.
    __array_ufunc__ = None
    _interned: ClassVar[dict[tuple[Any, ...], Unit]] = {}

    dim: Dimension
    exp10: Fraction  # the decimal exponent as declared (exact)
    _factor: Factor  # the factor as declared (exact where its decimal form is)
    name: str
    dispname: str
    _parts: Parts
    magnitude: float  # factor * 10**exp10 as a float: what conversions multiply by
    _key: tuple[Dimension, Fraction, Factor]  # (dim, exponent, factor) with powers of ten moved
    _hash: int
    # The algebra's caches, on the left operand and keyed by the other unit's id (units are
    # interned and kept alive): a hit is one int-keyed dict lookup, no tuple key to build and hash.
    _mul: dict[int, Unit]
    _div: dict[int, Unit]
    _pow: dict[object, Unit]  # by the exponent as given; a Fraction as (numerator, denominator)
    _to: dict[int, float]  # conversion factors to other units

    def __new__(
        cls,
        dim: Dimension | None = None,
        scale: int | Fraction = 0,
        base: float = 10.0,
        factor: float | Fraction = 1,
        name: str | None = None,
        dispname: str | None = None,
        is_fullname: bool = True,
        display_parts: Parts | None = None,
    ) -> Unit:
        """The unit worth `factor * base**scale` SI base units of `dim` (default: dimensionless).

        `display_parts` are (symbol, exponent) pairs for printing products and powers;
        `is_fullname` is accepted for the reference's signature (polyunit derives it: see the
        property)."""
        if dim is None:
            dim = DIMENSIONLESS
        fac = _exact(factor)
        if base != 10:  # fold the other base into the factor: the exponent is always decimal
            fac = _mul_factor(fac, _pow_factor(_exact(base), Fraction(scale)))
            scale = 0
        e10 = Fraction(scale)
        parts = display_parts
        if parts is None:
            parts = ((dispname or name or "1", Fraction(1)),) if (dispname or name) else ()
        display = dispname or _render(parts)
        ikey: tuple[Any, ...] = (dim, e10, fac, display)
        found = cls._interned.get(ikey)
        if found is not None:
            if found._parts == parts:
                return found
            # Another unit shown alike: a catalog unit named "m / s" must not stand in for the
            # computed m * s^-1, or (m / s) * s could not cancel back to m. Rare, so only then
            # do the parts join the key (hashing their Fractions is slow).
            ikey = (*ikey, parts)
            found = cls._interned.get(ikey)
            if found is not None:
                return found
        self = super().__new__(cls)
        self.dim = dim
        self.exp10 = e10
        self._factor = fac
        self.dispname = display
        self.name = name or display
        self._parts = parts
        self.magnitude = float(fac) * 10.0 ** float(e10)
        # equality and hashing by size: 1000 m (scale 0, factor 1000) equals km (scale 3)
        self._key = (dim, *_canonical(e10, fac))
        self._hash = hash(self._key)
        self._mul = {}
        self._div = {}
        self._pow = {}
        self._to = {}
        cls._interned[ikey] = self
        return self

    @classmethod
    def create(
        cls,
        dim: Dimension,
        name: str,
        dispname: str,
        scale: int | Fraction = 0,
        base: float = 10.0,
        factor: float | Fraction = 1,
    ) -> Unit:
        """A named unit of dimension `dim` worth `factor * base**scale` SI base units."""
        return cls(dim, scale, base, factor, name=name, dispname=dispname)

    # -- properties -------------------------------------------------------------------------
    @property
    def is_unitless(self) -> bool:
        """Dimensionless with scale 1 (the unit "1")."""
        return self.dim is DIMENSIONLESS and self.magnitude == 1.0

    @property
    def is_dimensionless(self) -> bool:
        return self.dim is DIMENSIONLESS

    def has_same_dim(self, other: Unit) -> bool:
        return self.dim is other.dim

    # -- algebra (cached by identity: units are interned and kept alive) ---------------------
    def __mul__(self, other: object) -> Any:
        if isinstance(other, Unit):
            return unit_product(self, other)
        from polyunit.quantity import Quantity

        if isinstance(other, Quantity):
            return Quantity(other.mantissa, unit=self * other.unit)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        return Quantity(other, unit=self)  # pyright: ignore[reportUnknownVariableType]

    def __rmul__(self, other: object) -> Quantity[Any]:
        from polyunit.quantity import Quantity

        if isinstance(other, Quantity):
            return Quantity(other.mantissa, unit=other.unit * self)  # pyright: ignore[reportUnknownMemberType]
        return Quantity(other, unit=self)

    def __truediv__(self, other: object) -> Any:
        if isinstance(other, Unit):
            return unit_quotient(self, other)
        from polyunit.quantity import Quantity

        if isinstance(other, Quantity):
            return Quantity(1.0, unit=self) / other
        return Quantity(1.0 / other, unit=self)  # type: ignore[operator]

    def __rtruediv__(self, other: object) -> Any:
        from polyunit.quantity import Quantity

        return Quantity(other, unit=self.reciprocal())  # pyright: ignore[reportUnknownVariableType]

    def reciprocal(self) -> Unit:
        return self**-1

    def __pow__(self, power: int | float | Fraction) -> Unit:
        return unit_power(self, power)

    def factor_to(self, other: Unit) -> float:
        """The number to multiply a value in `self` by to express it in `other`."""
        return conversion_factor(self, other)

    # -- the reference library's members -----------------------------------------------------
    @property
    def factor(self) -> float:
        """The non-decimal factor of the unit's size (inch: 2.54, mV: 1.0)."""
        return float(self._factor)

    @property
    def scale(self) -> int | float:
        """The decimal exponent of the unit's size (mV: -3; m^0.5: 0.5); see `magnitude`."""
        e = self.exp10
        return int(e) if e.denominator == 1 else float(e)

    @property
    def base(self) -> float:
        """The base of the decimal exponent (always 10)."""
        return 10.0

    @property
    def is_fullname(self) -> bool:
        """Whether the unit has a long name distinct from its symbol (metre vs m)."""
        return self.name != self.dispname

    @property
    def should_display_unit(self) -> bool:
        """False for the unit "1", whose quantities print as plain numbers."""
        return not self.is_unitless

    def has_same_base(self, other: Unit) -> bool:
        """Whether both decimal exponents use the same base (always: polyunit uses 10)."""
        return isinstance(other, Unit)  # pyright: ignore[reportUnnecessaryIsInstance]  (False for a non-Unit)

    def has_same_magnitude(self, other: Unit) -> bool:
        """Whether both units are the same size (whatever their dimensions)."""
        return self.magnitude == other.magnitude

    def reverse(self) -> Unit:
        """One over this unit."""
        return self**-1

    def factorless(self) -> Unit:
        """This unit without its non-decimal factor: inch (2.54 cm) -> cm; others unchanged."""
        if self._factor == 1:
            return self
        named = [u for u in Unit._interned.values() if u._key == (self.dim, self.exp10, 1)]
        if named:
            return min(named, key=lambda u: (len(u.dispname), u.dispname))
        return Unit(self.dim, self.exp10, dispname=f"10^{self.exp10} {self.dim}")

    @staticmethod
    def create_scaled_unit(baseunit: Unit, scalefactor: str) -> Unit:
        """`baseunit` with an SI prefix: create_scaled_unit(meter, "k") is km."""
        exp = _PREFIXES.get(scalefactor)
        if exp is None:
            raise ValueError(f"unknown SI prefix {scalefactor!r}; use one of {' '.join(_PREFIXES)}")
        return Unit(
            baseunit.dim,
            baseunit.exp10 + exp,
            factor=baseunit._factor,
            name=scalefactor + baseunit.name,
            dispname=scalefactor + baseunit.dispname,
        )

    def copy(self) -> Unit:
        """Units are immutable and interned: the copy is the unit itself."""
        return self

    def __copy__(self) -> Unit:
        return self

    def __deepcopy__(self, memodict: dict[int, Any]) -> Unit:
        return self

    def __abs__(self) -> Unit:
        return self

    def _no_arithmetic(self, other: object, op: str) -> Any:
        raise TypeError(
            f"units cannot be combined with {op} ({self.dispname} {op} {other!r}); "
            f"make quantities first, e.g. 1 * u.meter {op} 2 * u.cmeter"
        )

    def __add__(self, other: object) -> Any:
        return self._no_arithmetic(other, "+")

    __radd__ = __add__

    def __sub__(self, other: object) -> Any:
        return self._no_arithmetic(other, "-")

    __rsub__ = __sub__

    def __mod__(self, other: object) -> Any:
        return self._no_arithmetic(other, "%")

    __rmod__ = __mod__

    def __floordiv__(self, other: object) -> Any:
        return self._no_arithmetic(other, "//")

    __rfloordiv__ = __floordiv__

    # -- comparison, hashing, pickling -----------------------------------------------------
    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Unit) and self._key == other._key)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _unpickle_unit,
            (self.dim, self.exp10, self._factor, self.name, self.dispname, self._parts),
        )

    def __str__(self) -> str:
        return self.dispname

    def __repr__(self) -> str:
        return f'Unit("{self.dispname}")'


# SI prefix symbol -> decimal exponent (create_scaled_unit).
_PREFIXES = {
    "Y": 24, "Z": 21, "E": 18, "P": 15, "T": 12, "G": 9, "M": 6, "k": 3, "h": 2, "da": 1,
    "d": -1, "c": -2, "m": -3, "u": -6, "n": -9, "p": -12, "f": -15, "a": -18, "z": -21, "y": -24,
}  # fmt: skip


# -- the unit algebra, as plain functions ----------------------------------------------------
# The rules call these directly (no operator dispatch). A cache hit is two dict lookups, which
# torch.compile (dynamo) traces as it is. A miss computes with Fractions, which dynamo cannot
# trace; it goes through a `*_name` function marked `fold_when_traced`: dynamo runs it for real while tracing, and it returns
# the name under which the new unit is kept on `_Derived`, so the unit is read back through a
# plain attribute that dynamo can guard on. Only the caller fills the cache: under dynamo that
# store is a side effect applied after the compiled code runs, which keeps dynamo's own guard
# ("key not cached yet") valid while it traces; the next call recompiles once onto the hit path.


class _Derived:
    """Units computed by a cache miss, by name (see above); they are interned anyway."""


def _keep(u: Unit) -> str:
    name = f"u{id(u)}"
    setattr(_Derived, name, u)
    return name


@fold_when_traced
def _product_name(a: Unit, b: Unit) -> str:
    hit = Unit(
        a.dim * b.dim,
        a.exp10 + b.exp10,
        factor=_mul_factor(a._factor, b._factor),  # pyright: ignore[reportPrivateUsage]
        display_parts=_merge(a._parts, b._parts, 1),  # pyright: ignore[reportPrivateUsage]
    )
    return _keep(hit)


@fold_when_traced
def _quotient_name(a: Unit, b: Unit) -> str:
    hit = Unit(
        a.dim / b.dim,
        a.exp10 - b.exp10,
        factor=_div_factor(a._factor, b._factor),  # pyright: ignore[reportPrivateUsage]
        display_parts=_merge(a._parts, b._parts, -1),  # pyright: ignore[reportPrivateUsage]
    )
    return _keep(hit)


@fold_when_traced
def _power_name(u: Unit, power: object) -> str:
    p = as_exponent(power)
    hit = (
        u
        if p == 1
        else Unit(
            u.dim**p,
            u.exp10 * p,
            factor=_pow_factor(u._factor, p),  # pyright: ignore[reportPrivateUsage]
            display_parts=tuple((s, e * p) for s, e in u._parts),  # pyright: ignore[reportPrivateUsage]
        )
    )
    return _keep(hit)


@fold_when_traced
def _factor(a: Unit, b: Unit) -> float:
    if a.dim is not b.dim:
        raise DimensionMismatchError(
            f"Cannot convert from {a.dispname} to {b.dispname}: "
            f"dimensions {a.dim} and {b.dim} differ"
        )
    hit = _ratio(a, b)
    return hit


# What torch.compile traces instead of the four functions below: the folded call alone, no
# cache read (a cache read is a guard on the cache that fails, and recompiles, when it grows).
def _product_traced(a: Unit, b: Unit) -> Unit:
    unit: Unit = getattr(_Derived, _product_name(a, b))
    return unit


def _quotient_traced(a: Unit, b: Unit) -> Unit:
    unit: Unit = getattr(_Derived, _quotient_name(a, b))
    return unit


def _power_traced(u: Unit, power: int | float | Fraction) -> Unit:
    unit: Unit = getattr(_Derived, _power_name(u, power))
    return unit


@trace_as(_product_traced)
def unit_product(a: Unit, b: Unit) -> Unit:
    """`a * b` for two units (cached by identity: units are interned and kept alive)."""
    hit = a._mul.get(id(b))  # pyright: ignore[reportPrivateUsage]
    if hit is None:
        hit = a._mul[id(b)] = getattr(_Derived, _product_name(a, b))  # pyright: ignore[reportPrivateUsage]
    return hit


@trace_as(_quotient_traced)
def unit_quotient(a: Unit, b: Unit) -> Unit:
    """`a / b` for two units."""
    hit = a._div.get(id(b))  # pyright: ignore[reportPrivateUsage]
    if hit is None:
        hit = a._div[id(b)] = getattr(_Derived, _quotient_name(a, b))  # pyright: ignore[reportPrivateUsage]
    return hit


@trace_as(_power_traced)
def unit_power(u: Unit, power: int | float | Fraction) -> Unit:
    """`u ** power` with an exact exponent (see `as_exponent`); cached by the exponent as given,
    so no Fraction is built on a hit."""
    if type(power) is bool:
        raise TypeError("a unit exponent must be a number, not a bool")
    # A Fraction hashes slowly (~0.7 us); its two ints hash fast.
    key = (power.numerator, power.denominator) if type(power) is Fraction else power
    hit = u._pow.get(key)  # pyright: ignore[reportPrivateUsage]
    if hit is None:
        hit = u._pow[key] = getattr(_Derived, _power_name(u, power))  # pyright: ignore[reportPrivateUsage]
    return hit


@trace_as(_factor)
def conversion_factor(a: Unit, b: Unit) -> float:
    """The number to multiply a value in `a` by to express it in `b` (same dimension)."""
    hit = a._to.get(id(b))  # pyright: ignore[reportPrivateUsage]
    if hit is None:
        hit = a._to[id(b)] = _factor(a, b)  # pyright: ignore[reportPrivateUsage]
    return hit


def _unpickle_unit(
    dim: Dimension, exp10: Fraction, factor: Factor, name: str, dispname: str, parts: Parts
) -> Unit:
    return Unit(dim, exp10, factor=factor, name=name, dispname=dispname, display_parts=parts)


def _mul_factor(a: Factor, b: Factor) -> Factor:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a * b
    return float(a) * float(b)


def _div_factor(a: Factor, b: Factor) -> Factor:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a / b
    return float(a) / float(b)


def _ratio(a: Unit, b: Unit) -> float:
    e = a.exp10 - b.exp10
    f = _div_factor(a._factor, b._factor)  # pyright: ignore[reportPrivateUsage]
    if e.denominator == 1 and isinstance(f, Fraction):
        return float(f * Fraction(10) ** int(e))
    result: float = float(f) * 10.0 ** float(e)
    return result


_EXPONENTS: dict[object, Fraction] = {}


def as_exponent(power: object) -> Fraction:
    """An exact exponent from an int, a Fraction or a float (a float is read as the nearest simple
    fraction: 0.89 -> 89/100, 1 / 3 -> 1/3)."""
    if type(power) is Fraction:  # already exact; and hashing a Fraction is slow
        return power
    hit = _EXPONENTS.get(power)
    if hit is not None and type(power) is not bool:
        return hit
    if isinstance(power, bool):
        raise TypeError("a unit exponent must be a number, not a bool")
    if isinstance(power, int | Fraction):
        exp = Fraction(power)
    elif isinstance(power, float):
        if not math.isfinite(power):
            raise ValueError(f"a unit exponent must be finite, got {power}")
        # The nearest simple fraction, so that x ** 0.89 and then ** (1 / 0.89) is exactly x.
        exp = Fraction(power).limit_denominator(1_000_000)
    else:
        raise TypeError(
            f"a unit exponent must be a static int, float or Fraction, got {type(power).__name__}"
        )
    if len(_EXPONENTS) < 4096:
        _EXPONENTS[power] = exp
    return exp


UNITLESS: Final = Unit(DIMENSIONLESS, name="1", dispname="1", display_parts=())
