"""Unit rules too specific for the rule vocabulary (`custom(name, ...)` in the spec).

Each function takes the op name and the lifted (mantissa, unit) pairs of its operands, and
returns the mantissas to compute with plus the result unit; the generated code then calls the
library and applies the dimensionless-outcome rule.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from polyunit.backends import units as _units
from polyunit.convert import to_numpy_array
from polyunit.dimension import DIMENSIONLESS
from polyunit.errors import DimensionMismatchError
from polyunit.quantity import Quantity
from polyunit.rules import align, create_unit, fold, product
from polyunit.unit import UNITLESS, Unit, conversion_factor, unit_quotient

# reportPrivateUsage ignores mark the package's own internals (Quantity._new and the like).


def floor_divide(
    op: str, m_x: Any, u_x: Unit | None, m_y: Any, u_y: Unit | None
) -> tuple[Any, Any, Unit | None]:
    """Same dimension: y in x's unit, plain result (7 m // 20 cm == 35). Else unit(x) / unit(y)."""
    ux = UNITLESS if u_x is None else u_x
    uy = UNITLESS if u_y is None else u_y
    if ux.dim is uy.dim:
        factor = conversion_factor(uy, ux)
        return m_x, (m_y if factor == 1.0 else m_y * factor), None
    return m_x, m_y, unit_quotient(ux, uy)


def _factorless(op: str, m: Any, u: Unit | None) -> tuple[Any, Unit | None]:
    """A dimensionless unit's scale folded into the mantissa (mV/V -> plain)."""
    if u is not None and u.dim is DIMENSIONLESS:
        return (m if u.magnitude == 1.0 else m * u.magnitude), None
    return m, u


def _reduced_count(shape: tuple[int, ...], axis: Any) -> int:
    """How many elements a reduction over `axis` multiplies together."""
    if axis is None:
        return math.prod(shape)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return math.prod(shape[a] for a in axes)


def _uniform_count(op: str, mask: Any, axis: Any) -> int:
    """The number of selected elements per reduced slice; it fixes the result's unit, so it
    must be the same for every slice."""
    counts = np.unique(np.sum(to_numpy_array(mask), axis=axis))
    if counts.size != 1:
        raise ValueError(
            f"{op} of a quantity multiplies a different number of elements per slice "
            f"({', '.join(str(int(c)) for c in counts)}), so the results would need different "
            "units; divide by the unit first, or make the selection uniform"
        )
    return int(counts[0])


def prod(
    op: str,
    m_x: Any,
    u_x: Unit | None,
    m_initial: Any,
    u_initial: Unit | None,
    axis: Any,
    m_where: Any,
) -> tuple[Any, Any, Unit | None]:
    """unit(x) ** n, n the number of elements multiplied; `initial` must be dimensionless."""
    if m_initial is not None:
        m_initial, u_initial = _factorless(op, m_initial, u_initial)
        if u_initial is not None:
            raise DimensionMismatchError(
                f"{op}: initial must be dimensionless, got a quantity in {u_initial.dispname}"
            )
    m_x, u_x = _factorless(op, m_x, u_x)
    if u_x is None:
        return m_x, m_initial, None
    if m_where is None:
        n = _reduced_count(tuple(m_x.shape), axis)
    else:
        mask = np.broadcast_to(to_numpy_array(m_where), tuple(m_x.shape))
        n = _uniform_count(op, mask, axis)
    return m_x, m_initial, u_x**n


def nanprod(
    op: str,
    m_x: Any,
    u_x: Unit | None,
    m_initial: Any,
    u_initial: Unit | None,
    axis: Any,
    m_where: Any,
) -> tuple[Any, Any, Unit | None]:
    """As `prod`, counting only the non-NaN elements (the same count in every slice)."""
    m_x, u_x = _factorless(op, m_x, u_x)
    if u_x is None:
        return prod(op, m_x, None, m_initial, u_initial, axis, m_where)
    selected = ~np.isnan(to_numpy_array(m_x))
    if m_where is not None:
        selected = selected & np.broadcast_to(to_numpy_array(m_where), selected.shape)
    m_x, m_initial, _ = prod(op, m_x, None, m_initial, u_initial, axis, None)
    return m_x, m_initial, u_x ** _uniform_count(op, selected, axis)


def trapezoid(
    op: str,
    m_y: Any,
    u_y: Unit | None,
    m_x: Any,
    u_x: Unit | None,
    m_dx: Any,
    u_dx: Unit | None,
) -> tuple[Any, Any, Any, Unit | None]:
    """unit(y) * unit(x), or unit(y) * unit(dx) when the sample points `x` are not given."""
    spacing = u_dx if m_x is None else u_x
    if u_y is None:
        return m_y, m_x, m_dx, spacing
    return m_y, m_x, m_dx, u_y if spacing is None else u_y * spacing


def vander(op: str, m_x: Any, u_x: Unit | None, unit: Unit | None) -> tuple[Any, Unit | None]:
    """Powers of a dimensionless `x`; the matrix carries the `unit` argument."""
    return fold(op, m_x, u_x), create_unit(unit)


def _to(op: str, m: Any, u: Unit | None, target: Unit | None) -> Any:
    """`m` (in `u`) expressed in `target`; None stays None. Dimensions must agree."""
    if m is None:
        return None
    # for the error message only
    shown = Quantity._new(m, u) if u is not None else m  # pyright: ignore[reportPrivateUsage]
    return align(op, m, u, target, "the reference", shown)[0]


def interp(
    op: str,
    m_x: Any,
    u_x: Unit | None,
    m_xp: Any,
    u_xp: Unit | None,
    m_fp: Any,
    u_fp: Unit | None,
    m_left: Any,
    u_left: Unit | None,
    m_right: Any,
    u_right: Unit | None,
    m_period: Any,
    u_period: Unit | None,
) -> tuple[Any, Any, Any, Any, Any, Any, Unit | None]:
    """xp and period in the unit of x; left and right in the unit of fp, which the result has."""
    return (
        m_x,
        _to(op, m_xp, u_xp, u_x),
        m_fp,
        _to(op, m_left, u_left, u_fp),
        _to(op, m_right, u_right, u_fp),
        _to(op, m_period, u_period, u_x),
        u_fp,
    )


def histogram(
    op: str,
    m_x: Any,
    u_x: Unit | None,
    m_bins: Any,
    u_bins: Unit | None,
    m_range: Any,
    u_range: Unit | None,
) -> tuple[Any, Any, Any, tuple[None, Unit | None]]:
    """A bin count stays a number; bin edges and the range are converted to the unit of x."""
    if u_bins is None and getattr(m_bins, "ndim", 0) == 0 and not isinstance(m_bins, float):
        m_bins = int(m_bins)  # a count (torch gets it as a 0-d tensor)
    else:
        m_bins = _to(op, m_bins, u_bins, u_x)
    return m_x, m_bins, _to(op, m_range, u_range, u_x), (None, u_x)  # counts, edges


def average(
    op: str, m_x: Any, u_x: Unit | None, m_weights: Any, u_weights: Unit | None, returned: bool
) -> tuple[Any, Any, Any]:
    """The unit of x; the weights' unit cancels between numerator and denominator. With
    `returned`, a pair: the sum of the weights is plain (the reference's rule)."""
    return m_x, m_weights, (u_x, None) if returned else u_x


def copysign(
    op: str, m_x1: Any, u_x1: Unit | None, m_x2: Any, u_x2: Unit | None
) -> tuple[Any, Any, Unit | None]:
    """The unit of x1; x2 only lends its sign, so its unit is irrelevant."""
    return m_x1, m_x2, u_x1


def cov(
    op: str, m_m: Any, u_m: Unit | None, m_y: Any, u_y: Unit | None, unit_to_scale: object = None
) -> tuple[Any, Any, Unit | None]:
    """`y` in the unit of `m` (same dimension required); the matrix is in unit(m) ** 2. With
    `unit_to_scale`, both are read in that unit and the matrix is plain."""
    if unit_to_scale is not None:
        target = _unit_arg(op, unit_to_scale)
        return _to(op, m_m, u_m, target), _to(op, m_y, u_y, target), None
    if m_y is not None and u_y is not u_m:
        um = UNITLESS if u_m is None else u_m
        uy = UNITLESS if u_y is None else u_y
        if um.dim is not uy.dim:
            raise DimensionMismatchError(
                f"{op}: y must have the dimension of m ({um.dispname}), got {uy.dispname}; "
                "covariances of different quantities form one matrix only in one unit"
            )
        factor = uy.factor_to(um)
        if factor != 1.0:
            m_y = m_y * factor
    return m_m, m_y, None if u_m is None else u_m**2


# --- linalg: results whose unit depends on the matrix size, or tuples with a unit per part.
# A tuple result's units come back as a tuple aligned with the parts (None: plain part).


def _shape(m: Any) -> tuple[int, ...]:
    return tuple(getattr(m, "shape", ()))


def det(op: str, m_a: Any, u_a: Unit | None) -> tuple[Any, Unit | None]:
    """det of an n x n matrix in unit U is in U**n (n read from the input's shape)."""
    shape = _shape(m_a)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(
            f"{op} needs square matrices in the last two axes (shape [..., n, n]), got shape "
            f"{shape}; reshape the input first"
        )
    return m_a, (None if u_a is None else u_a ** shape[-1])


def lstsq(
    op: str, m_a: Any, u_a: Unit | None, m_b: Any, u_b: Unit | None
) -> tuple[Any, Any, tuple[Unit | None, ...]]:
    """(solution unit(b)/unit(a), residuals unit(b)**2, rank plain, singular values unit(a))."""
    ua = UNITLESS if u_a is None else u_a
    ub = UNITLESS if u_b is None else u_b
    return m_a, m_b, (ub / ua, ub**2, None, ua)


def norm(op: str, m_x: Any, u_x: Unit | None, ord: object) -> tuple[Any, Unit | None]:
    """ord=0 counts the non-zero entries (a plain number); every other order keeps the unit."""
    if isinstance(ord, int | float) and not isinstance(ord, bool) and ord == 0:
        return m_x, None
    return m_x, u_x


_QR_MODES = ("reduced", "complete", "raw")


def qr(op: str, m_a: Any, u_a: Unit | None, mode: str) -> tuple[Any, tuple[Unit | None, ...]]:
    """(Q plain, R in unit(a)); mode='raw' gives (h in unit(a), tau plain)."""
    if mode == "r":
        raise ValueError(
            f"{op}(a, mode='r') would return R alone, but polyunit's qr always returns a pair; "
            "use qr(a)[1] for R"
        )
    if mode not in _QR_MODES:
        raise ValueError(f"{op}: mode must be one of {', '.join(_QR_MODES)}; got {mode!r}")
    return m_a, ((u_a, None) if mode == "raw" else (None, u_a))


def svd(
    op: str, m_x: Any, u_x: Unit | None, compute_uv: bool
) -> tuple[Any, tuple[Unit | None, ...]]:
    """(U plain, singular values in unit(x), Vh plain)."""
    if not compute_uv:
        raise ValueError(
            f"{op}(x, compute_uv=False) would return the singular values alone, but polyunit's "
            "svd always returns (U, S, Vh); use polyunit.linalg.svdvals(x) for S alone"
        )
    return m_x, (None, u_x, None)


# --- fft


_HERTZ = tuple(
    getattr(_units, p + "hertz")
    for p in ("", "k", "M", "G", "T", "m", "u", "n", "p", "f", "a", "z", "y", "P", "E", "Z", "Y")
)


def frequency(op: str, m_d: Any, u_d: Unit | None) -> tuple[Any, Unit | None]:
    """Frequencies for a sample spacing d are in 1 / unit(d), named in hertz for a time (s -> Hz,
    ms -> kHz); any other spacing gives its reciprocal (metres -> 1 / m)."""
    if u_d is None:
        return m_d, None
    freq: Unit = u_d**-1
    for hz in _HERTZ:
        if hz.dim is freq.dim and abs(freq.factor_to(hz) - 1.0) < 1e-9:
            return m_d, hz
    return m_d, freq


def keep_or_scale(
    op: str, m_x: Any, u_x: Unit | None, unit_to_scale: object
) -> tuple[Any, Unit | None]:
    """The unit of x; with `unit_to_scale`, x read in that unit and a plain result."""
    if unit_to_scale is None:
        return m_x, u_x
    if not isinstance(unit_to_scale, Unit):
        raise TypeError(
            f"{op}: unit_to_scale must be a polyunit Unit (e.g. u.mV), got {type(unit_to_scale).__name__}"
        )
    factor = (UNITLESS if u_x is None else u_x).factor_to(unit_to_scale)
    return (m_x if factor == 1.0 else m_x * factor), None


def same_unit_angle(
    op: str, m_x: Any, u_x: Unit | None, m_y: Any, u_y: Unit | None, unit_to_scale: object
) -> tuple[Any, Any, Unit | None]:
    """x and y of one dimension, read in one unit (`unit_to_scale` when given); plain angle."""
    ux = UNITLESS if u_x is None else u_x
    uy = UNITLESS if u_y is None else u_y
    target = ux if unit_to_scale is None else unit_to_scale
    if not isinstance(target, Unit):
        raise TypeError(
            f"{op}: unit_to_scale must be a polyunit Unit (e.g. u.meter), got {type(target).__name__}"
        )
    if ux.dim is not uy.dim or target.dim is not ux.dim:
        raise DimensionMismatchError(
            f"{op} needs x and y of one dimension, got {ux.dispname} and {uy.dispname}"
            + ("" if unit_to_scale is None else f" read in {target.dispname}")
            + "; convert them to a common unit first"
        )
    fx, fy = ux.factor_to(target), uy.factor_to(target)
    return (m_x if fx == 1.0 else m_x * fx), (m_y if fy == 1.0 else m_y * fy), None


def tridiagonal_solve(
    op: str,
    m_dl: Any,
    u_dl: Unit | None,
    m_d: Any,
    u_d: Unit | None,
    m_du: Any,
    u_du: Unit | None,
    m_b: Any,
    u_b: Unit | None,
) -> tuple[Any, Any, Any, Any, Unit | None]:
    """dl and du in the unit of d (one matrix); the solution x of A x = b has unit(b) / unit(d)."""
    ud = UNITLESS if u_d is None else u_d
    out: list[Any] = []
    for name, m, u in (("dl", m_dl, u_dl), ("du", m_du, u_du)):
        uu = UNITLESS if u is None else u
        if uu.dim is not ud.dim:
            raise DimensionMismatchError(
                f"{op}: {name} is in {uu.dispname} but d is in {ud.dispname}; the three diagonals "
                "are one matrix and need one dimension"
            )
        f = uu.factor_to(ud)
        out.append(m if f == 1.0 else m * f)
    ub = UNITLESS if u_b is None else u_b
    return out[0], m_d, out[1], m_b, ub / ud


# --- unit_to_scale: read the operands in a given unit and give a plain result (the reference's
# option); without it each op keeps its physical rule.


def _unit_arg(op: str, unit_to_scale: object) -> Unit:
    if not isinstance(unit_to_scale, Unit):
        raise TypeError(
            f"{op}: unit_to_scale must be a polyunit Unit (e.g. u.mV), got {type(unit_to_scale).__name__}"
        )
    return unit_to_scale


def phase(op: str, m_x: Any, u_x: Unit | None, unit_to_scale: object) -> tuple[Any, Unit | None]:
    """A plain angle; a positive unit scale does not change it. With `unit_to_scale`, x must
    have its dimension."""
    if unit_to_scale is not None:
        _to(op, m_x, u_x, _unit_arg(op, unit_to_scale))  # the dimension check
    return m_x, None


def consistent_or_scale(
    op: str, m_x: Any, u_x: Unit | None, m_y: Any, u_y: Unit | None, unit_to_scale: object
) -> tuple[Any, Any, Unit | None]:
    """y in the unit of x and the result in it; with `unit_to_scale`, both read in that unit
    and a plain result."""
    if unit_to_scale is None:
        return m_x, _to(op, m_y, u_y, u_x), u_x
    target = _unit_arg(op, unit_to_scale)
    return _to(op, m_x, u_x, target), _to(op, m_y, u_y, target), None


def product_or_scale(
    op: str, m_a: Any, u_a: Unit | None, m_v: Any, u_v: Unit | None, unit_to_scale: object
) -> tuple[Any, Any, Unit | None]:
    """unit(a) * unit(v); with `unit_to_scale`, both read in that unit and a plain result."""
    if unit_to_scale is None:
        return m_a, m_v, product(u_a, u_v)
    target = _unit_arg(op, unit_to_scale)
    return _to(op, m_a, u_a, target), _to(op, m_v, u_v, target), None


# --- options that turn the result into a tuple (the unit of each part)


def unique(
    op: str,
    m_a: Any,
    u_a: Unit | None,
    m_fill_value: Any,
    u_fill_value: Unit | None,
    return_index: bool,
    return_inverse: bool,
    return_counts: bool,
) -> tuple[Any, Any, Any]:
    """The values keep the unit of a (fill_value converted to it); the first indices, the
    inverse and the counts are plain, each a further part when asked for."""
    fill = None if m_fill_value is None else _to(op, m_fill_value, u_fill_value, u_a)
    extra = sum((return_index, return_inverse, return_counts))
    return m_a, fill, (u_a, *(None,) * extra) if extra else u_a


def intersect1d(
    op: str, m_ar1: Any, u_ar1: Unit | None, m_ar2: Any, u_ar2: Unit | None, return_indices: bool
) -> tuple[Any, Any, Any]:
    """ar2 in the unit of ar1; with `return_indices`, (values, plain indices into ar1, ar2)."""
    return m_ar1, _to(op, m_ar2, u_ar2, u_ar1), (u_ar1, None, None) if return_indices else u_ar1


def linspace(
    op: str, m_start: Any, u_start: Unit | None, m_stop: Any, u_stop: Unit | None, retstep: bool
) -> tuple[Any, Any, Any]:
    """stop in the unit of start; with `retstep`, (samples, step), both in that unit."""
    return m_start, _to(op, m_stop, u_stop, u_start), (u_start, u_start) if retstep else u_start


def convert_to(op: str, m_v: Any, u_v: Unit | None, unit: object) -> tuple[Any, Unit | None]:
    """The unit of v, or `unit` when given: a quantity converted to it, a plain array taken in it."""
    if unit is None:
        return m_v, u_v
    target = create_unit(unit)
    if u_v is None:
        return m_v, target
    return _to(op, m_v, u_v, target), target
