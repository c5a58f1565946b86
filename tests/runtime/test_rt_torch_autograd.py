"""torch autograd survives unit-aware computation: same gradients as on raw tensors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rt_helpers import HAS

import polyunit as u
from polyunit import Quantity

pytestmark = pytest.mark.skipif(not HAS["torch"], reason="torch is not installed")

DATA = [0.5, 1.0, 2.0, 3.0]


def grads(loss_fn: Callable[[Any], Any]) -> Any:
    import torch

    x = torch.tensor(DATA, dtype=torch.float64, requires_grad=True)
    loss = loss_fn(x)
    assert isinstance(loss, torch.Tensor), f"loss is {type(loss).__name__}"
    assert loss.requires_grad
    loss.backward()
    assert x.grad is not None
    return x.grad


def same_grads(with_units: Callable[[Any], Any], raw: Callable[[Any], Any]) -> None:
    import torch

    torch.testing.assert_close(grads(with_units), grads(raw))


def test_power_and_product_via_mantissa_sum() -> None:
    def with_units(x: Any) -> Any:
        q = Quantity(x, u.meter) ** 2
        assert q.unit == u.meter**2
        return (q * q).mantissa.sum()

    same_grads(with_units, lambda x: ((x**2) * (x**2)).sum())


def test_power_and_product_via_math_sum() -> None:
    def with_units(x: Any) -> Any:
        q = Quantity(x, u.meter) ** 2
        s = u.math.sum(q * q)
        assert isinstance(s, Quantity)
        assert s.unit == u.meter**4
        return s.mantissa

    same_grads(with_units, lambda x: ((x**2) * (x**2)).sum())


def test_unit_conversion_keeps_the_graph() -> None:
    def with_units(x: Any) -> Any:
        return u.math.sum(Quantity(x, u.mmeter).in_unit(u.meter)).mantissa

    same_grads(with_units, lambda x: (x * 1e-3).sum())


def test_add_with_conversion_keeps_the_graph() -> None:
    import torch

    def with_units(x: Any) -> Any:
        q = Quantity(x, u.meter) + Quantity(x, u.mmeter)
        return u.math.sum(q).mantissa

    def raw(x: Any) -> Any:
        return (x + x * 1e-3).sum()

    same_grads(with_units, raw)
    _ = torch  # torch imported for the skip only


def test_sqrt_and_divide() -> None:
    import torch

    def with_units(x: Any) -> Any:
        r = u.math.sqrt(Quantity(x, u.meter**2)) / Quantity(
            torch.tensor(2.0, dtype=torch.float64), u.second
        )
        assert r.unit == u.meter / u.second
        return r.mantissa.sum()

    same_grads(with_units, lambda x: (torch.sqrt(x) / 2.0).sum())


def test_dimensionless_outcome_keeps_the_graph() -> None:
    import torch

    def with_units(x: Any) -> Any:
        ratio = Quantity(x, u.mV) / Quantity(torch.ones(4, dtype=torch.float64), u.volt)
        assert not isinstance(ratio, Quantity)
        return ratio.sum()

    same_grads(with_units, lambda x: (x * 1e-3).sum())


def test_torch_autograd_grad_on_the_mantissa() -> None:
    import torch

    x = torch.tensor(DATA, dtype=torch.float64, requires_grad=True)
    energy = u.math.sum(Quantity(x, u.meter) * Quantity(x, u.meter))
    (g,) = torch.autograd.grad(energy.mantissa, x)
    torch.testing.assert_close(g, 2 * x.detach())
