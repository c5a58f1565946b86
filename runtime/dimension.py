"""Physical dimensions: exact rational exponents of the seven SI base quantities."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import ClassVar, Final

BASE_SYMBOLS: Final = ("m", "kg", "s", "A", "K", "mol", "cd")
BASE_NAMES: Final = (
    "length",
    "mass",
    "time",
    "electric current",
    "temperature",
    "amount",
    "luminosity",
)

Exponents = tuple[Fraction, Fraction, Fraction, Fraction, Fraction, Fraction, Fraction]


def _fmt_exponent(e: Fraction) -> str:
    return str(e.numerator) if e.denominator == 1 else f"({e})"


class Dimension:
    """A physical dimension, interned: equal dimensions are the same object.

    Exponents are exact `Fraction`s, so `(m ** 0.89) ** (1 / 0.89)` is exactly metre.
    """

    __slots__ = ("_exponents", "_hash", "__weakref__")
    _interned: ClassVar[dict[Exponents, Dimension]] = {}

    _exponents: Exponents
    _hash: int

    def __new__(
        cls, dims: Sequence[int | Fraction] | int | Fraction, *more: int | Fraction
    ) -> Dimension:
        """`Dimension([1, 0, 0, 0, 0, 0, 0])` (the reference's form) or `Dimension(1, 0, ...)`."""
        if isinstance(dims, Sequence) and more:
            raise TypeError("give the 7 exponents as one sequence or as 7 numbers, not both")
        exponents: tuple[int | Fraction, ...] = (
            tuple(dims) if isinstance(dims, Sequence) else (dims, *more)
        )
        if len(exponents) != 7:
            raise ValueError(
                f"a Dimension has 7 exponents ({', '.join(BASE_SYMBOLS)}), got {len(exponents)}"
            )
        key: Exponents = tuple(Fraction(e) for e in exponents)  # type: ignore[assignment]
        found = cls._interned.get(key)
        if found is not None:
            return found
        self = super().__new__(cls)
        self._exponents = key
        self._hash = hash(key)
        cls._interned[key] = self
        return self

    @property
    def exponents(self) -> Exponents:
        return self._exponents

    @property
    def is_dimensionless(self) -> bool:
        return self is DIMENSIONLESS

    def get_dimension(self, d: int | str) -> Fraction:
        """Exponent of one base quantity, by index or symbol (`"m"`, `"kg"` ...)."""
        if isinstance(d, str):
            if d not in BASE_SYMBOLS:
                raise ValueError(
                    f"unknown base quantity {d!r}; use one of {', '.join(BASE_SYMBOLS)}"
                )
            d = BASE_SYMBOLS.index(d)
        return self._exponents[d]

    def __mul__(self, other: Dimension) -> Dimension:
        return Dimension(*(a + b for a, b in zip(self._exponents, other._exponents, strict=True)))

    def __truediv__(self, other: Dimension) -> Dimension:
        return Dimension(*(a - b for a, b in zip(self._exponents, other._exponents, strict=True)))

    def __pow__(self, power: int | Fraction) -> Dimension:
        p = Fraction(power)
        return Dimension(*(a * p for a in self._exponents))

    @property
    def dim(self) -> Dimension:
        """The dimension itself (so `x.dim` works on units, quantities and dimensions alike)."""
        return self

    @property
    def hash(self) -> int:
        return hash(self)

    def __copy__(self) -> Dimension:
        return self  # interned and immutable

    def __deepcopy__(self, memodict: dict[int, object]) -> Dimension:
        return self

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[Dimension], Exponents]:
        # Unpickling goes through __new__, so dimensions stay interned across processes.
        return (Dimension, self._exponents)

    def __str__(self) -> str:
        parts: list[str] = []
        for sym, e in zip(BASE_SYMBOLS, self._exponents, strict=True):
            if e == 1:
                parts.append(sym)
            elif e != 0:
                parts.append(f"{sym}^{_fmt_exponent(e)}")
        return " ".join(parts) if parts else "1"

    def __repr__(self) -> str:
        return f"Dimension({', '.join(str(e) for e in self._exponents)})"


DIMENSIONLESS: Final = Dimension(0, 0, 0, 0, 0, 0, 0)


def get_or_create_dimension(*exponents: int | Fraction, **by_symbol: int | Fraction) -> Dimension:
    """A dimension from 7 exponents, or from keywords (`m=1, s=-1`, or `length=1, time=-1`)."""
    if exponents and by_symbol:
        raise TypeError("give the exponents either positionally or by keyword, not both")
    if exponents:
        return Dimension(*exponents)
    values = [Fraction(0)] * 7
    for key, value in by_symbol.items():
        name = key.replace("_", " ")
        if key in BASE_SYMBOLS:
            values[BASE_SYMBOLS.index(key)] = Fraction(value)
        elif name in BASE_NAMES:
            values[BASE_NAMES.index(name)] = Fraction(value)
        else:
            raise ValueError(f"unknown base quantity {key!r}; use one of {', '.join(BASE_SYMBOLS)}")
    return Dimension(*values)
