"""Unit rules too specific for the rule vocabulary (`custom(name, ...)` in the spec).

Each function takes the op name and the lifted (mantissa, unit) pairs of its operands, and
returns the mantissas to compute with plus the result unit; the generated code then calls the
library and applies the dimensionless-outcome rule.
"""

from __future__ import annotations

from typing import Any

from polyunit.backends import units as _units
from polyunit.unit import UNITLESS, Unit


def floor_divide(
    op: str, m_x: Any, u_x: Unit | None, m_y: Any, u_y: Unit | None
) -> tuple[Any, Any, Unit | None]:
    """Same dimension: y in x's unit, plain result (7 m // 20 cm == 35). Else unit(x) / unit(y)."""
    ux = UNITLESS if u_x is None else u_x
    uy = UNITLESS if u_y is None else u_y
    if ux.dim is uy.dim:
        factor = uy.factor_to(ux)
        return m_x, (m_y if factor == 1.0 else m_y * factor), None
    return m_x, m_y, ux / uy


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
