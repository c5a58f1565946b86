"""The hot-path caches give the same answers as the general rule, warm or cold.

The fast paths (type -> module dict, inlined lifts, id-keyed unit caches) must never change
behaviour: a warm cache for one array type must not capture mixed inputs, which still follow
the default backend, and equal exponents given as different objects give the same unit.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from rt_helpers import requires_torch

import polyunit as u
from polyunit import Quantity, dispatch, rules
from polyunit.backend import module, select


def _values() -> list[Any]:
    vals: list[Any] = [
        np.array([1.0, 2.0]),
        Quantity(np.array([1.0, 2.0]), unit=u.meter),
        2.0,
        3,
        None,
    ]
    try:
        import torch
    except ImportError:
        return vals
    return vals + [torch.tensor([1.0, 2.0]), Quantity(torch.tensor([1.0]), unit=u.meter)]


@pytest.mark.parametrize("default", [None, "numpy", "torch"])
def test_pickers_agree_with_select_for_every_pair(default: str | None) -> None:
    if default == "torch":
        pytest.importorskip("torch")
    vals = _values()
    with u.using_backend(default):
        for _ in range(2):  # cold, then with every cache warm
            for x in vals:
                if x is not None:
                    assert dispatch.pick1(x) is module(select(x))
                for y in vals:
                    assert dispatch.pick2(x, y) is module(select(x, y)), (x, y)
                    assert dispatch.pick(x, y, 1.0) is module(select(x, y, 1.0))


@requires_torch
def test_mixed_operands_follow_the_default_after_the_cache_is_warm() -> None:
    import torch

    qn = Quantity(np.array([1.0]), unit=u.meter)
    qt = Quantity(torch.tensor([1.0]), unit=u.meter)
    assert (qn + qn).backend == "numpy" and (qt + qt).backend == "torch"  # warm both types
    assert u.math.sqrt(qn).backend == "numpy" and u.math.sqrt(qt).backend == "torch"
    with u.using_backend("numpy"):
        assert (qt + qn).backend == "numpy"
        assert u.math.add(qt, qn).backend == "numpy"
    with u.using_backend("torch"):
        assert (qn + qt).backend == "torch"
        assert u.math.multiply(qn, qt).backend == "torch"


def test_a_python_number_mantissa_is_lifted_not_passed_through() -> None:
    # Quantity._new skips conversion; the generated op must still lift the float itself.
    from polyunit.backends import numpy as pn

    q = Quantity._new(2.0, u.meter)
    out = pn.add(q, Quantity(np.array([1.0]), unit=u.mmeter))
    assert isinstance(out.mantissa, np.ndarray)
    np.testing.assert_allclose(out.mantissa, [2.001])
    assert out.unit is u.meter


def test_equal_exponents_as_different_objects_give_the_same_unit() -> None:
    m = u.meter
    half_a, half_b = Fraction(1, 2), Fraction(2, 4)
    assert half_a is not half_b
    assert rules.power(m, half_a) is rules.power(m, half_b) is m**0.5
    assert rules.power(m**2, Fraction(1, 2)) is m


def test_power_cache_keys_exponents_by_value() -> None:
    """Equal exponents given as different objects (Fraction, int, new Fractions) hit one unit."""
    base = u.second
    expected = base**3
    for k in range(50):
        assert rules.power(base, Fraction(3 * (k + 1), k + 1)) is expected
    assert rules.power(base, Fraction(3)) is expected
    assert rules.power(base, Fraction(1, 2)) is base**0.5


def test_product_and_quotient_caches_match_the_operators() -> None:
    assert rules.product(u.meter, u.second) is u.meter * u.second
    assert rules.quotient(u.meter, u.second) is u.meter / u.second
    assert rules.quotient(None, u.second) is u.second**-1
    assert rules.product(None, None) is None
