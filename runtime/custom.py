"""Unit rules too specific for the rule vocabulary (`custom(name, ...)` in the spec).

Each function takes the op name and the lifted (mantissa, unit) pairs of its operands, and
returns the mantissas to compute with plus the result unit; the generated code then calls the
library and applies the dimensionless-outcome rule.
"""

from __future__ import annotations

from typing import Any

from polyunit.errors import DimensionMismatchError
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
