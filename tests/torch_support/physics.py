"""Unit-aware functions for the torch.compile / torch.export tests and docs/torch.md.

They take and return plain tensors (the boundary pattern for torch.export); quantities live
inside.
"""

from __future__ import annotations

from typing import Any

import polyunit as u
from polyunit import Quantity


def spring_loss(x: Any, force: Any, k: Any) -> Any:
    """Mean squared force residual, in N^2, of Hooke's law F = k x (x in cm, F in N, k in N/m)."""
    displacement = Quantity(x, u.cmeter)
    measured = Quantity(force, u.newton)
    stiffness = Quantity(k, u.newton / u.meter)
    residual = stiffness * displacement - measured  # N/m * cm -> converted to N on subtraction
    return u.math.mean(residual**2).to_decimal(u.newton**2)


def energy(x: Any, v: Any, k: Any) -> Any:
    """Total mechanical energy in kJ plus dimensionless terms: +, *, **, sqrt, exp, dot, units."""
    pos = Quantity(x, u.cmeter)
    vel = Quantity(v, u.meter / u.second)
    mass = Quantity(k * 0 + 2.0, u.kilogram)
    spring = Quantity(k, u.newton / u.meter)
    total = u.math.sum(0.5 * mass * vel**2 + 0.5 * spring * pos**2).in_unit(u.kjoule)
    damping = u.math.mean(u.math.exp(-(pos / Quantity(k * 0 + 1.0, u.meter))))
    speed = u.math.sqrt(u.math.dot(vel, vel)).to_decimal(u.meter / u.second)
    return total.mantissa + damping + speed


def dense_layer(x: Any, w: Any, b: Any) -> Any:
    """A layer whose weights carry units: x [m] times w [N/m] plus b [N], squashed dimensionless."""
    xq = Quantity(x, u.meter)
    wq = Quantity(w, u.newton / u.meter)
    bq = Quantity(b, u.knewton)
    h = u.math.matmul(xq, wq) + bq  # in N (the unit of x @ w); b is converted from kN
    scale = Quantity(w[0, 0] * 0 + 1.0, u.newton)
    return u.math.tanh(h / scale) + u.math.maximum(h, 0.0 * scale).to_decimal(u.newton)
