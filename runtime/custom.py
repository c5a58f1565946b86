"""Unit rules too specific for the rule vocabulary (`custom(name, ...)` in the spec).

Each function takes the op name and the lifted (mantissa, unit) pairs of its operands, and
returns the mantissas to compute with plus the result unit; the generated code then calls the
library and applies the dimensionless-outcome rule.
"""

from __future__ import annotations

from typing import Any

from polyunit.unit import UNITLESS, Unit, conversion_factor, unit_quotient


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
