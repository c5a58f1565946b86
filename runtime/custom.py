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


def cov(
    op: str, m_m: Any, u_m: Unit | None, m_y: Any, u_y: Unit | None
) -> tuple[Any, Any, Unit | None]:
    """`y` in the unit of `m` (same dimension required); the matrix is in unit(m) ** 2."""
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
